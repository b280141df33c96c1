package dev.slmrouter.benchmarks.slm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The summary of {@link SlmWorkerThroughput}: medians of the alternating direct and worker runs, the
 * worker/direct ratio (per round, side by side, and its median) and the worker's overhead per request.
 * The overhead is derived with Little's law: a client holding C requests in flight at a rate R keeps each
 * in-flight slot C / R seconds per request; the worker's extra slot time per request beyond the direct
 * client's, {@code C x (1/R_worker - 1/R_direct)}, is time during which the worker held a request that
 * the backend was not working on (taking it from Kafka, building and parsing the call, judging the
 * answer, encoding and sending the outcome, refilling the slot). It is printed next to the worker's CPU
 * per request and the engine's mean batch occupancy, which tell the same story from two other sides.
 */
final class SlmReport {

    static final double RATIO_TARGET = 0.95;
    static final double OVERHEAD_TARGET_MS = 1.0;

    private SlmReport() {
    }

    static void print(final List<Measurement> sweep, final List<Measurement> direct, final List<Measurement> worker,
                      final int inFlight) {
        final Measurement best = sweep.stream().max((a, b) -> Double.compare(a.perSecond(), b.perSecond())).orElseThrow();
        final List<Double> ratios = new ArrayList<>();
        final List<Double> overheads = new ArrayList<>();
        for (int i = 0; i < Math.min(direct.size(), worker.size()); i++) {
            final double d = direct.get(i).perSecond();
            final double w = worker.get(i).perSecond();
            ratios.add(w / d);
            overheads.add(inFlight * (1 / w - 1 / d) * 1e3);
        }
        final double directMedian = median(direct, Measurement::perSecond);
        final double workerMedian = median(worker, Measurement::perSecond);
        final double ratio = median(ratios);
        final double overhead = median(overheads);
        final double mediansOverhead = inFlight * (1 / workerMedian - 1 / directMedian) * 1e3;
        System.out.println();
        System.out.println("== Summary ==");
        out("Sweep: best direct rate %,.1f req/s at concurrency %d; worker and direct runs used concurrency %d",
                best.perSecond(), best.concurrency(), inFlight);
        out("Direct capacity (concurrency %d): median %,.1f req/s; runs %s", inFlight, directMedian,
                list(direct, Measurement::perSecond, "%.1f"));
        out("Worker throughput (max.in.flight %d): median %,.1f req/s; runs %s", inFlight, workerMedian,
                list(worker, Measurement::perSecond, "%.1f"));
        out("Ratio worker/direct, side by side per round: median %.3f; rounds %s; ratio of medians %.3f"
                + " -> target >= %.2f %s", ratio, format(ratios, "%.3f"), workerMedian / directMedian, RATIO_TARGET,
                ratio >= RATIO_TARGET ? "MET" : "MISSED");
        out("Worker overhead per request, C x (1/worker - 1/direct): median %.2f ms; rounds %s ms; from the medians"
                + " %.2f ms -> target <= %.1f ms %s", overhead, format(overheads, "%.2f"), mediansOverhead,
                OVERHEAD_TARGET_MS, overhead <= OVERHEAD_TARGET_MS ? "MET" : "MISSED");
        out("Engine mean running sequences: direct median %.1f, worker median %.1f (of %d in flight)",
                median(direct, Measurement::meanRunning), median(worker, Measurement::meanRunning), inFlight);
        final double workerCpu = median(worker, Measurement::clientCpuMicrosPerRequest);
        final double directCpu = median(direct, Measurement::clientCpuMicrosPerRequest);
        out("Client CPU per request: worker threads median %,.0f us, direct generator median %,.0f us"
                + " (difference %,.0f us); whole JVM incl. broker and simulator: worker runs %,.0f us, direct runs %,.0f us",
                workerCpu, directCpu, workerCpu - directCpu, median(worker, Measurement::processCpuMicrosPerRequest),
                median(direct, Measurement::processCpuMicrosPerRequest));
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
