package dev.slmrouter.insights.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.slmrouter.common.stats.BinomialBounds;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.TaskType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    /**
     * 200 answers at each of four confidence levels with a known agreement: 0.95 and 0.85 always agree,
     * 0.75 agrees 90% of the time, 0.60 70%. Thresholds above 0.75 accept 400 agreeing answers (lower
     * bound 0.05^(1/400) = 0.9925); from 0.75 down the 20 disagreements at 0.75 take the point estimate to
     * 0.9667, below 0.97. So the lowest threshold on the 0.01 grid is 0.76.
     */
    static List<ShadowComparison> knownAgreement() {
        final List<ShadowComparison> list = new ArrayList<>();
        final double[] levels = {0.95, 0.85, 0.75, 0.60};
        final int[] disagreePerTen = {0, 0, 1, 3};
        for (int level = 0; level < 4; level++) {
            for (int k = 0; k < 200; k++) {
                list.add(Comparisons.of("r" + level + "-" + k, TaskType.CLASSIFICATION, "t", levels[level],
                        k % 10 >= disagreePerTen[level], null, Instant.EPOCH));
            }
        }
        return list;
    }

    @Test
    void shouldFindTheKnownLowestThreshold() {
        final Map<TaskType, Calibration.TaskCalibration> result = new Calibration(0.97, 0.95, 0.01).calibrate(knownAgreement());

        final Calibration.TaskCalibration c = result.get(TaskType.CLASSIFICATION);
        assertThat(c.compared()).isEqualTo(800);
        assertThat(c.candidates()).hasSize(101);
        final Calibration.Candidate chosen = c.chosen().orElseThrow();
        assertThat(chosen.threshold()).isEqualTo(0.76);
        assertThat(chosen.accepted()).isEqualTo(400);
        assertThat(chosen.agreeing()).isEqualTo(400);
        assertThat(chosen.lowerBound()).isCloseTo(Math.pow(0.05, 1 / 400.0), offset(1e-9));
        assertThat(chosen.escalationRate()).isEqualTo(0.5);
        // Every request pays the SLM ($0.00001); the 400 escalated ones pay GPT ($0.001) too.
        assertThat(chosen.costPerMillionUsd()).isCloseTo((0.00001 + 0.5 * 0.001) * 1e6, offset(1e-6));

        final Calibration.Candidate below = c.candidates().get(75);
        assertThat(below.threshold()).isEqualTo(0.75);
        assertThat(below.accepted()).isEqualTo(600);
        assertThat(below.agreeing()).isEqualTo(580);
        assertThat(below.lowerBound()).isEqualTo(BinomialBounds.lower(580, 600, 0.95)).isLessThan(0.97);
        assertThat(below.meetsTarget()).isFalse();
        assertThat(c.candidates().get(0).accepted()).isEqualTo(800);
        assertThat(c.candidates().get(100).accepted()).isZero();
    }

    @Test
    void shouldOnlyAcceptWhatOnlyTheConfidenceEscalatedAndSkipPairsWithoutAVerdict() {
        final List<ShadowComparison> list = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            list.add(Comparisons.of("ok" + i, TaskType.EXTRACTION, "t", 0.9, true, EscalationReason.LOW_CONFIDENCE, Instant.EPOCH));
            list.add(Comparisons.of("sf" + i, TaskType.EXTRACTION, "t", 0.99, false, EscalationReason.SCHEMA_FAIL, Instant.EPOCH));
            list.add(Comparisons.of("none" + i, TaskType.EXTRACTION, "t", 0.99, null, null, Instant.EPOCH));
        }
        final Calibration.TaskCalibration c = new Calibration(0.97, 0.95, 0.05).calibrate(list).get(TaskType.EXTRACTION);

        assertThat(c.compared()).isEqualTo(200);
        assertThat(c.chosen().orElseThrow().threshold()).isEqualTo(0.0);
        assertThat(c.chosen().get().accepted()).isEqualTo(100);
        assertThat(c.chosen().get().escalationRate()).isEqualTo(0.5);
        // Too few answers for the bound: 100 of 100 agree, lower bound 0.05^(1/100) = 0.9705.
        assertThat(new Calibration(0.98, 0.95, 0.05).calibrate(list).get(TaskType.EXTRACTION).chosen()).isEmpty();
    }
}
