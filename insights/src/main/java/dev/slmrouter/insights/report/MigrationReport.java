package dev.slmrouter.insights.report;

import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The migration report per task type: daily volume, share answered by the SLM, escalation rate by reason,
 * shadow agreement, cost per million requests on each tier and for the current mix, and a recommendation
 * from the decision matrix, the shadow agreement and the total-cost model:
 * <ul>
 * <li>GPT when the matrix scores the task type "GPT required" at its volume, or agreement is below the
 *     hybrid floor;</li>
 * <li>KEEP_SLM when the matrix prefers the SLM, agreement reaches the target, and the volume is at or above
 *     self-hosting's break-even against the API price of the task type;</li>
 * <li>HYBRID (the SLM with escalation) otherwise, and while no agreement is measured.</li>
 * </ul>
 * Built from records, so the same figures can be rendered elsewhere (the demo's HTML report).
 */
public final class MigrationReport {

    public enum Recommendation { KEEP_SLM, HYBRID, GPT }

    /** The thresholds the recommendation uses. */
    public record Rules(double agreementTarget, double hybridFloor, long minCompared) {
        /** The defaults of {@code insights report}: target 0.97, hybrid floor 0.90, 100 compared pairs. */
        public static final Rules DEFAULT = new Rules(0.97, 0.90, 100);
    }

    /** One task type's row. */
    public record Row(TaskType taskType, double perDay, double slmShare, Map<EscalationReason, Double> escalationRates,
                      double agreement, long compared, double slmPerMillion, double gptPerMillion,
                      double mixPerMillion, int matrixScore, double breakEvenPerDay, double apiMonthlyUsd,
                      double selfHostMonthlyUsd, Recommendation recommendation, String reason) {
    }

    private final Map<TaskType, TaskFigures> figures = new EnumMap<>(TaskType.class);

    public void add(final InferenceResult result) {
        figures.computeIfAbsent(result.getTaskType() == null ? TaskType.UNKNOWN : result.getTaskType(),
                t -> new TaskFigures()).add(result);
    }

    public void add(final ShadowComparison comparison) {
        figures.computeIfAbsent(comparison.getTaskType(), t -> new TaskFigures()).add(comparison);
    }

    public List<Row> rows(final Instant from, final Instant to, final DecisionMatrix matrix, final CostModel costs,
                          final Rules rules) {
        final double days = Math.max(Duration.between(from, to).toMillis(), 1) / 86_400_000.0;
        final List<Row> rows = new ArrayList<>();
        figures.forEach((type, f) -> {
            final double perDay = f.results() / days;
            final Map<EscalationReason, Double> rates = new EnumMap<>(EscalationReason.class);
            f.escalations().forEach((reason, n) -> rates.put(reason, (double) n / f.slmHandled()));
            final double gpt = f.perRequest(Tier.GPT);
            final int score = matrix.score(type, perDay);
            final double breakEven = Double.isNaN(gpt) ? Double.NaN : costs.breakEvenPerDay(gpt);
            final double agreement = f.compared() >= rules.minCompared() ? f.agreement() : Double.NaN;
            final String[] reason = new String[1];
            final Recommendation rec = recommend(score, matrix, agreement, perDay, breakEven, rules, reason);
            rows.add(new Row(type, perDay, f.results() == 0 ? 0 : (double) f.tier(Tier.SLM) / f.results(), rates,
                    f.agreement(), f.compared(), f.perRequest(Tier.SLM) * 1e6, gpt * 1e6, f.mixPerRequest() * 1e6,
                    score, breakEven, Double.isNaN(gpt) ? Double.NaN : costs.apiMonthlyUsd(perDay, gpt),
                    costs.selfHostMonthlyUsd(perDay), rec, reason[0]));
        });
        return rows;
    }

    static Recommendation recommend(final int score, final DecisionMatrix matrix, final double agreement,
                                    final double perDay, final double breakEven, final Rules rules,
                                    final String[] reason) {
        if (score >= matrix.gptAtLeast()) {
            reason[0] = "the matrix scores it " + score + " (GPT required) at this volume";
            return Recommendation.GPT;
        }
        if (Double.isNaN(agreement)) {
            reason[0] = "no shadow agreement measured (fewer than " + rules.minCompared() + " compared): run shadow mode";
            return Recommendation.HYBRID;
        }
        if (agreement < rules.hybridFloor()) {
            reason[0] = String.format(Locale.ROOT, "shadow agreement %.3f is below the hybrid floor %.2f", agreement,
                    rules.hybridFloor());
            return Recommendation.GPT;
        }
        final List<String> short_ = new ArrayList<>();
        if (score > matrix.slmAtMost()) {
            short_.add("the matrix scores it " + score + " (a tie)");
        }
        if (agreement < rules.agreementTarget()) {
            short_.add(String.format(Locale.ROOT, "agreement %.3f < target %.2f", agreement, rules.agreementTarget()));
        }
        if (Double.isNaN(breakEven) || perDay < breakEven) {
            short_.add(Double.isNaN(breakEven) ? "no GPT price measured"
                    : String.format(Locale.ROOT, "%.0f/day is below self-hosting's break-even %.0f/day", perDay, breakEven));
        }
        if (short_.isEmpty()) {
            reason[0] = String.format(Locale.ROOT, "matrix %d, agreement %.3f, volume above break-even", score, agreement);
            return Recommendation.KEEP_SLM;
        }
        reason[0] = String.join("; ", short_) + ": the SLM with escalation";
        return Recommendation.HYBRID;
    }

    /** The rows as a Markdown table with the assumptions. */
    public static String markdown(final List<Row> rows, final Instant from, final Instant to, final DecisionMatrix matrix,
                                  final CostModel costs) {
        final StringBuilder out = new StringBuilder();
        out.append("# Migration report\n\n").append("From ").append(from).append(" to ").append(to)
                .append("; decision matrix of policy ").append(matrix.version()).append(".\n\n");
        out.append(String.format(Locale.ROOT, "Self-hosting: %d+ GPU(s) at $%.2f/h serving %.1f req/s each at %.0f%% "
                        + "utilization, %d failover replica(s), %.0f engineering h/month at $%.0f/h: $%.0f/month before "
                        + "the traffic needs a second GPU.%n%n", costs.failoverReplicas() + 1, costs.gpuUsdPerHour(),
                costs.gpuRequestsPerSecond(), 100 * costs.utilization(), costs.failoverReplicas(), costs.engineeringHours(),
                costs.engineeringUsdPerHour(), costs.selfHostMonthlyUsd(0)));
        out.append("| task type | requests/day | SLM share | escalation rate by reason | shadow agreement (n) | "
                + "$/1M on SLM | $/1M on GPT | $/1M current mix | matrix | break-even/day | API $/month | "
                + "self-host $/month | recommendation |\n");
        out.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (final Row r : rows) {
            final String rates = r.escalationRates().isEmpty() ? "-" : r.escalationRates().entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.1f%%", e.getKey(), 100 * e.getValue()))
                    .collect(Collectors.joining(", "));
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f%% | %s | %s | %s | %s | %s | %d | %s | %s | %.0f | **%s**: %s |%n",
                    r.taskType(), r.perDay(), 100 * r.slmShare(), rates,
                    Double.isNaN(r.agreement()) ? "-" : String.format(Locale.ROOT, "%.3f (%d)", r.agreement(), r.compared()),
                    money(r.slmPerMillion()), money(r.gptPerMillion()), money(r.mixPerMillion()), r.matrixScore(),
                    Double.isNaN(r.breakEvenPerDay()) ? "-" : Double.isInfinite(r.breakEvenPerDay()) ? "never"
                            : String.format(Locale.ROOT, "%.0f", r.breakEvenPerDay()),
                    Double.isNaN(r.apiMonthlyUsd()) ? "-" : String.format(Locale.ROOT, "%.0f", r.apiMonthlyUsd()),
                    r.selfHostMonthlyUsd(), r.recommendation(), r.reason()));
        }
        return out.toString();
    }

    private static String money(final double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "$%,.2f", v);
    }
}
