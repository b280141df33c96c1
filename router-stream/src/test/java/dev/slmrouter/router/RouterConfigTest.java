package dev.slmrouter.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class RouterConfigTest {

    private static Map<String, String> minimal() {
        final Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", "localhost:9092");
        settings.put("schema.registry.url", "http://localhost:8081");
        return settings;
    }

    @Test
    void shouldRunExactlyOnceWithClientSettingsPassedThrough() {
        final Map<String, String> settings = minimal();
        settings.put("kafka.security.protocol", "SASL_SSL");
        settings.put("router.commit.interval", "250ms");
        final Properties props = RouterConfig.from(Settings.of(settings)).streamsProperties();

        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(250L);
        assertThat(RouterConfig.from(Settings.of(settings)).volumeEmitInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldStopAtStartNamingTheKeyOfABadOrMissingValue() {
        final Map<String, String> noBroker = minimal();
        noBroker.remove("kafka.bootstrap.servers");
        assertThatThrownBy(() -> RouterConfig.from(Settings.of(noBroker)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");

        final Map<String, String> badAccuracy = minimal();
        badAccuracy.put(RouterConfig.LANGUAGE_ACCURACY, "medium");
        assertThatThrownBy(() -> RouterConfig.from(Settings.of(badAccuracy)))
                .hasMessageContaining("ROUTER_LANGUAGE_ACCURACY").hasMessageContaining("high or low");

        final Map<String, String> badThreads = minimal();
        badThreads.put(RouterConfig.STREAM_THREADS, "0");
        assertThatThrownBy(() -> RouterConfig.from(Settings.of(badThreads)))
                .hasMessageContaining("router.stream.threads (env ROUTER_STREAM_THREADS)");
    }

    @Test
    void shouldRefuseToStartWhenItsTopicsAreMissing(final KafkaBroker broker) {
        final Map<String, String> settings = minimal();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topic.requests", "missing.requests");

        assertThatThrownBy(() -> RouterApp.start(RouterConfig.from(Settings.of(settings))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.requests")
                .hasMessageContaining("do not exist");
    }
}
