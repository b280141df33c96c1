package dev.slmrouter.insights.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.TaskType;
import dev.slmrouter.worker.shadow.TaskTenantFractions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProposedPolicyTest {

    @Test
    void shouldReplaceCalibratedTaskTypesAndKeepEverythingElse() {
        final Map<TaskType, Calibration.TaskCalibration> result = new Calibration(0.97, 0.95, 0.01)
                .calibrate(CalibrationTest.knownAgreement());
        final String policy = ProposedPolicy.render("CLASSIFICATION:0.9, EXTRACTION:0.8,tenant/acme:0.95", result,
                List.of("test"), Instant.parse("2026-11-28T12:00:00Z"));

        assertThat(policy).contains("NOT APPLIED").contains("# CLASSIFICATION: threshold 0.76; 400 of 800 compared answers accepted");
        final String line = policy.lines().filter(l -> l.startsWith("slm.confidence.thresholds=")).findFirst().orElseThrow();
        assertThat(line).isEqualTo("slm.confidence.thresholds=EXTRACTION:0.8,tenant/acme:0.95,CLASSIFICATION:0.76");
        // What the SLM worker parses.
        final TaskTenantFractions parsed = TaskTenantFractions.parse(0.85, line.substring(line.indexOf('=') + 1));
        assertThat(parsed.valueFor(TaskType.CLASSIFICATION, "x")).isEqualTo(0.76);
        assertThat(parsed.valueFor(TaskType.EXTRACTION, "acme")).isEqualTo(0.95);
    }
}
