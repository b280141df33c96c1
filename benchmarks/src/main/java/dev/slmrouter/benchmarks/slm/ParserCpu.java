package dev.slmrouter.benchmarks.slm;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.simulators.vllm.VllmSimulator;
import dev.slmrouter.slm.SlmWorkerConfig;
import dev.slmrouter.worker.client.ChatResponse;
import dev.slmrouter.worker.client.RateLimits;
import dev.slmrouter.worker.client.ResponseParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * CPU time (and heap allocation) per response body of the worker's Chat Completions parsing, on real
 * vLLM-shaped bodies: the vLLM simulator answers the benchmark's own request mix ({@link BenchRequests}:
 * classification, extraction, summarization; with logprobs) built by the worker's own request factory,
 * once with {@code top_logprobs} 0 (the worker's default) and once with 5, and the bodies are kept as
 * bytes. Each parser then parses every body of a set in turn, on one thread, for a fixed wall-clock slice;
 * slices alternate between parsers and sets, rounds after a warm-up, and the report gives the median and
 * minimum over rounds of the thread's CPU time per body, plus bytes allocated per body. CPU time, not wall
 * time, because on a shared machine wall time counts the waits for a core. "tree" is the parse the
 * client used before 2026-11-28 (the body decoded to a String, then a Jackson tree walked; now with the
 * fast double parser on); "client" is what the client does now (a streaming parse of the bytes). The
 * program first checks that both give equal responses for every body. Options: {@code --bodies=300 --rounds=7 --slice-ms=1000 --warmup-ms=20000}.
 */
public final class ParserCpu {

    private static final MediaType JSON = MediaType.get("application/json");
    private static volatile int sink;

    private ParserCpu() {
    }

    public static void main(final String[] args) throws IOException {
        final Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.out.println("ParserCpu: options --bodies=300 --rounds=7 --slice-ms=1000 --warmup-ms=20000");
                System.exit(2);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        final int count = Integer.parseInt(options.getOrDefault("bodies", "300"));
        final int rounds = Integer.parseInt(options.getOrDefault("rounds", "7"));
        final long sliceNanos = Long.parseLong(options.getOrDefault("slice-ms", "1000")) * 1_000_000L;
        final long warmupNanos = Long.parseLong(options.getOrDefault("warmup-ms", "20000")) * 1_000_000L;

        final Map<String, List<byte[]>> sets = new LinkedHashMap<>();
        try (VllmSimulator sim = VllmSimulator.builder().timeScale(0.0).build().start()) {
            for (int top : new int[] {0, 5}) {
                sets.put("top_logprobs=" + top, answers(sim.baseUrl(), top, count));
            }
        }
        final Map<String, Function<byte[], ChatResponse>> parsers = new LinkedHashMap<>();
        parsers.put("tree", body -> ResponseParser.parseTree(new String(body, StandardCharsets.UTF_8), RateLimits.NONE,
                Duration.ZERO));
        parsers.put("client", body -> ResponseParser.parse(body, JSON, RateLimits.NONE, Duration.ZERO));
        System.out.printf(Locale.ROOT, "ParserCpu: Java %s, %d processors, %d bodies per set, %d rounds of %d ms per"
                        + " parser and set, warm-up %d ms, machine load average %.1f%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), count, rounds, sliceNanos / 1_000_000, warmupNanos / 1_000_000,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (Map.Entry<String, List<byte[]>> set : sets.entrySet()) {
            final List<byte[]> bodies = set.getValue();
            final double bytes = bodies.stream().mapToInt(b -> b.length).average().orElse(0);
            final double tokens = bodies.stream().mapToInt(b -> count(b, "\"logprob\"")).average().orElse(0);
            System.out.printf(Locale.ROOT, "set %s: mean body %,.0f bytes, mean %.1f logprob entries (incl. alternatives)%n",
                    set.getKey(), bytes, tokens);
        }
        // Same answers from every parser, or the comparison is void.
        for (List<byte[]> bodies : sets.values()) {
            for (byte[] body : bodies) {
                final List<String> seen = new ArrayList<>();
                parsers.values().forEach(p -> seen.add(describe(p.apply(body))));
                if (seen.stream().distinct().count() != 1) {
                    throw new IllegalStateException("parsers disagree on " + new String(body, StandardCharsets.UTF_8)
                            + ": " + seen);
                }
            }
        }
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Function<byte[], ChatResponse> parser : parsers.values()) {
            for (List<byte[]> bodies : sets.values()) {
                slice(parser, bodies, warmupNanos / (parsers.size() * sets.size()), threads);
            }
        }
        final Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, List<byte[]>> set : sets.entrySet()) {
                for (Map.Entry<String, Function<byte[], ChatResponse>> parser : parsers.entrySet()) {
                    results.computeIfAbsent(parser.getKey() + " " + set.getKey(), k -> new ArrayList<>())
                            .add(slice(parser.getValue(), set.getValue(), sliceNanos, threads));
                }
            }
        }
        System.out.printf("%-28s %16s %16s %16s %18s%n", "parser, set", "CPU us/body med", "CPU us/body min",
                "wall us/body med", "alloc bytes/body");
        for (Map.Entry<String, List<double[]>> r : results.entrySet()) {
            final List<Double> cpu = r.getValue().stream().map(a -> a[0]).toList();
            final List<Double> wall = r.getValue().stream().map(a -> a[1]).toList();
            final List<Double> alloc = r.getValue().stream().map(a -> a[2]).toList();
            System.out.printf(Locale.ROOT, "%-28s %16.2f %16.2f %16.2f %,18.0f%n", r.getKey(), median(cpu),
                    cpu.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), median(wall), median(alloc));
        }
        System.out.printf(Locale.ROOT, "machine load average at the end %.1f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.exit(sink == 42 ? 0 : 0);
    }

    /** {@code count} answers of the simulator to the worker's bodies for the benchmark's mix. */
    private static List<byte[]> answers(final String baseUrl, final int top, final int count) throws IOException {
        final Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", "unused:9092");
        settings.put("schema.registry.url", "http://unused");
        settings.put("slm.base.url", baseUrl);
        settings.put("slm.top.logprobs", String.valueOf(top));
        final List<byte[]> requests = BenchRequests.chatBodies(SlmWorkerConfig.from(Settings.of(settings)), count);
        final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();
        final List<byte[]> bodies = new ArrayList<>(count);
        try {
            for (byte[] request : requests) {
                final Request call = new Request.Builder().url(baseUrl + "/chat/completions")
                        .post(RequestBody.create(request, JSON)).build();
                try (Response response = http.newCall(call).execute()) {
                    if (response.code() != 200) {
                        throw new IOException("the simulator answered " + response.code() + ": " + response.body().string());
                    }
                    bodies.add(response.body().bytes());
                }
            }
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        return bodies;
    }

    /** Parses the bodies round-robin for {@code nanos} of wall time: CPU us, wall us and bytes allocated per body. */
    private static double[] slice(final Function<byte[], ChatResponse> parser, final List<byte[]> bodies,
                                  final long nanos, final com.sun.management.ThreadMXBean threads) {
        final long id = Thread.currentThread().getId();
        final long cpu0 = threads.getCurrentThreadCpuTime();
        final long alloc0 = threads.getThreadAllocatedBytes(id);
        final long wall0 = System.nanoTime();
        long n = 0;
        int acc = 0;
        while (System.nanoTime() - wall0 < nanos) {
            for (byte[] body : bodies) {
                acc += parser.apply(body).choices().size();
            }
            n += bodies.size();
        }
        final long wall = System.nanoTime() - wall0;
        final long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        final long alloc = threads.getThreadAllocatedBytes(id) - alloc0;
        sink += acc;
        return new double[] {cpu / 1e3 / n, wall / 1e3 / n, (double) alloc / n};
    }

    private static String describe(final ChatResponse r) {
        return r.id() + "|" + r.model() + "|" + r.systemFingerprint() + "|" + r.choices() + "|" + r.usage();
    }

    private static int count(final byte[] body, final String what) {
        final String text = new String(body, StandardCharsets.UTF_8);
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static double median(final List<Double> values) {
        final List<Double> sorted = values.stream().sorted().toList();
        final int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
