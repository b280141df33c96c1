package dev.slmrouter.benchmarks.slm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The summary of {@link SlmWorkerThroughput}: for each concurrency that had alternating direct and worker
 * runs, the medians, the worker/direct ratio (per round, side by side, and its median) and the worker's
 * overhead per request. The overhead is derived with Little's law: a client holding C requests in flight
 * at a rate R keeps each in-flight slot C / R seconds per request; the worker's extra slot time per
 * request beyond the direct client's, {@code C x (1/R_worker - 1/R_direct)}, is time during which the
 * worker held a request that the backend was not working on (taking it from Kafka, building the call,
 * parsing and judging the answer, encoding and sending the outcome, refilling the slot). It is only
 * visible where the engine has no queue (C at most max-num-seqs): above that, queued requests fill every
 * gap the client leaves and the figure tends to 0, which is why the program also runs at that "unmasked"
 * concurrency. The worker's and the generator's CPU per request and the engine's mean batch occupancy
 * are printed beside it: they tell the same story from two other sides.
 */
final class SlmReport {

    static final double RATIO_TARGET = 0.95;
    static final double OVERHEAD_TARGET_MS = 1.0;

    /** Alternating direct and worker runs at one concurrency, round by round. */
    record Series(String name, int concurrency, List<Measurement> direct, List<Measurement> worker,
                  List<Measurement> variant) {

        Series(final String name, final int concurrency) {
            this(name, concurrency, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        List<Double> ratios() {
            return ratios(worker);
        }

        List<Double> overheadsMillis() {
            return overheadsMillis(worker);
        }

        List<Double> ratios(final List<Measurement> runs) {
            final List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(direct.size(), runs.size()); i++) {
                ratios.add(runs.get(i).perSecond() / direct.get(i).perSecond());
            }
            return ratios;
        }

        List<Double> overheadsMillis(final List<Measurement> runs) {
            final List<Double> overheads = new ArrayList<>();
            for (int i = 0; i < Math.min(direct.size(), runs.size()); i++) {
                overheads.add(concurrency * (1 / runs.get(i).perSecond() - 1 / direct.get(i).perSecond()) * 1e3);
            }
            return overheads;
        }
    }

    private SlmReport() {
    }

    static void print(final List<Measurement> sweep, final Series best, final Series unmasked,
                      final Map<String, String> variant) {
        final Measurement top = sweep.stream().max((a, b) -> Double.compare(a.perSecond(), b.perSecond())).orElseThrow();
        System.out.println();
        System.out.println("== Summary ==");
        out("Sweep: best direct rate %,.1f req/s at concurrency %d (%s)", top.perSecond(), top.concurrency(),
                String.join(", ", sweep.stream().map(m -> String.format(Locale.ROOT, "%d: %.1f", m.concurrency(),
                        m.perSecond())).toList()));
        final double ratio = series(best, variant);
        out("Budget 1, worker >= %.2f x direct capacity at its best concurrency (%d): median side-by-side ratio %.3f"
                + " -> %s", RATIO_TARGET, best.concurrency(), ratio, ratio >= RATIO_TARGET ? "MET" : "MISSED");
        final Series overheadSeries = unmasked != null ? unmasked : best;
        if (unmasked != null) {
            series(unmasked, variant);
        }
        final double overhead = median(overheadSeries.overheadsMillis());
        out("Budget 2, worker overhead <= %.1f ms per request, C x (1/worker - 1/direct) at concurrency %d%s: median"
                        + " %.2f ms -> %s", OVERHEAD_TARGET_MS, overheadSeries.concurrency(),
                unmasked != null ? " (no engine queue to hide it)" : "", overhead,
                overhead <= OVERHEAD_TARGET_MS ? "MET" : "MISSED");
    }

    /** Prints one series and returns its median side-by-side ratio. */
    private static double series(final Series s, final Map<String, String> variant) {
        out("");
        out("-- %s: concurrency and slm.max.in.flight %d --", s.name(), s.concurrency());
        final double directMedian = median(s.direct(), Measurement::perSecond);
        final double workerMedian = median(s.worker(), Measurement::perSecond);
        out("Direct: median %,.1f req/s; runs %s", directMedian, list(s.direct(), Measurement::perSecond, "%.1f"));
        out("Worker: median %,.1f req/s; runs %s", workerMedian, list(s.worker(), Measurement::perSecond, "%.1f"));
        final double ratio = median(s.ratios());
        out("Ratio worker/direct per round %s: median %.3f (ratio of medians %.3f)", format(s.ratios(), "%.3f"), ratio,
                workerMedian / directMedian);
        out("Overhead per request C x (1/worker - 1/direct) per round %s ms: median %.2f ms (from the medians %.2f ms)",
                format(s.overheadsMillis(), "%.2f"), median(s.overheadsMillis()),
                s.concurrency() * (1 / workerMedian - 1 / directMedian) * 1e3);
        out("Engine mean running sequences: direct median %.1f, worker median %.1f",
                median(s.direct(), Measurement::meanRunning), median(s.worker(), Measurement::meanRunning));
        final double workerCpu = median(s.worker(), Measurement::clientCpuMicrosPerRequest);
        final double directCpu = median(s.direct(), Measurement::clientCpuMicrosPerRequest);
        out("CPU per request: worker threads median %,.0f us, direct generator median %,.0f us (difference %,.0f us);"
                        + " whole JVM incl. broker and simulator: worker runs %,.0f us, direct runs %,.0f us", workerCpu,
                directCpu, workerCpu - directCpu, median(s.worker(), Measurement::processCpuMicrosPerRequest),
                median(s.direct(), Measurement::processCpuMicrosPerRequest));
        if (!s.variant().isEmpty()) {
            out("Variant %s (run right after the worker in each round): median %,.1f req/s; runs %s; ratio per round %s:"
                            + " median %.3f; overhead per round %s ms: median %.2f ms; worker threads CPU median %,.0f us;"
                            + " engine mean running median %.1f", variant, median(s.variant(), Measurement::perSecond),
                    list(s.variant(), Measurement::perSecond, "%.1f"), format(s.ratios(s.variant()), "%.3f"),
                    median(s.ratios(s.variant())), format(s.overheadsMillis(s.variant()), "%.2f"),
                    median(s.overheadsMillis(s.variant())), median(s.variant(), Measurement::clientCpuMicrosPerRequest),
                    median(s.variant(), Measurement::meanRunning));
        }
        return ratio;
    }

    private static void out(final String format, final Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    static double median(final List<Measurement> runs, final ToDoubleFunction<Measurement> value) {
        return median(runs.stream().map(value::applyAsDouble).toList());
    }

    static double median(final List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String list(final List<Measurement> runs, final ToDoubleFunction<Measurement> value,
                               final String format) {
        return format(runs.stream().map(value::applyAsDouble).toList(), format);
    }

    private static String format(final List<Double> values, final String format) {
        return Arrays.toString(values.stream().map(v -> String.format(Locale.ROOT, format, v)).toArray());
    }
}
