package dev.slmrouter.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The decide step's operations timed in CPU time as well as wall time. On a shared 2-core machine where
 * other work keeps the run queue long, wall time (what JMH reports) counts the time the thread waited for
 * a core; CPU time counts only the work, so it is the steadier estimate of what a decision costs on an
 * otherwise idle core. The CPU time is the calling thread's plus that of the common fork-join pool's
 * workers, because Lingua scores the candidate languages as tasks on that pool. {@code decideUnhintedLingua}
 * and {@code detectLingua} are the unhinted decision and the detection with Lingua alone (the router before
 * the tiered detector), measured in the same rounds for a side-by-side ratio. The operations run
 * alternately, one round after another, each for a fixed wall-clock slice over the whole
 * {@link PromptMix}; the report gives the median and minimum over rounds. Options:
 * {@code --rounds=7 --slice-ms=1000 --warmup-ms=30000 --language-accuracy=high|low}.
 */
public final class DecideCpuTime {

    private static volatile int sink;

    private DecideCpuTime() {
    }

    public static void main(final String[] args) {
        final Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        final int rounds = Integer.parseInt(options.getOrDefault("rounds", "7"));
        final long sliceNanos = Long.parseLong(options.getOrDefault("slice-ms", "1000")) * 1_000_000L;
        final long warmupNanos = Long.parseLong(options.getOrDefault("warmup-ms", "30000")) * 1_000_000L;
        final boolean high = !options.getOrDefault("language-accuracy", "high").equals("low");

        final DecideFixture fixture = new DecideFixture(high);
        final Map<String, IntFunction<Object>> ops = new LinkedHashMap<>();
        ops.put("decideHinted", fixture::decideHinted);
        ops.put("decideUnhinted", fixture::decideUnhinted);
        ops.put("decideUnhintedLingua", fixture::decideUnhintedLingua);
        ops.put("classifyTaskOnly", fixture::classifyTask);
        ops.put("detectLanguageOnly", fixture::detectLanguage);
        ops.put("detectLingua", fixture::detectLanguageLingua);
        ops.put("estimateTokensOnly", fixture::estimateTokens);
        ops.put("decodeAndValidate", fixture::decodeAndValidate);
        System.out.printf("DecideCpuTime: %d prompts, language accuracy %s, %d rounds of %d ms per operation,"
                        + " warm-up %d ms%n", fixture.size(), high ? "high" : "low", rounds, sliceNanos / 1_000_000,
                warmupNanos / 1_000_000);

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (IntFunction<Object> op : ops.values()) {
            measure(op, fixture.size(), warmupNanos / ops.size(), threads);
        }
        final Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<String, IntFunction<Object>> op : ops.entrySet()) {
                results.computeIfAbsent(op.getKey(), k -> new ArrayList<>())
                        .add(measure(op.getValue(), fixture.size(), sliceNanos, threads));
            }
        }
        System.out.printf("%-20s %14s %14s %14s%n", "operation (us/call)", "CPU median", "CPU min", "wall median");
        for (Map.Entry<String, List<double[]>> result : results.entrySet()) {
            final List<Double> cpu = new ArrayList<>();
            final List<Double> wall = new ArrayList<>();
            result.getValue().forEach(r -> {
                cpu.add(r[0]);
                wall.add(r[1]);
            });
            System.out.printf("%-20s %14.2f %14.2f %14.2f%n", result.getKey(), Summary.median(cpu),
                    cpu.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), Summary.median(wall));
        }
        System.out.println("Tiered detector, texts placed per stage (all calls): "
                + fixture.tieredDetector().decidedByStage());
    }

    private static long commonPoolCpuNanos() {
        return JvmProbe.threadsCpuNanos("ForkJoinPool.commonPool-worker", "");
    }

    /** Runs whole passes over the mix for about {@code nanos} of wall time; returns {CPU, wall} µs per call. */
    private static double[] measure(final IntFunction<Object> op, final int size, final long nanos,
                                    final ThreadMXBean threads) {
        long calls = 0;
        int hash = 0;
        final long cpuStart = threads.getCurrentThreadCpuTime() + commonPoolCpuNanos();
        final long wallStart = System.nanoTime();
        long wall;
        do {
            for (int i = 0; i < size; i++) {
                hash += System.identityHashCode(op.apply(i));
            }
            calls += size;
            wall = System.nanoTime() - wallStart;
        } while (wall < nanos);
        final long cpu = threads.getCurrentThreadCpuTime() + commonPoolCpuNanos() - cpuStart;
        sink = hash;
        return new double[] {cpu / 1e3 / calls, wall / 1e3 / calls};
    }
}
