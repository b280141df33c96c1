package dev.slmrouter.benchmarks.slm;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.simulators.vllm.VllmSimulator;
import dev.slmrouter.slm.SlmWorkerConfig;
import dev.slmrouter.topics.Topics;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The SLM worker benchmark (issue 3, item 12): in one JVM and one run, how close the real SLM worker,
 * reading from and writing to Kafka with exactly-once on, comes to the capacity of the backend it calls.
 * It starts the vLLM simulator, measures the simulator's capacity with a direct closed-loop load
 * generator at several concurrencies, starts a Kafka broker in this JVM and the schema registry (the
 * {@code schema-registry} runner jar, as a child process), pre-produces the requests to
 * {@code llm.requests.slm}, warms the worker up once, and then alternates direct runs and worker runs at
 * the best concurrency (and at max-num-seqs, where no engine queue hides the worker's per-request gaps),
 * printing each run, the medians, the side-by-side ratios and the worker's overhead per request against
 * the budgets (see {@link SlmReport} for the definitions). Every run is bounded by a request count and a time limit; the program
 * ends by itself. Options: {@link SlmBenchOptions}.
 */
public final class SlmWorkerThroughput {

    private SlmWorkerThroughput() {
    }

    public static void main(final String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int status;
        try {
            run(SlmBenchOptions.parse(args));
            status = 0;
        } catch (IllegalArgumentException e) {
            System.out.println("SlmWorkerThroughput: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.out.println("SlmWorkerThroughput failed: " + e);
            e.printStackTrace(System.out);
            status = 1;
        }
        System.exit(status); // leftover client threads (OkHttp, Kafka) must not keep a CI job alive
    }

    private static void run(final SlmBenchOptions o) throws Exception {
        out("SlmWorkerThroughput: %d requests per run, %d rounds, %d partitions, sweep %s x %d requests per client,"
                        + " warm-up %d, worker overrides %s%s", o.requests(), o.runs(), o.partitions(), o.concurrencies(),
                o.sweepPerClient(), o.warmup(), o.overrides(), o.variant().isEmpty() ? "" : ", variant " + o.variant());
        out("JVM: Java %s, %d processors, max heap %d MB", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try (VllmSimulator sim = VllmSimulator.builder()
                .timeScale(1.0)
                .timeToFirstToken(Duration.ofMillis(o.ttftMillis()))
                .timePerOutputToken(Duration.ofNanos((long) (o.tpotMillis() * 1e6)))
                .loadAlphas(o.ttftAlpha(), o.tpotAlpha())
                .maxNumSeqs(o.maxNumSeqs())
                .meanOutputTokens(o.meanOutputTokens())
                .build().start()) {
            out("vLLM simulator at %s: time scale 1, ttft %d ms x (1 + %.1f x batch/%d), tpot %.2f ms x (1 + %.1f x"
                            + " batch/%d), max-num-seqs %d, mean free-text output %d tokens", sim.baseUrl(), o.ttftMillis(),
                    o.ttftAlpha(), o.maxNumSeqs(), o.tpotMillis(), o.tpotAlpha(), o.maxNumSeqs(), o.maxNumSeqs(),
                    o.meanOutputTokens());
            try (KafkaBroker broker = KafkaBroker.start(); LocalSchemaRegistry registry = LocalSchemaRegistry.start()) {
                out("Kafka broker in this JVM on %s (ready in %,d ms); schema registry %s (child process, ready in %,d ms)",
                        broker.bootstrapServers(), broker.startupMillis(), registry.confluentApiUrl(),
                        registry.startupMillis());
                measure(o, sim, broker, registry.confluentApiUrl());
            }
        }
    }

    private static void measure(final SlmBenchOptions o, final VllmSimulator sim, final KafkaBroker broker,
                                final String registryUrl) throws Exception {
        final Topics topics = Topics.defaults();
        final Map<String, Integer> partitions = new LinkedHashMap<>();
        topics.allNames().forEach(name -> partitions.put(name, o.partitions()));
        broker.createTopics(partitions);
        produce(broker, registryUrl, topics, o.requests());

        final Map<String, String> base = new HashMap<>();
        base.put("kafka.bootstrap.servers", broker.bootstrapServers());
        base.put("schema.registry.url", registryUrl);
        base.put("slm.base.url", sim.baseUrl());
        base.put("slm.metrics.host", "127.0.0.1");
        base.put("slm.metrics.port", "0");
        base.putAll(o.overrides());
        final WorkerRun workerRun = new WorkerRun(base, topics);
        final List<byte[]> bodies = BenchRequests.chatBodies(
                SlmWorkerConfig.from(Settings.of(workerRun.settings(1, "bodies"))), o.requests());
        final DirectLoad direct = new DirectLoad(sim.baseUrl(), bodies);

        out("");
        out("== Direct capacity sweep (closed loop, OkHttp, the worker's own request bodies) ==");
        final List<Measurement> sweep = new ArrayList<>();
        for (int c : o.concurrencies()) {
            final Measurement m = sampled(sim, () -> direct.run("direct sweep", c, c * o.sweepPerClient(),
                    o.runTimeout()));
            sweep.add(m);
            out(m.line());
        }
        final Measurement best = sweep.stream().max((a, b) -> Double.compare(a.perSecond(), b.perSecond()))
                .orElseThrow();
        final int inFlight = o.inFlight() > 0 ? o.inFlight() : best.concurrency();
        final SlmReport.Series atBest = new SlmReport.Series("At the best concurrency", inFlight);
        final SlmReport.Series unmasked = o.unmasked() > 0 && o.unmasked() != inFlight
                ? new SlmReport.Series("At max-num-seqs, no engine queue", o.unmasked()) : null;
        out("Best %,.1f req/s at concurrency %d; alternating runs at concurrency (and slm.max.in.flight) %d%s%s",
                best.perSecond(), best.concurrency(), inFlight, o.inFlight() > 0 ? " (set by --in-flight)" : "",
                unmasked == null ? "" : " and " + unmasked.concurrency());

        if (o.warmup() > 0) {
            out("");
            out("== Worker warm-up (not counted) ==");
            out(sampled(sim, () -> workerRun.run("worker warm-up", inFlight, Math.min(o.warmup(), o.requests()),
                    o.runTimeout())).line());
        }
        out("");
        out("== Alternating runs ==");
        for (int round = 1; round <= o.runs(); round++) {
            for (SlmReport.Series series : unmasked == null ? List.of(atBest) : List.of(atBest, unmasked)) {
                final String name = "round " + round;
                final int c = series.concurrency();
                final Measurement d = sampled(sim, () -> direct.run(name + " direct", c, o.requests(), o.runTimeout()));
                series.direct().add(d);
                out(d.line());
                final Measurement w = sampled(sim, () -> workerRun.run(name + " worker", c, o.requests(),
                        o.runTimeout()));
                series.worker().add(w);
                out(w.line());
                if (!o.variant().isEmpty()) {
                    final Measurement v = sampled(sim, () -> workerRun.run(name + " variant", c, o.requests(),
                            o.runTimeout(), o.variant()));
                    series.variant().add(v);
                    out(v.line());
                }
            }
        }
        SlmReport.print(sweep, atBest, unmasked, o.variant());
        out("Simulator totals: %s", sim.stats());
    }

    /** Runs one measurement while sampling the engine's batch occupancy. */
    private static Measurement sampled(final VllmSimulator sim, final Callable<Measurement> run) throws Exception {
        final Measurement m;
        final OccupancySampler sampler = new OccupancySampler(sim);
        try {
            m = run.call();
        } finally {
            sampler.close();
        }
        // Other tenants of the machine show here: with the load above the core count, every thread waits for a core.
        return m.withOccupancy(sampler.meanRunning(), sampler.summary() + String.format(Locale.ROOT,
                ", machine load average %.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

    private static void produce(final KafkaBroker broker, final String registryUrl, final Topics topics,
                                final int count) {
        final long start = System.nanoTime();
        final String topic = topics.slmRequests().name();
        final Serializer<RoutedRequest> serializer = topics.slmRequests()
                .valueSerde(new RestSchemaRegistryClient(registryUrl)).serializer();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                final RoutedRequest routed = BenchRequests.routed(i);
                producer.send(new ProducerRecord<>(topic,
                        routed.getRequest().getRequestId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic, routed)));
            }
            producer.flush();
        }
        out("Produced %,d RoutedRequest records (Confluent wire format) to %s in %,d ms", count, topic,
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void out(final String format, final Object... args) {
        System.out.println(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
    }
}
