package dev.slmrouter.insights.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.slmrouter.events.Alert;
import dev.slmrouter.events.AlertKind;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {

    private static final Instant BASE = Instant.parse("2026-11-20T00:00:00Z");
    private final DriftSettings settings = new DriftSettings(0.05, 0.05, 0.02, 0.05, 100, 24, 7,
            Duration.ofMinutes(5), Duration.ofHours(2));
    private final List<String> evaluated = new ArrayList<>();
    private final DriftDetector detector = new DriftDetector(settings, "test",
            (metric, type, tenant, window, value, baseline) -> evaluated.add(metric + " " + window));

    /** {@code perHour} comparisons in hour h, {@code agreeing} of them agreeing, spread over the hour. */
    private void hour(final int h, final int perHour, final int agreeing) {
        for (int i = 0; i < perHour; i++) {
            detector.compared(BASE.plus(Duration.ofHours(h)).plusSeconds(i * 3600L / perHour), TaskType.CLASSIFICATION,
                    "t", i < agreeing);
        }
    }

    @Test
    void shouldRaiseExactlyOneAlertWhenAgreementDropsFrom94To87() {
        final List<Alert> alerts = new ArrayList<>();
        for (int h = 0; h < 30; h++) {
            hour(h, 200, 188);
            alerts.addAll(detector.advance(BASE.plus(Duration.ofHours(h + 1))));
        }
        assertThat(alerts).isEmpty();
        for (int h = 30; h < 60; h++) {
            hour(h, 200, 174);
            alerts.addAll(detector.advance(BASE.plus(Duration.ofHours(h + 1))));
        }

        assertThat(alerts).hasSize(1);
        final Alert alert = alerts.get(0);
        assertThat(alert.getKind()).isEqualTo(AlertKind.DRIFT);
        assertThat(alert.getMetric()).isEqualTo("shadow_agreement");
        assertThat(alert.getTaskType()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(alert.getTenant()).isEqualTo("t");
        assertThat(alert.getBeforeValue()).isCloseTo(0.94, offset(1e-12));
        assertThat(alert.getAfterValue()).isCloseTo(0.87, offset(1e-12));
        assertThat(alert.getAlertId()).isEqualTo("drift/shadow_agreement/CLASSIFICATION/t/1h/2026-11-21T06:00:00Z");
        assertThat(alert.getWindow()).startsWith("1h 2026-11-21T06:00:00Z vs the 24 1h windows before");
        assertThat(detector.inDrift()).containsExactly("shadow_agreement|CLASSIFICATION|t");
        // Both daily windows closed too: the second (94% for 6 hours, then 87%) compares with the first.
        assertThat(evaluated).contains("shadow_agreement 1d");
    }

    @Test
    void shouldAlertAgainOnlyAfterTheMetricCameBackWithinItsBound() {
        final List<Alert> alerts = new ArrayList<>();
        int h = 0;
        for (; h < 25; h++) {
            hour(h, 200, 188);
            alerts.addAll(detector.advance(BASE.plus(Duration.ofHours(h + 1))));
        }
        hour(h, 200, 150); // one bad hour: alert
        alerts.addAll(detector.advance(BASE.plus(Duration.ofHours(++h))));
        hour(h, 200, 188); // back within bound: the episode ends
        alerts.addAll(detector.advance(BASE.plus(Duration.ofHours(++h))));
        hour(h, 200, 150); // a new drop: a new alert
        alerts.addAll(detector.advance(BASE.plus(Duration.ofHours(++h))));

        assertThat(detector.inDrift()).hasSize(1);
        assertThat(alerts).extracting(Alert::getAlertId).containsExactly(
                "drift/shadow_agreement/CLASSIFICATION/t/1h/2026-11-21T01:00:00Z",
                "drift/shadow_agreement/CLASSIFICATION/t/1h/2026-11-21T03:00:00Z");
    }

    @Test
    void shouldWatchEscalationRateByReasonSchemaFailsAndConfidence() {
        final List<Alert> alerts = new ArrayList<>();
        for (int h = 0; h < 26; h++) {
            final boolean bad = h == 25;
            for (int i = 0; i < 100; i++) {
                final Instant at = BASE.plus(Duration.ofHours(h)).plusSeconds(i * 30L);
                if (i < (bad ? 15 : 5)) {
                    detector.escalated(at, TaskType.EXTRACTION, "acme", EscalationReason.LOW_CONFIDENCE, 0.5);
                } else if (i < (bad ? 20 : 6)) {
                    detector.escalated(at, TaskType.EXTRACTION, "acme", EscalationReason.SCHEMA_FAIL, 0.95);
                } else {
                    detector.answered(at, TaskType.EXTRACTION, "acme", bad ? 0.9 : 0.95);
                }
            }
            alerts.addAll(detector.advance(BASE.plus(Duration.ofHours(h + 1))));
        }
        // LOW_CONFIDENCE 5% -> 15%, SCHEMA_FAIL 1% -> 5%, mean confidence 0.9275 -> 0.8425, and the 10th
        // percentile from the 0.95-1.0 bucket to the 0.50-0.55 one: four alerts.
        assertThat(alerts).extracting(Alert::getMetric).containsExactlyInAnyOrder("escalation_rate/LOW_CONFIDENCE",
                "schema_fail_rate", "confidence_mean", "confidence_p10");
        assertThat(alerts.stream().filter(a -> a.getMetric().equals("confidence_p10")).findFirst().orElseThrow()
                .getAfterValue()).isEqualTo(0.55);
        final Alert rate = alerts.stream().filter(a -> a.getMetric().startsWith("escalation")).findFirst().orElseThrow();
        assertThat(rate.getBeforeValue()).isCloseTo(0.05, offset(1e-12));
        assertThat(rate.getAfterValue()).isCloseTo(0.15, offset(1e-12));
    }

    @Test
    void shouldNotCompareWithTooFewSamplesAndDropLateEvents() {
        final List<Alert> alerts = new ArrayList<>();
        for (int h = 0; h < 30; h++) {
            hour(h, 50, h < 25 ? 47 : 20); // 50 a window: below drift.min.samples
            alerts.addAll(detector.advance(BASE.plus(Duration.ofHours(h + 1))));
        }
        assertThat(alerts).isEmpty();
        detector.compared(BASE, TaskType.CLASSIFICATION, "t", true);
        assertThat(detector.late()).isEqualTo(1);
    }
}
