package dev.slmrouter.demo.report;

import dev.slmrouter.demo.traffic.SampleTraffic;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.router.policy.TenantRules;
import dev.slmrouter.router.size.TokenEstimator;
import dev.slmrouter.tier0.worker.Tier0RecordHandler;
import java.io.PrintStream;
import java.time.Duration;
import dev.slmrouter.worker.cost.TokenPrice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the system did with the demo traffic, built from the topics (read_committed): routing by tier,
 * task type, rule and language; escalations by reason; final answers by tier and status with latency
 * percentiles; dead letters by reason; the cost against the same traffic all on GPT-4o; the SLM's
 * confidence; the decision matrix with what was observed per task type; and accuracy where the traffic
 * carries expected labels. Every figure is computed here, once; {@link #print} renders it as plain text
 * and {@link HtmlReport} as a page with charts.
 */
public final class DemoReport {

    /** Bins of the confidence histogram, each 1/20 wide. */
    public static final int CONFIDENCE_BINS = 20;

    /** How many requests the router sent to each tier. */
    public record TierSplit(int tier0, int slm, int gpt) {
        public int total() {
            return tier0 + slm + gpt;
        }
    }

    /** End-to-end latency percentiles of one tier's final answers, in milliseconds. */
    public record Latency(int count, long p50, long p95, long p99) {
    }

    /** What the traffic cost, per answering tier, and the same tokens priced on GPT-4o. */
    public record Cost(double total, double allGpt4o, Map<String, Double> byTier) {
        public double savedPercent() {
            return allGpt4o == 0 ? 0 : 100 * (1 - total / allGpt4o);
        }
    }

    /**
     * The SLM's confidence in its answers, in {@value #CONFIDENCE_BINS} equal bins from 0 to 1: answers it
     * kept (final SLM results) and drafts it escalated; {@code withoutConfidence} counts escalations
     * that had no answer to judge (timeouts, backend down).
     */
    public record ConfidenceHistogram(int[] kept, int[] escalated, int withoutConfidence, double threshold) {
        public int total() {
            int sum = 0;
            for (int i = 0; i < kept.length; i++) {
                sum += kept[i] + escalated[i];
            }
            return sum;
        }
    }

    /**
     * One task type's row of the decision matrix: the policy's score per volume band and the tier each
     * score means, then what this run saw: decisions per band, the router's largest daily-volume figure,
     * requests per tier, escalations from the SLM and their rate among the SLM-routed ones.
     */
    public record MatrixRow(TaskType taskType, List<Integer> scores, List<Tier> tiers, List<Integer> decisionsPerBand,
                            long maxDailyVolume, TierSplit routed, int escalated) {
        public double escalationRate() {
            return routed.slm() == 0 ? 0 : (double) escalated / routed.slm();
        }

        /** This task type's requests per day if traffic went on at this run's rate. */
        public long perDayAt(final Duration producing) {
            final double seconds = Math.max(0.001, producing.toNanos() / 1e9);
            return Math.round(routed.total() / seconds * 86_400);
        }
    }

    /**
     * Classification answers scored against the expected label: results that carried one, those
     * answered with a label, the correct ones, and what picking a label at random would have scored.
     */
    public record Accuracy(int expected, int answered, int correct, double chance) {
        public double accuracy() {
            return answered == 0 ? 0 : (double) correct / answered;
        }
    }

    private final TenantRules rules;
    private final double confidenceThreshold;

    private final Map<String, int[]> routedByTaskType = new TreeMap<>();
    private final Map<String, Integer> routedByRule = new TreeMap<>();
    private final Map<String, int[]> routedByLanguage = new TreeMap<>();
    private final Map<TaskType, int[]> decisionsPerBand = new EnumMap<>(TaskType.class);
    private final Map<TaskType, Long> maxDailyVolume = new EnumMap<>(TaskType.class);
    private final Map<TaskType, Integer> escalationsByTaskType = new EnumMap<>(TaskType.class);
    private final Map<String, Integer> labelCounts = new HashMap<>();
    private final Map<String, Integer> escalationsByReason = new TreeMap<>();
    private final int[] keptConfidence = new int[CONFIDENCE_BINS];
    private final int[] escalatedConfidence = new int[CONFIDENCE_BINS];
    private int escalatedWithoutConfidence;
    private final Map<String, Integer> resultsByTierStatus = new TreeMap<>();
    private final Map<String, List<Long>> latencyByTier = new TreeMap<>();
    private final Map<String, Double> costByTier = new TreeMap<>();
    private final List<Scored> scored = new ArrayList<>();
    private final Map<String, Integer> deadLetters = new TreeMap<>();
    private final Set<String> finished = new HashSet<>();
    private final TokenEstimator tokens = new TokenEstimator();
    private final Map<String, Integer> tier0PromptTokens = new HashMap<>();
    private final Map<String, String> tier0Labels = new HashMap<>();
    private final MigrationFigures migration = new MigrationFigures();
    private List<MigrationFigures.TaskRow> migrationRows;
    private int duplicates;
    private double cost;
    private double allGpt4oCost;

    /**
     * @param rules               the routing rules the router applies to the demo's tenants, for the matrix
     * @param confidenceThreshold the SLM worker's confidence threshold, marked on the histogram
     */
    public DemoReport(final TenantRules rules, final double confidenceThreshold) {
        this.rules = rules;
        this.confidenceThreshold = confidenceThreshold;
    }

    /** A scored classification answer; the label count is looked up at the end (the routed event may come later). */
    private record Scored(String requestId, String dataset, String tier, boolean answered, boolean correct) {
    }

    /**
     * A routed request: the router's decision, or a request tier 0 passed on to the SLM (decided
     * TIER0_CLASSIFIER, now for the SLM), which is counted as such and not as a second routing.
     */
    public void routed(final RoutedRequest request) {
        final RoutingDecision d = request.getDecision();
        if (d.getRule() == RoutingRule.TIER0_CLASSIFIER && d.getTier() != Tier.TIER0) {
            final String reason = request.getRequest().getMetadata().getOrDefault(Tier0RecordHandler.REASON_KEY, "UNKNOWN");
            escalationsByReason.merge("TIER0 -> " + d.getTier() + " " + reason, 1, Integer::sum);
            return;
        }
        final int tier = column(d.getTier());
        if (d.getTier() == Tier.TIER0) {
            // What GPT-4o would have been sent: the messages and the label list.
            final List<String> labels = request.getRequest().getLabels();
            tier0PromptTokens.put(request.getRequest().getRequestId(), tokens.exact(request.getRequest())
                    + (labels == null ? 0 : tokens.count(String.join(", ", labels))));
        }
        routedByRule.merge(d.getRule().name(), 1, Integer::sum);
        routedByTaskType.computeIfAbsent(d.getTaskType().name(), k -> new int[3])[tier]++;
        routedByLanguage.computeIfAbsent(d.getLanguage() == null ? "undetected" : d.getLanguage(),
                k -> new int[3])[tier]++;
        final int[] bands = decisionsPerBand.computeIfAbsent(d.getTaskType(), k -> new int[rules.volumeBands().count()]);
        if (d.getVolumeBand() >= 0 && d.getVolumeBand() < bands.length) {
            bands[d.getVolumeBand()]++;
        }
        maxDailyVolume.merge(d.getTaskType(), d.getDailyVolume(), Math::max);
        final Map<String, String> metadata = request.getRequest().getMetadata();
        if (request.getRequest().getLabels() != null && metadata.containsKey(SampleTraffic.EXPECTED_LABEL)) {
            labelCounts.put(request.getRequest().getRequestId(), request.getRequest().getLabels().size());
        }
    }

    /** An escalation to GPT, from the SLM or from tier 0 (whose fallback tier is GPT). */
    public void escalated(final Escalation escalation) {
        final Tier from = escalation.getRouted().getDecision().getTier();
        escalationsByReason.merge(from + " -> GPT " + escalation.getReason().name(), 1, Integer::sum);
        if (from != Tier.SLM) {
            return; // the SLM's figures below are the SLM's alone
        }
        migration.escalated(escalation);
        escalationsByTaskType.merge(escalation.getRouted().getDecision().getTaskType(), 1, Integer::sum);
        if (escalation.getConfidence() == null) {
            escalatedWithoutConfidence++;
        } else {
            escalatedConfidence[bin(escalation.getConfidence())]++;
        }
    }

    public void result(final InferenceResult result) {
        if (!finished.add(result.getRequestId())) {
            duplicates++;
            return;
        }
        final String tier = result.getTier().name();
        migration.result(result);
        resultsByTierStatus.merge(tier + " " + result.getStatus(), 1, Integer::sum);
        latencyByTier.computeIfAbsent(tier, k -> new ArrayList<>()).add(result.getEndToEndLatencyMs());
        cost += result.getCostUsd();
        costByTier.merge(tier, result.getCostUsd(), Double::sum);
        if (result.getTier() == Tier.TIER0) {
            tier0Labels.put(result.getRequestId(), result.getLabel() == null ? "" : result.getLabel());
        } else {
            allGpt4oCost += TokenPrice.GPT_4O.costUsd(result.getPromptTokens(), result.getCompletionTokens());
        }
        if (result.getTier() == Tier.SLM && !result.getEscalated() && result.getConfidence() != null) {
            keptConfidence[bin(result.getConfidence())]++;
        }
        final String expected = result.getMetadata().get(SampleTraffic.EXPECTED_LABEL);
        if (expected != null) {
            final boolean answered = result.getStatus() == ResultStatus.OK && result.getLabel() != null;
            scored.add(new Scored(result.getRequestId(),
                    result.getMetadata().getOrDefault(SampleTraffic.DATASET, "unnamed"), tier, answered,
                    answered && expected.equals(result.getLabel().strip())));
        }
    }

    public void deadLetter(final DeadLetter letter) {
        if (!finished.add("dlq:" + letter.getSourceTopic() + "/" + letter.getSourcePartition() + "/" + letter.getSourceOffset())) {
            duplicates++;
            return;
        }
        deadLetters.merge(letter.getReason(), 1, Integer::sum);
    }

    /** A request the SLM answered and handed to the GPT worker for shadowing (its comparison comes later). */
    public void shadowRequested() {
        migration.shadowRequested();
    }

    /** A shadow comparison (SLM answer or draft against GPT's). */
    public void compared(final ShadowComparison comparison) {
        migration.compared(comparison);
    }

    /** Shadow comparisons still to come for the shadowed requests seen so far. */
    public int pendingComparisons() {
        return migration.pendingComparisons();
    }

    /**
     * Per task type: shadow agreement, drift status and the migration recommendation, for traffic produced
     * over {@code producing} up to the first call (see {@link MigrationFigures#rows}); computed once, when
     * every event is in, and shared by the text and the HTML report.
     */
    List<MigrationFigures.TaskRow> migration(final Duration producing) {
        if (migrationRows == null) {
            final java.time.Instant now = java.time.Instant.now();
            migrationRows = List.copyOf(migration.rows(now.minus(producing), now, rules));
        }
        return migrationRows;
    }

    /** Requests with their one final outcome: a result or a dead letter. */
    public int finished() {
        return finished.size();
    }

    public int duplicates() {
        return duplicates;
    }

    public Map<String, TierSplit> routedByTaskType() {
        return splits(routedByTaskType);
    }

    public Map<String, Integer> routedByRule() {
        return Collections.unmodifiableMap(routedByRule);
    }

    /** Routed requests by language (the hint, else the detected one; {@code undetected} when none). */
    public Map<String, TierSplit> routedByLanguage() {
        return splits(routedByLanguage);
    }

    /** Requests passed to the next tier, by {@code "FROM -> TO REASON"}, e.g. {@code "SLM -> GPT LOW_CONFIDENCE"}. */
    public Map<String, Integer> escalationsByReason() {
        return Collections.unmodifiableMap(escalationsByReason);
    }

    /** Final answers by {@code "TIER STATUS"}, e.g. {@code "SLM OK"}. */
    public Map<String, Integer> resultsByTierStatus() {
        return Collections.unmodifiableMap(resultsByTierStatus);
    }

    public Map<String, Latency> latencyByTier() {
        final Map<String, Latency> latencies = new TreeMap<>();
        latencyByTier.forEach((tier, values) -> {
            final List<Long> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            latencies.put(tier, new Latency(sorted.size(), pct(sorted, 50), pct(sorted, 95), pct(sorted, 99)));
        });
        return latencies;
    }

    public Map<String, Integer> deadLettersByReason() {
        return Collections.unmodifiableMap(deadLetters);
    }

    /**
     * The cost, and the same traffic on GPT-4o: priced on the tokens each answer used, and for tier-0 answers
     * (which use no tokens) on the o200k_base count of what GPT-4o would have been sent (messages and label
     * list) and of the label as its answer.
     */
    public Cost cost() {
        double allGpt4o = allGpt4oCost;
        for (Map.Entry<String, String> answer : tier0Labels.entrySet()) {
            allGpt4o += TokenPrice.GPT_4O.costUsd(tier0PromptTokens.getOrDefault(answer.getKey(), 0),
                    tokens.count(answer.getValue()));
        }
        return new Cost(cost, allGpt4o, Collections.unmodifiableMap(new TreeMap<>(costByTier)));
    }

    public ConfidenceHistogram slmConfidence() {
        return new ConfidenceHistogram(keptConfidence.clone(), escalatedConfidence.clone(), escalatedWithoutConfidence,
                confidenceThreshold);
    }

    /** Volume-band limits of the policy, requests per day, for headings. */
    public long[] volumeBandLimits() {
        return rules.volumeBands().limits().clone();
    }

    /** One row per task type of the policy's matrix, in the enum's order. */
    public List<MatrixRow> decisionMatrix() {
        final List<MatrixRow> rows = new ArrayList<>();
        final int bands = rules.volumeBands().count();
        for (TaskType type : TaskType.values()) {
            if (!rules.matrix().containsKey(type)) {
                continue;
            }
            final List<Integer> scores = new ArrayList<>();
            final List<Tier> tiers = new ArrayList<>();
            for (int band = 0; band < bands; band++) {
                scores.add(rules.score(type, band));
                tiers.add(rules.tierForScore(rules.score(type, band)));
            }
            final int[] split = routedByTaskType.getOrDefault(type.name(), new int[3]);
            final int[] perBand = decisionsPerBand.getOrDefault(type, new int[bands]);
            rows.add(new MatrixRow(type, scores, tiers, Arrays.stream(perBand).boxed().toList(),
                    maxDailyVolume.getOrDefault(type, 0L), new TierSplit(split[0], split[1], split[2]),
                    escalationsByTaskType.getOrDefault(type, 0)));
        }
        return rows;
    }

    /** Accuracy per data set (in name order), empty when no traffic carried expected labels. */
    public Map<String, Accuracy> accuracyByDataset() {
        return accuracy(s -> s.dataset);
    }

    /** Accuracy per answering tier. */
    public Map<String, Accuracy> accuracyByTier() {
        return accuracy(s -> s.tier);
    }

    private Map<String, Accuracy> accuracy(final Function<Scored, String> key) {
        final Map<String, List<Scored>> groups = new TreeMap<>();
        scored.forEach(s -> groups.computeIfAbsent(key.apply(s), k -> new ArrayList<>()).add(s));
        final Map<String, Accuracy> accuracy = new LinkedHashMap<>();
        groups.forEach((name, list) -> {
            int answered = 0;
            int correct = 0;
            double chance = 0;
            int withCount = 0;
            for (Scored s : list) {
                answered += s.answered ? 1 : 0;
                correct += s.correct ? 1 : 0;
                final Integer labels = labelCounts.get(s.requestId);
                if (labels != null && labels > 0) {
                    chance += 1.0 / labels;
                    withCount++;
                }
            }
            accuracy.put(name, new Accuracy(list.size(), answered, correct, withCount == 0 ? 0 : chance / withCount));
        });
        return accuracy;
    }

    /** The report as plain-text tables. */
    public void print(final PrintStream out, final RunInfo run) {
        out.printf("%n==== Report: %d requests produced, %d finished, %d duplicates ====%n", run.produced(), finished(),
                duplicates);
        out.printf("SLM answers from %s; GPT answers from %s.%n", run.slmSourceLabel(), run.gptSourceLabel());
        run.traffic().forEach(line -> out.println("Traffic: " + line));
        out.println("\nRouted, by task type:       to TIER0  to SLM  to GPT");
        routedByTaskType().forEach((type, split) -> out.printf("  %-24s %9d %7d %7d%n", type, split.tier0(), split.slm(),
                split.gpt()));
        out.println("\nRouted, by deciding rule:");
        table(out, routedByRule);
        out.println("\nRouted, by language:        to TIER0  to SLM  to GPT");
        routedByLanguage().forEach((lang, split) -> out.printf("  %-24s %9d %7d %7d%n", lang, split.tier0(), split.slm(),
                split.gpt()));
        out.println("\nPassed to the next tier, by tier and reason:");
        table(out, escalationsByReason);
        out.println("\nFinal answers, by tier and status:");
        table(out, resultsByTierStatus);
        out.println("\nEnd-to-end latency (ms) by answering tier:   p50     p95     p99");
        latencyByTier().forEach((tier, l) -> out.printf("  %-40s %6d  %6d  %6d%n", tier, l.p50(), l.p95(), l.p99()));
        out.println("\nDead letters, by reason:");
        table(out, deadLetters);
        out.println("\nDecision matrix (score per daily-volume band) and what this run saw:");
        out.println("  task type                scores   routed  to SLM  escalated    per day at this rate");
        decisionMatrix().forEach(row -> out.printf("  %-24s %-8s %6d  %6d  %5d (%3.0f%%)  %,14d%n", row.taskType(),
                row.scores().toString().replace(" ", ""), row.routed().total(), row.routed().slm(), row.escalated(),
                100 * row.escalationRate(), row.perDayAt(run.producing())));
        final Map<String, Accuracy> byTier = accuracyByTier();
        if (!byTier.isEmpty()) {
            final int scoredTotal = byTier.values().stream().mapToInt(Accuracy::expected).sum();
            out.println("\nClassification with expected labels, by answering tier: share answered, accuracy");
            byTier.forEach((tier, a) -> out.printf("  %-8s %5d (%5.1f%%)  %s%n", tier, a.expected(),
                    100.0 * a.expected() / scoredTotal, run.simulated(tier) ? "simulated: no accuracy claimed"
                            : String.format(Locale.ROOT, "%d/%d correct, %.1f%% (random choice: %.1f%%)", a.correct(), a.answered(),
                            100 * a.accuracy(), 100 * a.chance())));
            out.println("Classification accuracy by data set (all tiers" + (run.anySimulated()
                    ? "; includes simulated answers):" : "):"));
            accuracyByDataset().forEach((name, a) -> out.printf("  %-24s %4d/%-4d %5.1f%% (random choice: %.1f%%)%n",
                    name, a.correct(), a.answered(), 100 * a.accuracy(), 100 * a.chance()));
        }
        final List<MigrationFigures.TaskRow> migrationRows = migration(run.producing());
        out.println("\nShadow agreement, drift and migration recommendation per task type"
                + (run.anySimulated() ? " (simulated answers: the agreement only shows the comparisons flow):" : ":"));
        out.println("  task type                compared  agreement  drift    recommendation");
        migrationRows.forEach(r -> out.printf("  %-24s %8d  %9s  %-7s  %s: %s%n", r.taskType(), r.compared(),
                Double.isNaN(r.agreement()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.agreement()), r.drift(),
                r.migration().recommendation(), r.migration().reason()));
        final Cost c = cost();
        out.printf("%nCost: $%.4f for this traffic; the same tokens all on GPT-4o: $%.4f (%.0f%% saved)%n", c.total(),
                c.allGpt4o(), c.savedPercent());
        out.println("(GPT-4o baseline priced on the tokens each request actually used"
                + (run.anySimulated() ? "; simulated answers, simulated token counts.)" : ".)"));
    }

    private static Map<String, TierSplit> splits(final Map<String, int[]> counts) {
        final Map<String, TierSplit> splits = new TreeMap<>();
        counts.forEach((k, v) -> splits.put(k, new TierSplit(v[0], v[1], v[2])));
        return splits;
    }

    /** The column of a tier in the routing counts: TIER0, SLM, GPT (anything else counts as GPT). */
    private static int column(final Tier tier) {
        return tier == Tier.TIER0 ? 0 : tier == Tier.SLM ? 1 : 2;
    }

    private static void table(final PrintStream out, final Map<String, Integer> counts) {
        if (counts.isEmpty()) {
            out.println("  none");
        }
        counts.forEach((k, n) -> out.printf("  %-24s %7d%n", k, n));
    }

    private static int bin(final double confidence) {
        return Math.max(0, Math.min(CONFIDENCE_BINS - 1, (int) Math.floor(confidence * CONFIDENCE_BINS)));
    }

    private static long pct(final List<Long> sorted, final int percentile) {
        final int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
