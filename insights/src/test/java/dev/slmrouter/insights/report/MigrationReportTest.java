package dev.slmrouter.insights.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.insights.calibrate.Comparisons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationReportTest {

    static final Instant FROM = Instant.parse("2026-11-20T00:00:00Z");
    static final Instant TO = FROM.plus(Duration.ofDays(1));

    static DecisionMatrix matrix(final Path dir) throws Exception {
        final Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                version: "test-1"
                volume_bands_per_day: [10000, 100000]
                matrix:
                  CLASSIFICATION: [3, 2, 1]
                  REASONING: [5, 5, 4]
                  EXTRACTION: [3, 2, 1]
                scores:
                  slm_at_most: 2
                  gpt_at_least: 4
                """);
        return DecisionMatrix.read(file);
    }

    static InferenceResult result(final String id, final TaskType type, final Tier tier, final EscalationReason reason,
                                  final double cost) {
        return InferenceResult.newBuilder().setRequestId(id).setTenant("t").setStatus(ResultStatus.OK).setTier(tier)
                .setEscalated(reason != null).setEscalationReason(reason).setCostUsd(cost).setTaskType(type)
                .setCompletedAt(FROM.plusSeconds(60)).build();
    }

    @Test
    void shouldReportEachTaskTypeAndRecommendFromMatrixAgreementAndCost(@TempDir final Path dir) throws Exception {
        final MigrationReport report = new MigrationReport();
        // CLASSIFICATION: 200,000 a day (above the break-even of 161,753 at the comparisons' $0.001 GPT price), 90% answered by the SLM, 10% escalated (LOW_CONFIDENCE), agreement 0.99.
        for (int i = 0; i < 200_000; i++) {
            report.add(i % 10 == 0 ? result("c" + i, TaskType.CLASSIFICATION, Tier.GPT, EscalationReason.LOW_CONFIDENCE, 0.00176)
                    : result("c" + i, TaskType.CLASSIFICATION, Tier.SLM, null, 0.00001));
        }
        for (int i = 0; i < 1_000; i++) {
            report.add(Comparisons.of("s" + i, TaskType.CLASSIFICATION, "t", 0.95, i % 100 != 0, null, FROM));
        }
        // REASONING: 500 a day, all GPT at $0.01.
        for (int i = 0; i < 500; i++) {
            report.add(result("r" + i, TaskType.REASONING, Tier.GPT, null, 0.01));
        }
        // EXTRACTION: 20,000 a day on the SLM, shadow agreement 0.85.
        for (int i = 0; i < 20_000; i++) {
            report.add(result("e" + i, TaskType.EXTRACTION, Tier.SLM, null, 0.00002));
        }
        for (int i = 0; i < 200; i++) {
            report.add(Comparisons.of("x" + i, TaskType.EXTRACTION, "t", 0.9, i % 20 >= 3, null, FROM));
        }

        final CostModel costs = new CostModel(2.0, 10, 0.5, 1, 20, 100);
        final List<MigrationReport.Row> rows = report.rows(FROM, TO, matrix(dir), costs,
                new MigrationReport.Rules(0.97, 0.90, 100));
        final Map<TaskType, MigrationReport.Row> byType = rows.stream()
                .collect(java.util.stream.Collectors.toMap(MigrationReport.Row::taskType, r -> r));

        final MigrationReport.Row c = byType.get(TaskType.CLASSIFICATION);
        assertThat(c.perDay()).isEqualTo(200_000);
        assertThat(c.slmShare()).isCloseTo(0.9, offset(1e-12));
        assertThat(c.escalationRates()).containsExactly(Map.entry(EscalationReason.LOW_CONFIDENCE, 0.1));
        assertThat(c.agreement()).isEqualTo(0.99);
        assertThat(c.slmPerMillion()).isCloseTo(10, offset(1e-6));
        // No direct GPT answer: the comparisons' GPT cost ($0.001) prices the GPT tier.
        assertThat(c.gptPerMillion()).isCloseTo(1_000, offset(1e-6));
        assertThat(c.mixPerMillion()).isCloseTo(0.9 * 10 + 0.1 * 1_760, offset(1e-6));
        assertThat(c.matrixScore()).isEqualTo(1);
        assertThat(c.recommendation()).isEqualTo(MigrationReport.Recommendation.KEEP_SLM);

        assertThat(byType.get(TaskType.REASONING).recommendation()).isEqualTo(MigrationReport.Recommendation.GPT);
        assertThat(byType.get(TaskType.REASONING).gptPerMillion()).isCloseTo(10_000, offset(1e-6));
        assertThat(byType.get(TaskType.EXTRACTION).recommendation()).isEqualTo(MigrationReport.Recommendation.GPT);
        assertThat(byType.get(TaskType.EXTRACTION).reason()).contains("below the hybrid floor");

        final String md = MigrationReport.markdown(rows, FROM, TO, matrix(dir), costs);
        assertThat(md).contains("| CLASSIFICATION | 200000 | 90.0% | LOW_CONFIDENCE 10.0% | 0.990 (1000) |")
                .contains("**KEEP_SLM**").contains("$4920/month");
    }

    @Test
    void shouldRecommendHybridWithoutEnoughShadowDataOrBelowBreakEven(@TempDir final Path dir) throws Exception {
        final DecisionMatrix matrix = matrix(dir);
        final MigrationReport.Rules rules = new MigrationReport.Rules(0.97, 0.90, 100);
        final String[] reason = new String[1];
        assertThat(MigrationReport.recommend(2, matrix, Double.NaN, 50_000, 90_000, rules, reason))
                .isEqualTo(MigrationReport.Recommendation.HYBRID);
        assertThat(reason[0]).contains("run shadow mode");
        assertThat(MigrationReport.recommend(2, matrix, 0.99, 50_000, 90_000, rules, reason))
                .isEqualTo(MigrationReport.Recommendation.HYBRID);
        assertThat(reason[0]).contains("below self-hosting's break-even");
        assertThat(MigrationReport.recommend(3, matrix, 0.99, 200_000, 90_000, rules, reason))
                .isEqualTo(MigrationReport.Recommendation.HYBRID);
        assertThat(MigrationReport.recommend(1, matrix, 0.95, 200_000, 90_000, rules, reason))
                .isEqualTo(MigrationReport.Recommendation.HYBRID);
        assertThat(MigrationReport.recommend(1, matrix, 0.98, 200_000, 90_000, rules, reason))
                .isEqualTo(MigrationReport.Recommendation.KEEP_SLM);
    }
}
