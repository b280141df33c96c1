package dev.slmrouter.benchmarks.slm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of {@link SlmWorkerThroughput}, each given as {@code --name=value} or {@code --name value};
 * all are optional. The simulator knobs default to a fast but realistic vLLM (time scale 1, ttft 20 ms,
 * 1 ms per output token, both growing up to 2x at a full batch of 32 sequences), so that the simulated
 * engine, not the two shared cores, is what limits throughput. {@code --set key=value} is repeatable
 * and is applied over the worker's settings in every worker run, to try a tuning (for example
 * {@code --set slm.commit.interval=50ms}). {@code --in-flight=0} (the default) runs the worker at the best
 * concurrency found by the sweep; {@code --unmasked} (default: max-num-seqs; 0 turns it off) is a second
 * concurrency at which direct and worker runs alternate too, one at which the engine has no queue that
 * could hide the worker's per-request gaps, so the overhead is measured there. {@code --variant key=value}
 * (repeatable) adds, in every round and series, a third run right after the worker's: the worker with
 * those settings on top, so a tuning is compared side by side with the default under the same load.
 */
record SlmBenchOptions(int requests, int runs, int partitions, List<Integer> concurrencies, int sweepPerClient,
                       int inFlight, int unmasked, int warmup, int ttftMillis, double tpotMillis,
                       double ttftAlpha, double tpotAlpha, int maxNumSeqs, int meanOutputTokens,
                       Duration runTimeout, Map<String, String> overrides, Map<String, String> variant) {

    static final String USAGE = "options: --requests=5000 --runs=3 --partitions=4 --concurrencies=8,16,32,48,64"
            + " --sweep-per-client=50 --in-flight=0(best) --unmasked=<max-num-seqs> --warmup=3000 --ttft-ms=20 --tpot-ms=1"
            + " --ttft-alpha=1 --tpot-alpha=1 --max-num-seqs=32 --mean-output-tokens=48 --run-timeout-s=300"
            + " [--set worker.setting=value ...] [--variant worker.setting=value ...]";

    static SlmBenchOptions parse(final String[] args) {
        final Map<String, String> values = new HashMap<>();
        final Map<String, String> overrides = new LinkedHashMap<>();
        final Map<String, String> variant = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'; " + USAGE);
            }
            final String name;
            final String value;
            if (arg.contains("=")) {
                name = arg.substring(2, arg.indexOf('='));
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                name = arg.substring(2);
                value = args[++i];
            } else {
                throw new IllegalArgumentException("no value for " + arg + "; " + USAGE);
            }
            if (name.equals("set") || name.equals("variant")) {
                if (!value.contains("=")) {
                    throw new IllegalArgumentException("--" + name + " needs key=value, got " + value);
                }
                (name.equals("set") ? overrides : variant).put(value.substring(0, value.indexOf('=')),
                        value.substring(value.indexOf('=') + 1));
            } else {
                values.put(name, value);
            }
        }
        final List<Integer> concurrencies = new ArrayList<>();
        for (String c : values.getOrDefault("concurrencies", "8,16,32,48,64").split(",")) {
            concurrencies.add(positive("concurrencies", Integer.parseInt(c.trim())));
        }
        final SlmBenchOptions options = new SlmBenchOptions(
                positive("requests", intOf(values, "requests", 5_000)),
                positive("runs", intOf(values, "runs", 3)),
                positive("partitions", intOf(values, "partitions", 4)),
                List.copyOf(concurrencies),
                positive("sweep-per-client", intOf(values, "sweep-per-client", 50)),
                intOf(values, "in-flight", 0),
                intOf(values, "unmasked", intOf(values, "max-num-seqs", 32)),
                intOf(values, "warmup", 3_000),
                intOf(values, "ttft-ms", 20),
                Double.parseDouble(values.getOrDefault("tpot-ms", "1")),
                Double.parseDouble(values.getOrDefault("ttft-alpha", "1")),
                Double.parseDouble(values.getOrDefault("tpot-alpha", "1")),
                positive("max-num-seqs", intOf(values, "max-num-seqs", 32)),
                positive("mean-output-tokens", intOf(values, "mean-output-tokens", 48)),
                Duration.ofSeconds(positive("run-timeout-s", intOf(values, "run-timeout-s", 300))),
                Map.copyOf(overrides), Map.copyOf(variant));
        values.keySet().removeAll(List.of("requests", "runs", "partitions", "concurrencies", "sweep-per-client",
                "in-flight", "unmasked", "warmup", "ttft-ms", "tpot-ms", "ttft-alpha", "tpot-alpha", "max-num-seqs",
                "mean-output-tokens", "run-timeout-s"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + values.keySet() + "; " + USAGE);
        }
        return options;
    }

    private static int intOf(final Map<String, String> values, final String name, final int defaultValue) {
        return Integer.parseInt(values.getOrDefault(name, String.valueOf(defaultValue)));
    }

    private static int positive(final String name, final int value) {
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, got " + value);
        }
        return value;
    }
}
