package dev.slmrouter.demo;

import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/** Counts of what the router did with the demo traffic, printed as plain-text tables. */
final class RoutingReport {

    private final Map<String, Integer> byTier = new TreeMap<>();
    private final Map<String, int[]> byTaskType = new TreeMap<>();
    private final Map<String, Integer> byRule = new TreeMap<>();
    private final Map<String, Integer> deadLetters = new TreeMap<>();
    private int routed;

    void add(final RoutedRequest request) {
        final RoutingDecision d = request.getDecision();
        routed++;
        byTier.merge(d.getTier().name(), 1, Integer::sum);
        byRule.merge(d.getRule().name(), 1, Integer::sum);
        final int[] split = byTaskType.computeIfAbsent(d.getTaskType().name(), k -> new int[2]);
        split[d.getTier().name().equals("SLM") ? 0 : 1]++;
    }

    void add(final DeadLetter letter) {
        deadLetters.merge(letter.getReason(), 1, Integer::sum);
    }

    int total() {
        return routed + deadLetters.values().stream().mapToInt(Integer::intValue).sum();
    }

    void print(final PrintStream out, final int produced) {
        out.printf("%nRouting report: %d produced, %d routed, %d dead-lettered%n", produced, routed, total() - routed);
        out.println("\nBy tier:");
        byTier.forEach((tier, count) -> out.printf("  %-5s %6d  (%.0f%%)%n", tier, count, 100.0 * count / routed));
        out.println("\nBy task type:          SLM    GPT");
        byTaskType.forEach((type, split) -> out.printf("  %-20s %5d  %5d%n", type, split[0], split[1]));
        out.println("\nBy deciding rule:");
        byRule.forEach((rule, count) -> out.printf("  %-24s %6d%n", rule, count));
        out.println("\nDead letters by reason:");
        if (deadLetters.isEmpty()) {
            out.println("  none");
        }
        deadLetters.forEach((reason, count) -> out.printf("  %-24s %6d%n", reason, count));
    }
}
