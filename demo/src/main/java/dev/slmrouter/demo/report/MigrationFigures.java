package dev.slmrouter.demo.report;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.insights.drift.DriftDetector;
import dev.slmrouter.insights.drift.DriftSettings;
import dev.slmrouter.insights.report.CostModel;
import dev.slmrouter.insights.report.DecisionMatrix;
import dev.slmrouter.insights.report.MigrationReport;
import dev.slmrouter.router.policy.TenantRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The migration study's view of the demo run, computed by the {@code insights} module's own classes (the
 * ones behind {@code insights report} and the drift monitor), fed from the same topics the report reads:
 * per task type, shadow agreement, drift status and the migration recommendation.
 */
final class MigrationFigures {

    /**
     * The demo's recommendation rules: the report's defaults but with 20 compared pairs instead of 100, since
     * a demo run shadows a few dozen answers per task type.
     */
    static final MigrationReport.Rules RULES = new MigrationReport.Rules(MigrationReport.Rules.DEFAULT.agreementTarget(),
            MigrationReport.Rules.DEFAULT.hybridFloor(), 20);

    /** One task type: shadow pairs with a verdict, those that agreed, the drift status and the recommendation. */
    record TaskRow(TaskType taskType, long compared, long agreed, String drift, MigrationReport.Row migration) {
        double agreement() {
            return compared == 0 ? Double.NaN : (double) agreed / compared;
        }
    }

    private final MigrationReport migration = new MigrationReport();
    private final DriftDetector drift = new DriftDetector(DriftSettings.from(Settings.of(Map.of())), "demo",
            (metric, taskType, tenant, window, value, baseline) -> { });
    private final Map<TaskType, long[]> verdicts = new EnumMap<>(TaskType.class);
    private int awaited;
    private int comparisons;

    void result(final InferenceResult result) {
        migration.add(result);
        if (result.getTier() == Tier.SLM && !result.getEscalated()) {
            drift.answered(result.getCompletedAt(), result.getTaskType(), result.getTenant(), result.getConfidence());
        }
    }

    /** An escalation from the SLM (its rate and draft confidence); a sampled one also awaits a comparison. */
    void escalated(final Escalation escalation) {
        drift.escalated(escalation.getEscalatedAt(), escalation.getRouted().getDecision().getTaskType(),
                escalation.getRouted().getRequest().getTenant(), escalation.getReason(), escalation.getConfidence());
        if (escalation.getShadow()) {
            awaited++;
        }
    }

    /** A request the SLM answered and handed to the GPT worker for shadowing: a comparison will follow. */
    void shadowRequested() {
        awaited++;
    }

    void compared(final ShadowComparison comparison) {
        comparisons++;
        migration.add(comparison);
        if (comparison.getAgreed() != null) {
            final long[] counts = verdicts.computeIfAbsent(comparison.getTaskType(), t -> new long[2]);
            counts[0]++;
            counts[1] += comparison.getAgreed() ? 1 : 0;
            drift.compared(comparison.getComparedAt(), comparison.getTaskType(), comparison.getTenant(),
                    comparison.getAgreed());
        }
    }

    /** Comparisons still to come for the shadow requests and sampled escalations seen so far. */
    int pendingComparisons() {
        return Math.max(0, awaited - comparisons);
    }

    int comparisons() {
        return comparisons;
    }

    /**
     * One row per task type with results, between {@code from} and {@code to} (the daily volume is this
     * run's rate extended to a day, as in the decision-matrix section), with the routing policy's matrix
     * and the report's default cost model. Every hourly and daily window is closed first, so the drift
     * status is what the drift monitor would say of this traffic.
     */
    List<TaskRow> rows(final Instant from, final Instant to, final TenantRules rules) {
        drift.advance(to.plus(Duration.ofDays(2)));
        final Set<String> inDrift = drift.inDrift();
        final Map<TaskType, List<Integer>> scores = new EnumMap<>(TaskType.class);
        rules.matrix().forEach((type, row) -> scores.put(type, Arrays.stream(row).boxed().toList()));
        final DecisionMatrix matrix = new DecisionMatrix("routing policy", Arrays.stream(rules.volumeBands().limits())
                .boxed().toList(), scores, rules.slmAtMost(), rules.gptAtLeast());
        final List<TaskRow> rows = new ArrayList<>();
        for (MigrationReport.Row row : migration.rows(from, to, matrix, CostModel.DEFAULT, RULES)) {
            final long[] counts = verdicts.getOrDefault(row.taskType(), new long[2]);
            final String drifting = inDrift.stream().filter(k -> k.contains("|" + row.taskType() + "|"))
                    .map(k -> k.substring(0, k.indexOf('|'))).distinct().sorted().collect(Collectors.joining(", "));
            rows.add(new TaskRow(row.taskType(), counts[0], counts[1], drifting.isEmpty() ? "none" : "in drift: " + drifting,
                    row));
        }
        rows.sort((a, b) -> a.taskType().compareTo(b.taskType()));
        return rows;
    }
}
