package dev.slmrouter.benchmarks;

import dev.slmrouter.benchmarks.RouterThroughput.Options;
import dev.slmrouter.benchmarks.RouterThroughput.Run;
import dev.slmrouter.benchmarks.RouterThroughput.Variant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The end-of-run report of {@link RouterThroughput}: one line per variant with every run and the median,
 * the ratio of each router variant to each pass-through variant measured (bytes; Avro decoded and encoded
 * again), the hinted one both as a ratio of medians and as the median of each round's side-by-side
 * ratio (the fairer figure on a noisy machine, since the two runs of a round are seconds apart), the CPU
 * time per record of the whole JVM and of the stream thread alone, the heap figures, and a MET/MISSED
 * line per budget; the 0.7 ratio is judged against {@link RouterThroughput#RATIO_CEILING}, the other
 * ceilings (and decode-only, when run) are printed as references (REF). Plain text only, so it reads the
 * same in CI logs.
 */
final class Summary {

    private Summary() {
    }

    static void print(final Options options, final List<Run> runs, final long heapBaseMb, final long heapModelsMb,
                      final long heapEndMb) {
        System.out.println();
        System.out.println("==== Router throughput summary (records/s; exactly_once_v2; broker in the same JVM) ====");
        System.out.printf("%-16s %10s %15s %15s  %s%n", "variant", "median", "JVM CPU us/rec", "stream us/rec", "runs");
        for (Variant variant : options.variants()) {
            final List<Double> rates = rates(runs, variant);
            System.out.printf("%-16s %,10.0f %15.1f %15.1f  %s%n", variant.label, median(rates),
                    median(values(runs, variant, Run::cpuMicrosPerRecord)),
                    median(values(runs, variant, Run::streamThreadMicrosPerRecord)),
                    rates.stream().map(r -> String.format("%,.0f", r)).collect(Collectors.joining("  ")));
        }
        for (Variant ceiling : ceilings(options)) {
            for (Variant variant : options.variants()) {
                if (!variant.passThrough()) {
                    final List<Double> ratios = roundRatios(options, runs, variant, ceiling);
                    System.out.printf("%-16s x %-17s: median of per-round ratios %.2f (rounds: %s)%n",
                            variant.label, ceiling.label, median(ratios),
                            ratios.stream().map(r -> String.format("%.2f", r)).collect(Collectors.joining(" ")));
                }
            }
        }
        final long maxLiveMb = runs.stream().mapToLong(Run::heapAfterGcMb).max().orElse(0);
        System.out.printf("heap after GC: %d MB without router, %d MB with router models loaded, %d MB after all runs;"
                + " max heap after a GC during runs %d MB; -Xmx %d MB%n", heapBaseMb, heapModelsMb, heapEndMb,
                maxLiveMb, JvmProbe.maxHeapMb());

        if (options.variants().contains(Variant.HINTED)) {
            final double hinted = median(rates(runs, Variant.HINTED));
            verdict("router hinted >= 50,000 req/s", hinted >= RouterThroughput.HINTED_TARGET,
                    String.format("median %,.0f", hinted));
            final List<Variant> references = new ArrayList<>(ceilings(options));
            if (options.variants().contains(Variant.DECODE_ONLY)) {
                references.add(Variant.DECODE_ONLY);
            }
            for (Variant reference : references) {
                final List<Double> roundRatios = roundRatios(options, runs, Variant.HINTED, reference);
                final double ratio = median(roundRatios);
                final String figures = String.format("median of per-round ratios %.2f (rounds: %s); ratio of medians %.2f",
                        ratio, roundRatios.stream().map(r -> String.format("%.2f", r)).collect(Collectors.joining(" ")),
                        hinted / median(rates(runs, reference)));
                if (reference == RouterThroughput.RATIO_CEILING) {
                    verdict("router hinted >= 0.7 x " + reference.label, ratio >= RouterThroughput.RATIO_TARGET, figures);
                } else {
                    System.out.printf("%-7s %-40s %s%n", "REF", "router hinted x " + reference.label, figures);
                }
            }
            if (!options.variants().contains(RouterThroughput.RATIO_CEILING)) {
                System.out.println("NOTE    the 0.7 x pass-through target is judged against " + RouterThroughput.RATIO_CEILING.label
                        + ": add " + RouterThroughput.RATIO_CEILING.name().toLowerCase(Locale.ROOT) + " to --variants");
            }
        }
        if (options.variants().contains(Variant.UNHINTED) && options.variants().contains(Variant.UNHINTED_LINGUA)) {
            final List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= options.runs(); round++) {
                ratios.add(rate(runs, Variant.UNHINTED, round) / rate(runs, Variant.UNHINTED_LINGUA, round));
            }
            System.out.printf("unhinted (tiered detector) x unhinted with Lingua alone: median of per-round ratios %.2f"
                    + " (rounds: %s)%n", median(ratios),
                    ratios.stream().map(r -> String.format("%.2f", r)).collect(Collectors.joining(" ")));
        }
        if (options.variants().contains(Variant.UNHINTED)) {
            final double unhinted = median(rates(runs, Variant.UNHINTED));
            verdict("router unhinted >= 2,000 req/s", unhinted >= RouterThroughput.UNHINTED_TARGET,
                    String.format("median %,.0f", unhinted));
        }
        verdict("heap with models loaded < 512 MB", heapModelsMb < 512 && maxLiveMb < 512,
                String.format("%d MB after full GC, max %d MB after GC under load, broker included", heapModelsMb,
                        maxLiveMb));
    }

    private static void verdict(final String target, final boolean met, final String figures) {
        System.out.printf("%-7s %-40s %s%n", met ? "MET" : "MISSED", target, figures);
    }

    private static List<Double> rates(final List<Run> runs, final Variant variant) {
        return values(runs, variant, Run::perSecond);
    }

    private static List<Double> values(final List<Run> runs, final Variant variant, final Function<Run, Double> value) {
        return runs.stream().filter(r -> r.variant() == variant).map(value).collect(Collectors.toList());
    }

    /** The pass-through variants measured in this run: the ceilings the others are compared with. */
    private static List<Variant> ceilings(final Options options) {
        return options.variants().stream().filter(Variant::passThrough).collect(Collectors.toList());
    }

    /** Each round's rate of {@code variant} over that round's rate of {@code ceiling}: the side-by-side ratios. */
    private static List<Double> roundRatios(final Options options, final List<Run> runs, final Variant variant,
                                            final Variant ceiling) {
        final List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= options.runs(); round++) {
            ratios.add(rate(runs, variant, round) / rate(runs, ceiling, round));
        }
        return ratios;
    }

    private static double rate(final List<Run> runs, final Variant variant, final int round) {
        return runs.stream().filter(r -> r.variant() == variant && r.round() == round).findFirst()
                .map(Run::perSecond).orElse(Double.NaN);
    }

    static double median(final List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}
