package dev.slmrouter.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void shouldPreferSystemPropertiesThenEnvironmentThenFile(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("router.properties");
        Files.writeString(file, "a.b=file\nc.d=file\ne.f=file\n");
        final Properties system = new Properties();
        system.setProperty("a.b", "system");

        final Settings settings = Settings.from(Map.of("SLM_ROUTER_CONFIG", file.toString(), "A_B", "env",
                "C_D", "env"), system);

        assertThat(settings.string("a.b", "x")).isEqualTo("system");
        assertThat(settings.string("c.d", "x")).isEqualTo("env");
        assertThat(settings.string("e.f", "x")).isEqualTo("file");
        assertThat(settings.string("g.h", "default")).isEqualTo("default");
    }

    @Test
    void shouldParseTypedValues() {
        final Settings settings = Settings.of(Map.of("n", "1_000", "d", "250ms", "m", "5m", "iso", "PT2S",
                "b", "yes", "l", "en, de ,fr", "x", "0.5"));

        assertThat(settings.intValue("n", 0, 0, 10_000)).isEqualTo(1000);
        assertThat(settings.duration("d", null)).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.duration("m", null)).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.duration("iso", null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.booleanValue("b", false)).isTrue();
        assertThat(settings.list("l", List.of())).containsExactly("en", "de", "fr");
        assertThat(settings.doubleValue("x", 0, 0, 1)).isEqualTo(0.5);
    }

    @Test
    void shouldNameTheKeyAndTheEnvironmentVariableOfABadValue() {
        final Settings settings = Settings.of(Map.of("router.max.prompt.chars", "lots", "router.commit.interval", "soon",
                "flag", "perhaps", "ratio", "2"));

        assertThatThrownBy(() -> settings.intValue("router.max.prompt.chars", 1, 1, 10))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'lots' for router.max.prompt.chars (env ROUTER_MAX_PROMPT_CHARS):"
                        + " expected a whole number between 1 and 10");
        assertThatThrownBy(() -> settings.duration("router.commit.interval", Duration.ZERO))
                .hasMessageContaining("ROUTER_COMMIT_INTERVAL");
        assertThatThrownBy(() -> settings.booleanValue("flag", false)).hasMessageContaining("true or false");
        assertThatThrownBy(() -> settings.doubleValue("ratio", 0, 0, 1)).hasMessageContaining("between 0.0 and 1.0");
        assertThatThrownBy(() -> settings.requiredString("schema.registry.url"))
                .hasMessage("Missing required setting schema.registry.url (env SCHEMA_REGISTRY_URL)");
    }

    @Test
    void shouldPassKafkaClientSettingsThroughByPrefix() {
        final Settings settings = Settings.from(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN", "KAFKA_BOOTSTRAP_SERVERS", "b:9092"), new Properties());

        assertThat(settings.withPrefix("kafka.")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "bootstrap.servers", "b:9092"));
    }

    @Test
    void shouldReportAnUnreadableConfigFile() {
        assertThatThrownBy(() -> Settings.from(Map.of("SLM_ROUTER_CONFIG", "/no/such/file.properties"), new Properties()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/no/such/file.properties");
    }
}
