package dev.slmrouter.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.common.metrics.ServiceEndpoint;
import dev.slmrouter.events.Alert;
import dev.slmrouter.events.AlertKind;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.insights.calibrate.Comparisons;
import dev.slmrouter.insights.drift.DriftMonitor;
import dev.slmrouter.insights.drift.DriftSettings;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The drift monitor on a real broker: 30 hours of shadow comparisons agreeing 94% of the time, then 10
 * hours at 87%, read back from the topic; exactly one DRIFT alert reaches the alerts topic, with the
 * before/after figures, and the windows' figures are gauges.
 */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class DriftMonitorIntegrationTest {

    private final KafkaBroker broker;
    private final ShadowStack stack;
    private final LocalSchemaRegistry registry;
    private DriftMonitor monitor;

    DriftMonitorIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
        this.stack = new ShadowStack(broker, registry);
    }

    @AfterEach
    void close() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        stack.close();
    }

    @Test
    void shouldRaiseExactlyOneAlertForADropFrom94To87Percent() throws Exception {
        final Instant base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
        final var serializer = stack.topics.shadowComparisons().valueSerde(stack.registryClient).serializer();
        final String topic = stack.topics.shadowComparisons().name();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int h = 0; h < 40; h++) {
                for (int i = 0; i < 200; i++) {
                    final Instant at = base.plus(Duration.ofHours(h)).plusSeconds(i * 18L);
                    final ShadowComparison c = Comparisons.of("h" + h + "-" + i, TaskType.CLASSIFICATION, "t", 0.9,
                            i < (h < 30 ? 188 : 174), null, at);
                    // The record's timestamp is the event's, as a worker writing it then would have stamped it.
                    producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(),
                            c.getRequestId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, c)));
                }
            }
        }
        final PrometheusMeterRegistry meters = ServiceEndpoint.newRegistry();
        final DriftSettings settings = DriftSettings.from(Settings.of(Map.of("drift.alert.lookback", "72h")));
        monitor = new DriftMonitor(Map.of("bootstrap.servers", broker.bootstrapServers()), stack.registryClient,
                stack.topics, settings, meters, Clock.fixed(base.plus(Duration.ofHours(41)), ZoneOffset.UTC)).start();
        assertThat(monitor.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();

        final List<Alert> alerts = stack.read(stack.topics.alerts());
        assertThat(alerts).hasSize(1);
        final Alert alert = alerts.get(0);
        assertThat(alert.getKind()).isEqualTo(AlertKind.DRIFT);
        assertThat(alert.getMetric()).isEqualTo("shadow_agreement");
        assertThat(alert.getTaskType()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(alert.getBeforeValue()).isCloseTo(0.94, offset(1e-12));
        assertThat(alert.getAfterValue()).isCloseTo(0.87, offset(1e-12));
        assertThat(alert.getAlertId()).endsWith("/1h/" + base.plus(Duration.ofHours(30)));
        final String scrape = meters.scrape();
        assertThat(scrape).contains("drift_alerts_total{metric=\"shadow_agreement\"} 1.0")
                .contains("drift_value{metric=\"shadow_agreement\",task_type=\"CLASSIFICATION\",tenant=\"t\",window=\"1h\"} 0.87");
    }
}
