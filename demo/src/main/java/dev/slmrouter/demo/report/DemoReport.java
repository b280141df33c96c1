package dev.slmrouter.demo;

import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the system did with the demo traffic, built from the topics (read_committed) and printed as
 * plain-text tables: routing by tier, task type and rule; escalations by reason; final answers by tier
 * and status with latency percentiles; dead letters by reason; and the cost against the same traffic
 * all on GPT-4o. Every answer from a simulator is labelled simulated.
 */
final class DemoReport {

    /** GPT-4o list price, USD per million input / output tokens: the "all on GPT-4o" baseline. */
    static final double GPT4O_INPUT = 2.50;
    static final double GPT4O_OUTPUT = 10.00;

    private final Map<String, int[]> routedByTaskType = new TreeMap<>();
    private final Map<String, Integer> routedByRule = new TreeMap<>();
    private final Map<String, Integer> escalationsByReason = new TreeMap<>();
    private final Map<String, Integer> resultsByTierStatus = new TreeMap<>();
    private final Map<String, List<Long>> latencyByTier = new TreeMap<>();
    private final Map<String, Integer> deadLetters = new TreeMap<>();
    private final Set<String> finished = new HashSet<>();
    private int duplicates;
    private double cost;
    private double allGpt4oCost;

    void routed(final RoutedRequest request) {
        final RoutingDecision d = request.getDecision();
        routedByRule.merge(d.getRule().name(), 1, Integer::sum);
        routedByTaskType.computeIfAbsent(d.getTaskType().name(), k -> new int[2])[d.getTier().name().equals("SLM") ? 0 : 1]++;
    }

    void escalated(final Escalation escalation) {
        escalationsByReason.merge(escalation.getReason().name(), 1, Integer::sum);
    }

    void result(final InferenceResult result) {
        if (!finished.add(result.getRequestId())) {
            duplicates++;
            return;
        }
        resultsByTierStatus.merge(result.getTier() + " " + result.getStatus(), 1, Integer::sum);
        latencyByTier.computeIfAbsent(result.getTier().name(), k -> new ArrayList<>()).add(result.getEndToEndLatencyMs());
        cost += result.getCostUsd();
        allGpt4oCost += (result.getPromptTokens() * GPT4O_INPUT + result.getCompletionTokens() * GPT4O_OUTPUT) / 1e6;
    }

    void deadLetter(final DeadLetter letter) {
        if (!finished.add("dlq:" + letter.getSourceTopic() + "/" + letter.getSourcePartition() + "/" + letter.getSourceOffset())) {
            duplicates++;
            return;
        }
        deadLetters.merge(letter.getReason(), 1, Integer::sum);
    }

    /** Requests with their one final outcome: a result or a dead letter. */
    int finished() {
        return finished.size();
    }

    int duplicates() {
        return duplicates;
    }

    void print(final PrintStream out, final int produced, final String slmSource, final String gptSource) {
        out.printf("%n==== Report: %d requests produced, %d finished, %d duplicates ====%n", produced, finished(), duplicates);
        out.printf("SLM answers from %s; GPT answers from %s.%n", slmSource, gptSource);
        out.println("\nRouted, by task type:        to SLM  to GPT");
        routedByTaskType.forEach((type, split) -> out.printf("  %-24s %7d %7d%n", type, split[0], split[1]));
        out.println("\nRouted, by deciding rule:");
        routedByRule.forEach((rule, n) -> out.printf("  %-24s %7d%n", rule, n));
        out.println("\nEscalated from the SLM to GPT, by reason:");
        table(out, escalationsByReason);
        out.println("\nFinal answers, by tier and status:");
        table(out, resultsByTierStatus);
        out.println("\nEnd-to-end latency (ms) by answering tier:   p50     p95     p99");
        latencyByTier.forEach((tier, values) -> {
            Collections.sort(values);
            out.printf("  %-40s %6d  %6d  %6d%n", tier, pct(values, 50), pct(values, 95), pct(values, 99));
        });
        out.println("\nDead letters, by reason:");
        table(out, deadLetters);
        out.printf("%nCost: $%.4f for this traffic; the same tokens all on GPT-4o: $%.4f (%.0f%% saved)%n", cost,
                allGpt4oCost, allGpt4oCost == 0 ? 0 : 100 * (1 - cost / allGpt4oCost));
        out.println("(GPT-4o baseline priced on the tokens each request actually used; simulated answers, simulated"
                + " token counts.)");
    }

    private static void table(final PrintStream out, final Map<String, Integer> counts) {
        if (counts.isEmpty()) {
            out.println("  none");
        }
        counts.forEach((k, n) -> out.printf("  %-24s %7d%n", k, n));
    }

    private static long pct(final List<Long> sorted, final int percentile) {
        final int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
