package dev.slmrouter.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.common.metrics.ServiceEndpoint;
import dev.slmrouter.events.Alert;
import dev.slmrouter.events.AlertKind;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.Tier;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The drift monitor on a real broker: 30 hours of shadow comparisons agreeing 94% of the time, then 10
 * hours at 87%, read back from the topic, raise exactly one DRIFT alert for agreement, with the
 * before/after figures; an SLM escalation rate rising from 5% to 15% (results and escalations) exactly one
 * more; the windows' figures are gauges.
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
        // EXTRACTION on the SLM: 100 requests an hour, 5 escalated LOW_CONFIDENCE, then 15 in hour 25.
        final List<InferenceResult> answered = new ArrayList<>();
        final List<Escalation> escalated = new ArrayList<>();
        for (int h = 0; h < 26; h++) {
            for (int i = 0; i < 100; i++) {
                final Instant at = base.plus(Duration.ofHours(h)).plusSeconds(i * 36L);
                final InferenceRequest request = ShadowStack.request("e" + h + "-" + i, "acme", TaskType.EXTRACTION, "x")
                        .setCreatedAt(at).build();
                if (i < (h == 25 ? 15 : 5)) {
                    escalated.add(Escalation.newBuilder().setRouted(ShadowStack.routed(request))
                            .setReason(EscalationReason.LOW_CONFIDENCE).setConfidence(0.9).setEscalatedAt(at).build());
                } else {
                    answered.add(InferenceResult.newBuilder().setRequestId(request.getRequestId()).setTenant("acme")
                            .setStatus(ResultStatus.OK).setTier(Tier.SLM).setConfidence(0.9)
                            .setTaskType(TaskType.EXTRACTION).setCompletedAt(at).build());
                }
            }
        }
        stack.produce(stack.topics.results(), answered, InferenceResult::getRequestId);
        stack.produce(stack.topics.escalations(), escalated, e -> e.getRouted().getRequest().getRequestId());
        final PrometheusMeterRegistry meters = ServiceEndpoint.newRegistry();
        final DriftSettings settings = DriftSettings.from(Settings.of(Map.of("drift.alert.lookback", "72h")));
        monitor = new DriftMonitor(Map.of("bootstrap.servers", broker.bootstrapServers()), stack.registryClient,
                stack.topics, settings, meters, Clock.fixed(base.plus(Duration.ofHours(41)), ZoneOffset.UTC)).start();
        assertThat(monitor.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();

        final List<Alert> alerts = stack.read(stack.topics.alerts());
        assertThat(alerts).extracting(Alert::getMetric)
                .containsExactlyInAnyOrder("shadow_agreement", "escalation_rate/LOW_CONFIDENCE");
        final Alert rate = alerts.stream().filter(a -> a.getTaskType() == TaskType.EXTRACTION).findFirst().orElseThrow();
        assertThat(rate.getTenant()).isEqualTo("acme");
        assertThat(rate.getBeforeValue()).isCloseTo(0.05, offset(1e-12));
        assertThat(rate.getAfterValue()).isCloseTo(0.15, offset(1e-12));
        final Alert alert = alerts.stream().filter(a -> a.getTaskType() == TaskType.CLASSIFICATION).findFirst().orElseThrow();
        assertThat(alert.getKind()).isEqualTo(AlertKind.DRIFT);
        assertThat(alert.getMetric()).isEqualTo("shadow_agreement");
        assertThat(alert.getTaskType()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(alert.getBeforeValue()).isCloseTo(0.94, offset(1e-12));
        assertThat(alert.getAfterValue()).isCloseTo(0.87, offset(1e-12));
        assertThat(alert.getAlertId()).endsWith("/1h/" + base.plus(Duration.ofHours(30)));
        final String scrape = meters.scrape();
        assertThat(scrape).contains("drift_alerts_total{metric=\"shadow_agreement\"} 1.0")
                .contains("drift_alerts_total{metric=\"escalation_rate/LOW_CONFIDENCE\"} 1.0")
                .contains("drift_value{metric=\"shadow_agreement\",task_type=\"CLASSIFICATION\",tenant=\"t\",window=\"1h\"} 0.87");
    }
}
