package dev.slmrouter.demo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slmrouter.demo.report.DemoReport.Accuracy;
import dev.slmrouter.demo.report.DemoReport.MatrixRow;
import dev.slmrouter.demo.report.DemoReport.TierSplit;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.insights.report.MigrationReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every figure of the report, computed once, on a run whose answers are known. */
class DemoReportTest {

    private final DemoReport report = ReportEvents.knownRun();

    @Test
    void countsEveryRequestOnceAndTheDuplicateApart() {
        assertThat(report.finished()).isEqualTo(11);
        assertThat(report.duplicates()).isEqualTo(1);
    }

    @Test
    void splitsRoutingByTaskTypeRuleAndLanguage() {
        assertThat(report.routedByTaskType()).containsExactly(
                java.util.Map.entry("CLASSIFICATION", new TierSplit(3, 4, 0)),
                java.util.Map.entry("REASONING", new TierSplit(0, 0, 2)));
        // The request tier 0 passed on to the SLM is not a second routing decision.
        assertThat(report.routedByRule()).containsOnly(java.util.Map.entry("MATRIX_TIE", 4),
                java.util.Map.entry("MATRIX_GPT_REQUIRED", 2), java.util.Map.entry("TIER0_CLASSIFIER", 3));
        assertThat(report.routedByLanguage()).containsEntry("en", new TierSplit(3, 4, 0))
                .containsEntry("de", new TierSplit(0, 0, 2));
    }

    @Test
    void outcomesLatencyAndCost() {
        assertThat(report.escalationsByReason()).containsOnly(java.util.Map.entry("SLM -> GPT LOW_CONFIDENCE", 1),
                java.util.Map.entry("TIER0 -> SLM LOW_CONFIDENCE", 1), java.util.Map.entry("TIER0 -> GPT REFUSAL", 1));
        assertThat(report.resultsByTierStatus()).containsOnly(java.util.Map.entry("TIER0 OK", 1),
                java.util.Map.entry("SLM OK", 4), java.util.Map.entry("GPT OK", 3), java.util.Map.entry("GPT FAILED", 1));
        assertThat(report.latencyByTier().get("TIER0")).isEqualTo(new DemoReport.Latency(1, 5, 5, 5));
        assertThat(report.latencyByTier().get("SLM")).isEqualTo(new DemoReport.Latency(4, 200, 300, 300));
        assertThat(report.latencyByTier().get("GPT")).isEqualTo(new DemoReport.Latency(4, 1000, 1100, 1100));
        assertThat(report.deadLettersByReason()).containsEntry("UNDECODABLE", 1).containsEntry("MISSING_MESSAGES", 1);
        final DemoReport.Cost cost = report.cost();
        assertThat(cost.total()).isCloseTo(4 * 0.0001 + 4 * 0.0035, within(1e-9));
        assertThat(cost.byTier().get("SLM")).isCloseTo(0.0004, within(1e-9));
        assertThat(cost.byTier().get("TIER0")).isZero();
        // Tier 0's answer is priced on GPT-4o as what GPT-4o would have been sent: "text of t1" (4 tokens) in one
        // message (3 + 3 tokens of chat format), the labels "a, b, c, d" (7 tokens), and the label "b" (1 token).
        assertThat(cost.allGpt4o()).isCloseTo(8 * (1_000 * 2.50 + 100 * 10.00) / 1e6 + (17 * 2.50 + 1 * 10.00) / 1e6,
                within(1e-9));
    }

    @Test
    void confidenceHistogramSeparatesKeptAnswersFromEscalatedDrafts() {
        final DemoReport.ConfidenceHistogram histogram = report.slmConfidence();

        assertThat(histogram.kept()[19]).isEqualTo(1); // 0.97
        assertThat(histogram.kept()[18]).isEqualTo(2); // 0.91, 0.90 (passed on by tier 0); tier 0's own 0.99 is not the SLM's
        assertThat(histogram.kept()[17]).isEqualTo(1); // 0.88
        assertThat(histogram.escalated()[8]).isEqualTo(1); // 0.42
        assertThat(histogram.total()).isEqualTo(5);
        assertThat(histogram.threshold()).isEqualTo(0.85);
    }

    @Test
    void decisionMatrixShowsThePolicyScoresAndTheObservedEscalationRate() {
        final List<MatrixRow> rows = report.decisionMatrix();
        final MatrixRow classification = rows.stream().filter(r -> r.taskType() == TaskType.CLASSIFICATION)
                .findFirst().orElseThrow();

        assertThat(rows).hasSize(7);
        assertThat(classification.scores()).containsExactly(3, 2, 1);
        assertThat(classification.tiers()).containsExactly(Tier.SLM, Tier.SLM, Tier.SLM);
        assertThat(classification.decisionsPerBand()).containsExactly(7, 0, 0);
        assertThat(classification.maxDailyVolume()).isEqualTo(6);
        assertThat(classification.routed()).isEqualTo(new TierSplit(3, 4, 0));
        assertThat(classification.escalated()).isEqualTo(1);
        assertThat(classification.escalationRate()).isEqualTo(0.25);
        assertThat(classification.perDayAt(java.time.Duration.ofSeconds(2))).isEqualTo(7 * 43_200);
        assertThat(report.volumeBandLimits()).containsExactly(10_000, 100_000);
    }

    @Test
    void accuracyAgainstExpectedLabelsWithTheRandomChoiceBaseline() {
        assertThat(report.accuracyByDataset()).containsExactly(
                java.util.Map.entry("banking77", new Accuracy(7, 7, 6, 0.25)));
        assertThat(report.accuracyByTier()).containsOnly(java.util.Map.entry("TIER0", new Accuracy(1, 1, 1, 0.25)),
                java.util.Map.entry("SLM", new Accuracy(4, 4, 3, 0.25)),
                java.util.Map.entry("GPT", new Accuracy(2, 2, 2, 0.25)));
    }

    @Test
    void shadowAgreementDriftAndTheMigrationRecommendationPerTaskType() {
        assertThat(report.pendingComparisons()).isZero();
        final List<MigrationFigures.TaskRow> rows = report.migration(java.time.Duration.ofSeconds(2));
        final MigrationFigures.TaskRow classification = rows.stream()
                .filter(r -> r.taskType() == TaskType.CLASSIFICATION).findFirst().orElseThrow();
        assertThat(classification.compared()).isEqualTo(2);
        assertThat(classification.agreement()).isEqualTo(0.5);
        assertThat(classification.drift()).isEqualTo("none");
        // 2 pairs are fewer than the 20 the demo asks for: no agreement claimed, so the SLM with escalation.
        assertThat(classification.migration().recommendation()).isEqualTo(MigrationReport.Recommendation.HYBRID);
        assertThat(classification.migration().reason()).contains("fewer than 20 compared");
        final MigrationFigures.TaskRow reasoning = rows.stream()
                .filter(r -> r.taskType() == TaskType.REASONING).findFirst().orElseThrow();
        assertThat(reasoning.compared()).isZero();
        assertThat(reasoning.migration().recommendation()).isEqualTo(MigrationReport.Recommendation.GPT);
    }

    @Test
    void waitsForTheComparisonOfEveryShadowedRequest() {
        report.shadowRequested();
        assertThat(report.pendingComparisons()).isEqualTo(1);
        report.compared(ReportEvents.comparison("c3", true));
        assertThat(report.pendingComparisons()).isZero();
    }

    @Test
    void printsThePlainTextReport() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new RunInfo(8, java.time.Duration.ofSeconds(2), "the vLLM simulator", true, "the OpenAI simulator", true, List.of("test traffic")));
        final String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("8 requests produced, 11 finished, 1 duplicates")
                .contains("the vLLM simulator (simulated)")
                .contains("SLM -> GPT LOW_CONFIDENCE")
                .containsPattern("TIER0 +1 \\( *14\\.3%\\)  1/1 correct, 100\\.0% \\(random choice: 25\\.0%\\)")
                .containsPattern("SLM +4 \\( *57\\.1%\\)  simulated: no accuracy claimed")
                .containsPattern("banking77 +6/7 +85\\.7% \\(random choice: 25\\.0%\\)")
                .contains("Traffic: test traffic")
                .containsPattern("CLASSIFICATION +2 +50\\.0% +none +HYBRID: no shadow agreement measured");
    }
}
