package dev.slmrouter.benchmarks;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.RegistryRunnerJar;
import dev.slmrouter.router.RouterConfig;
import dev.slmrouter.router.classify.HashedNgramClassifier;
import dev.slmrouter.router.language.LinguaLanguageDetector;
import dev.slmrouter.router.language.TieredLanguageDetector;
import dev.slmrouter.router.dedupe.DedupeSettings;
import dev.slmrouter.router.metrics.RouterMetrics;
import dev.slmrouter.router.policy.PolicyLoader;
import dev.slmrouter.router.policy.RoutingPolicy;
import dev.slmrouter.router.routing.RoutingDecider;
import dev.slmrouter.router.size.TokenEstimator;
import dev.slmrouter.router.topology.RouteStep;
import dev.slmrouter.router.topology.RouterTopology;
import dev.slmrouter.router.validation.RequestValidator;
import dev.slmrouter.serde.InMemorySchemaRegistry;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Measures the router's throughput through a real Kafka broker running in this same JVM (so broker and
 * router share the machine's cores, as the budget demands), with Avro in and out and the production
 * Streams configuration (exactly-once v2). It pre-produces N hinted and M unhinted requests, then runs
 * the variants in alternation, each several times from offset 0 under a fresh application id: two
 * pass-through topologies as ceilings (bytes in and the same bytes out; and each request decoded and
 * encoded again unchanged with the router's Avro serde), both with the same config, the router on hinted
 * traffic, and the router on unhinted traffic. A run is timed, and its records and CPU counted, from
 * the moment the topology has seen its first record and every task is running to the moment the
 * consumer group's committed offsets reach the end of the input, which under exactly-once means the
 * last output transaction has committed. Tasks with state stores start one after another (the router's
 * four reached RUNNING ~0.8 s after the first record, a fifth of a 300,000-record run): that is
 * startup, printed per run, not throughput; a router runs for days. It prints per-run figures,
 * medians, the hinted/pass-through ratios, the heap after GC with the language models loaded, and whether
 * each budget is met. Run it with -Xmx512m to show that broker and router together fit the heap budget.
 *
 * <p>Warm-up: rounds of every variant, not counted, at least {@code --warmup-rounds} and then until the JIT compilers
 * spent less than {@link #QUIET_JIT_SHARE} of a round's time compiling (at most {@code --max-warmup-rounds}). The
 * broker, Kafka Streams, the clients and the router are a lot of code for two cores: after three rounds the
 * compilers still took 300-600 ms of a 1-2 s run (2026-11-29), and runs moved by a third with it.
 *
 * <p>Options (all optional): {@code --hinted=200000 --unhinted=20000 --runs=3 --warmup-rounds=3
 * --max-warmup-rounds=12 --partitions=4
 * --variants=pass,pass_avro,hinted,unhinted[,hinted_approx,hinted_nodedupe,unhinted_lingua,decode_only]
 * --language-accuracy=high|low --thread-cpu=false
 * --set=<streams property>=<value>} ({@code --set} is repeatable and applies over the production config in
 * every variant, to try a tuning; {@code hinted_approx} is a what-if, see {@link ApproximateTokens};
 * {@code unhinted_lingua} is unhinted traffic with Lingua alone detecting the language, the router before
 * the tiered detector, for a side-by-side comparison; {@code --short-text=0.2@12@30@0.1} builds the tiered detector
 * with other short-text gates (margin, minimum trigrams; trigrams and margin of the second gate), a what-if;
 * {@code --thread-cpu=true} prints after each run the CPU its busiest thread groups used per record, the JVM's GC and
 * JIT threads included, and the broker's requests per record by type, see {@link RunBreakdown}).
 */
public final class RouterThroughput {

    static final double HINTED_TARGET = 50_000;
    static final double RATIO_TARGET = 0.7;
    /**
     * The pass-through the 0.7 target is judged against. Issue 2 asks for a pass-through "read and write unchanged"
     * in a benchmark with "Avro in and out": each request read as Avro and written again unchanged. The bytes
     * pass-through (the same bytes written back, nothing decoded) is printed beside it as a reference: a topology
     * that reads the requests cannot reach it (decoding them and writing their bytes back alone reaches about 0.8).
     */
    static final Variant RATIO_CEILING = Variant.PASS_AVRO;
    static final double UNHINTED_TARGET = 2_000;
    /** Warm-up ends when the JIT compiled for less than this share of a round's wall time. */
    static final double QUIET_JIT_SHARE = 0.10;

    private static final String HINTED_INPUT = "bench.requests.hinted";
    private static final String UNHINTED_INPUT = "bench.requests.unhinted";
    private static final String PASS_OUTPUT = "bench.passthrough";
    private static final String PASS_AVRO_OUTPUT = "bench.passthrough.avro";
    private static final Duration POLL = Duration.ofMillis(20);

    /** The three things measured; each reads one input topic. */
    enum Variant {
        PASS("pass-through", HINTED_INPUT),
        /** The ceiling for any topology that reads and writes these events: Avro decoded and encoded again, unchanged. */
        PASS_AVRO("pass-through Avro", HINTED_INPUT),
        HINTED("router hinted", HINTED_INPUT),
        UNHINTED("router unhinted", UNHINTED_INPUT),
        /** What-if, only when asked for: hinted, with the exact token count replaced by bytes / 4. */
        HINTED_APPROX("hinted ~tokens", HINTED_INPUT),
        /** What-if, only when asked for: hinted, with the request-id dedupe off (router.dedupe.window=0). */
        HINTED_NODEDUPE("hinted no dedupe", HINTED_INPUT),
        /** Only when asked for: unhinted with Lingua alone detecting the language (the router before 2026-11-28). */
        UNHINTED_LINGUA("unhinted Lingua", UNHINTED_INPUT),
        /**
         * What-if, only when asked for: each request decoded with the router's deserializer and its original bytes
         * written, the least any topology that reads the requests does (the router also copies the bytes).
         */
        DECODE_ONLY("decode only", HINTED_INPUT);

        final String label;
        final String input;

        boolean passThrough() {
            return this == PASS || this == PASS_AVRO;
        }

        /** Runs the router's topology (with a volume topic and routed counts of its own). */
        boolean router() {
            return !passThrough() && this != DECODE_ONLY;
        }

        Variant(final String label, final String input) {
            this.label = label;
            this.input = input;
        }
    }

    record Options(int hinted, int unhinted, int runs, int warmupRounds, int maxWarmupRounds, int partitions,
                   List<Variant> variants,
                   boolean highAccuracy, Map<String, String> overrides, String shortTextMargin, boolean threadCpu) {

        static Options parse(final String[] args) {
            final Map<String, String> values = new HashMap<>();
            final Map<String, String> overrides = new LinkedHashMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--") || !arg.contains("=")) {
                    throw new IllegalArgumentException("expected --name=value, got " + arg);
                }
                final String name = arg.substring(2, arg.indexOf('='));
                final String value = arg.substring(arg.indexOf('=') + 1);
                if (name.equals("set")) {
                    overrides.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
                } else {
                    values.put(name, value);
                }
            }
            final List<Variant> variants = new ArrayList<>();
            for (String v : values.getOrDefault("variants", "pass,pass_avro,hinted,unhinted").split(",")) {
                variants.add(Variant.valueOf(v.trim().toUpperCase(Locale.ROOT)));
            }
            return new Options(Integer.parseInt(values.getOrDefault("hinted", "200000")),
                    Integer.parseInt(values.getOrDefault("unhinted", "20000")),
                    Integer.parseInt(values.getOrDefault("runs", "3")),
                    Integer.parseInt(values.getOrDefault("warmup-rounds", "3")),
                    Integer.parseInt(values.getOrDefault("max-warmup-rounds", "12")),
                    Integer.parseInt(values.getOrDefault("partitions", "4")),
                    variants, !values.getOrDefault("language-accuracy", "high").equals("low"), overrides,
                    values.get("short-text"), Boolean.parseBoolean(values.getOrDefault("thread-cpu", "false")));
        }

        int records(final Variant variant) {
            return variant.input.equals(UNHINTED_INPUT) ? unhinted : hinted;
        }
    }

    /**
     * One timed run.
     *
     * @param records         the records processed from the run's start to its end
     * @param startupMillis   from {@code start()} to the first record
     * @param allRunningMillis from the first record to the moment every task ran (the run's start)
     * @param breakdown        with --thread-cpu, where the run's CPU went, else {@link RunBreakdown#NONE}
     */
    record Run(Variant variant, int round, int records, long startupMillis, long allRunningMillis, long nanos,
               long cpuNanos,
               long streamThreadCpuNanos, long gcMillis, long jitMillis, long heapAfterGcMb, Map<String, Long> routed,
               RunBreakdown breakdown) {

        double perSecond() {
            return records * 1e9 / nanos;
        }

        /** CPU time of the whole JVM (broker included) per record: less sensitive to other tenants than wall time. */
        double cpuMicrosPerRecord() {
            return cpuNanos / 1e3 / records;
        }

        /** CPU time of the stream thread alone per record: the topology's own work (decode, decide, encode, send). */
        double streamThreadMicrosPerRecord() {
            return streamThreadCpuNanos / 1e3 / records;
        }
    }

    private final Options options;
    private final KafkaBroker broker;
    private final String registryUrl;
    private final SchemaRegistryClient registry;
    private final Admin admin;
    private final Path stateRoot;

    private RouterThroughput(final Options options, final KafkaBroker broker, final String registryUrl,
                             final SchemaRegistryClient registry, final Path stateRoot) {
        this.options = options;
        this.broker = broker;
        this.registryUrl = registryUrl;
        this.registry = registry;
        this.stateRoot = stateRoot;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    public static void main(final String[] args) throws Exception {
        // Kafka logs every rebalance and transaction at INFO; keep the report readable unless asked otherwise.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        final Options options = Options.parse(args);
        System.out.printf("RouterThroughput: %d hinted and %d unhinted requests, %d runs per variant after %d to %d"
                        + " warm-up rounds (until the JIT compiles for less than %.0f%% of a round), %d partitions,"
                        + " variants %s, language accuracy %s, overrides %s, short-text gate %s%n", options.hinted(),
                options.unhinted(), options.runs(), options.warmupRounds(), options.maxWarmupRounds(),
                100 * QUIET_JIT_SHARE, options.partitions(), options.variants(),
                options.highAccuracy() ? "high" : "low", options.overrides(),
                options.shortTextMargin() == null ? "default" : options.shortTextMargin());
        System.out.printf("JVM: Java %s, %d processors, max heap %d MB, GC %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), JvmProbe.maxHeapMb(), collectorNames());
        final Path stateRoot = Files.createTempDirectory("router-throughput-");
        try (KafkaBroker broker = KafkaBroker.start(); Registry registry = Registry.start()) {
            System.out.printf("Kafka broker in this JVM on %s (ready in %d ms); schema registry: %s%n",
                    broker.bootstrapServers(), broker.startupMillis(), registry.description());
            final RouterThroughput bench = new RouterThroughput(options, broker, registry.url(), registry.client(),
                    stateRoot);
            try {
                bench.run();
            } finally {
                bench.admin.close(Duration.ofSeconds(5));
            }
        } finally {
            deleteRecursively(stateRoot);
        }
    }

    private void run() throws Exception {
        final Topics topics = Topics.defaults();
        final Map<String, Integer> partitioned = new LinkedHashMap<>();
        for (String name : List.of(HINTED_INPUT, UNHINTED_INPUT, PASS_OUTPUT, PASS_AVRO_OUTPUT, topics.slmRequests().name(),
                topics.gptRequests().name(), topics.deadLetters().name())) {
            partitioned.put(name, options.partitions());
        }
        broker.createTopics(partitioned);
        produce(topics, HINTED_INPUT, options.hinted(), true);
        produce(topics, UNHINTED_INPUT, options.unhinted(), false);

        final long heapBaseMb = JvmProbe.usedAfterFullGcMb();
        final long loadStart = System.nanoTime();
        final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final RoutingPolicy policy = PolicyLoader.loadDefault();
        final HashedNgramClassifier classifier = HashedNgramClassifier.trainDefault();
        // Lingua's own models (~350 MB of heap) are loaded only for the variants that need them.
        final boolean needLingua = options.variants().contains(Variant.UNHINTED_LINGUA) || options.shortTextMargin() != null;
        final LinguaLanguageDetector lingua = needLingua
                ? LinguaLanguageDetector.forLanguages(LinguaLanguageDetector.DEFAULT_LANGUAGES, options.highAccuracy())
                : null;
        // As RouterApp builds it (script, trigram and compact Lingua stages), unless --short-text asks for other gates.
        final TieredLanguageDetector languages = options.shortTextMargin() == null
                ? TieredLanguageDetector.forLanguages(LinguaLanguageDetector.DEFAULT_LANGUAGES, options.highAccuracy())
                : new TieredLanguageDetector(LinguaLanguageDetector.DEFAULT_LANGUAGES, lingua, !options.highAccuracy(),
                        Double.parseDouble(options.shortTextMargin().split("@")[0]),
                        Integer.parseInt(options.shortTextMargin().split("@")[1]),
                        Integer.parseInt(options.shortTextMargin().split("@")[2]),
                        Double.parseDouble(options.shortTextMargin().split("@")[3]));
        // One estimator for both deciders: each instance holds an o200k table of tens of MB.
        final TokenEstimator tokens = new TokenEstimator();
        final RouteStep step = routeStep(topics, new RoutingDecider(policy, classifier, languages, tokens), meters);
        final RouteStep linguaStep = options.variants().contains(Variant.UNHINTED_LINGUA)
                ? routeStep(topics, new RoutingDecider(policy, classifier, lingua, tokens), meters)
                : null;
        // Built only when asked for: its estimator loads a second o200k table before the swap, tens of MB of heap.
        final RouteStep approxStep = options.variants().contains(Variant.HINTED_APPROX)
                ? routeStep(topics, new RoutingDecider(policy, classifier, languages, ApproximateTokens.estimator()),
                        meters)
                : null;
        final long loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStart);
        final long heapModelsMb = JvmProbe.usedAfterFullGcMb();
        System.out.printf("Classifier trained and %d language models loaded in %d ms%n",
                LinguaLanguageDetector.DEFAULT_LANGUAGES.size(), loadMillis);
        System.out.printf("Heap after GC: %d MB before loading the router (broker, clients, JVM), %d MB with the"
                + " router's models loaded (models: %d MB)%n", heapBaseMb, heapModelsMb, heapModelsMb - heapBaseMb);

        final List<Run> runs = new ArrayList<>();
        int warmups = 0;
        while (true) {
            final List<Run> round = runRound(0, topics, step, linguaStep, approxStep, meters);
            warmups++;
            final double jitShare = round.stream().mapToLong(Run::jitMillis).sum() * 1e6
                    / round.stream().mapToLong(Run::nanos).sum();
            if (warmups >= options.warmupRounds()
                    && (jitShare < QUIET_JIT_SHARE || warmups >= options.maxWarmupRounds())) {
                System.out.printf("Warm-up: %d rounds; the JIT compiled for %.0f%% of the last one's time%n", warmups,
                        100 * jitShare);
                break;
            }
        }
        for (int round = 1; round <= options.runs(); round++) {
            runs.addAll(runRound(round, topics, step, linguaStep, approxStep, meters));
        }
        System.out.println("Tiered language detector, texts placed per stage over all runs: "
                + languages.decidedByStage());
        final long heapEndMb = JvmProbe.usedAfterFullGcMb();
        Summary.print(options, runs, heapBaseMb, heapModelsMb, heapEndMb);
    }

    /** One run of every variant; {@code round} 0 is a warm-up round. */
    private List<Run> runRound(final int round, final Topics topics, final RouteStep step, final RouteStep linguaStep,
                               final RouteStep approxStep, final PrometheusMeterRegistry meters) throws Exception {
        final List<Run> runs = new ArrayList<>();
        for (Variant variant : options.variants()) {
            final RouteStep variantStep = switch (variant) {
                case HINTED_APPROX -> approxStep;
                case UNHINTED_LINGUA -> linguaStep;
                case HINTED_NODEDUPE -> withoutDedupe(step);
                default -> step;
            };
            final Run run = runOnce(variant, round, topics, variantStep, meters);
            runs.add(run);
            System.out.printf((round > 0 ? "round " + round : "warm-up") + "  %-16s %,9d records in %,7d ms = %,9.0f"
                            + " records/s  (CPU per record: JVM %,.1f us, stream thread %,.1f us; GC %,d ms, JIT %,d ms,"
                            + " startup %,d ms + %,d ms until all tasks ran, heap after last GC %d MB%s)%n",
                    variant.label, run.records(), TimeUnit.NANOSECONDS.toMillis(run.nanos()), run.perSecond(),
                    run.cpuMicrosPerRecord(), run.streamThreadMicrosPerRecord(), run.gcMillis(), run.jitMillis(),
                    run.startupMillis(), run.allRunningMillis(), run.heapAfterGcMb(),
                    run.routed().isEmpty() ? "" : ", routed " + run.routed());
            if (options.threadCpu()) {
                System.out.println(run.breakdown().describe(run.records()));
            }
        }
        return runs;
    }

    /** The route step as RouterApp builds it. */
    private RouteStep routeStep(final Topics topics, final RoutingDecider decider,
                                final PrometheusMeterRegistry meters) {
        return new RouteStep(topics.requests().valueSerde(registry).deserializer(), new RequestValidator(200_000),
                decider, new RouterMetrics(meters), Duration.ofSeconds(10),
                DedupeSettings.of(Duration.ofHours(1), 1_000_000), Clock.systemUTC());
    }

    private static RouteStep withoutDedupe(final RouteStep step) {
        return new RouteStep(step.requestDeserializer(), step.validator(), step.decider(), step.metrics(),
                step.volumeEmitInterval(), DedupeSettings.of(Duration.ZERO, step.dedupe().maxIds()), step.clock());
    }

    private void produce(final Topics topics, final String topic, final int count, final boolean hinted) {
        final PromptMix mix = PromptMix.load();
        final Map<String, Object> config = KafkaTestClients.producerConfig(broker.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        final Serde<InferenceRequest> serde = topics.requests().valueSerde(registry);
        final long start = System.nanoTime();
        try (KafkaProducer<String, InferenceRequest> producer = new KafkaProducer<>(config, new StringSerializer(),
                serde.serializer())) {
            for (int i = 0; i < count; i++) {
                final InferenceRequest request = mix.request(i, hinted);
                producer.send(new ProducerRecord<>(topic, request.getRequestId(), request),
                        (metadata, error) -> {
                            if (error != null) {
                                throw new IllegalStateException("producing failed", error);
                            }
                        });
            }
        }
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("Produced %,d %s requests to %s in %,d ms%n", count, hinted ? "hinted" : "unhinted", topic,
                millis);
    }

    private Run runOnce(final Variant variant, final int round, final Topics topics, final RouteStep step,
                        final PrometheusMeterRegistry meters) throws Exception {
        final String appId = "bench-" + variant.name().toLowerCase(Locale.ROOT) + "-" + round + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        final FirstRecord first = new FirstRecord();
        // Each router run gets its own volume topic: volumes left by earlier runs would move the daily-volume
        // bands, so later runs would route differently and runs would not be alike.
        final String volumeTopic = "bench.volume." + appId;
        if (variant.router()) {
            broker.createCompactedTopics(Map.of(volumeTopic, 1));
        }
        final Topology topology = variant == Variant.PASS ? passThrough(first)
                : variant == Variant.PASS_AVRO ? avroPassThrough(topics, first)
                : variant == Variant.DECODE_ONLY ? decodeOnly(step, first)
                : RouterTopology.build(Topics.from((key, name) -> key.equals(Topics.REQUESTS_KEY) ? variant.input
                                : key.equals(Topics.VOLUME_KEY) ? volumeTopic : name),
                        registry, new RouteStep(new MarkingDeserializer<>(step.requestDeserializer(), first),
                                step.validator(), step.decider(), step.metrics(), step.volumeEmitInterval(),
                                step.dedupe(), step.clock()));
        final Map<String, Long> routedBefore = routedCounts(meters);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final long expected = options.records(variant);
        final long started = System.nanoTime();
        final KafkaStreams streams = new KafkaStreams(topology, streamsProperties(appId));
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        final AtomicLong allRunning = new AtomicLong();
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                allRunning.compareAndSet(0, System.nanoTime());
            }
        });
        try {
            streams.start();
            final long deadline = started + TimeUnit.SECONDS.toNanos(120 + expected / 200);
            long done;
            long start = 0;
            long seenAtStart = 0;
            long cpuAtStart = 0;
            long streamCpuAtStart = 0;
            long gcAtStart = 0;
            long jitAtStart = 0;
            RunBreakdown breakdownAtStart = RunBreakdown.NONE;
            while (true) {
                if (failure.get() != null) {
                    throw new IllegalStateException(variant.label + " run failed", failure.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(variant.label + " run did not finish: "
                            + committed(appId, variant.input) + " of " + expected + " records committed");
                }
                if (start == 0 && first.nanos != 0 && allRunning.get() != 0) {
                    start = System.nanoTime();
                    seenAtStart = first.seen.sum();
                    cpuAtStart = JvmProbe.processCpuNanos();
                    streamCpuAtStart = JvmProbe.threadsCpuNanos(appId, "-StreamThread-");
                    gcAtStart = JvmProbe.gcMillis();
                    jitAtStart = JvmProbe.jitMillis();
                    breakdownAtStart = options.threadCpu() ? RunBreakdown.take() : RunBreakdown.NONE;
                }
                if (start != 0 && committed(appId, variant.input) >= expected) {
                    done = System.nanoTime();
                    break;
                }
                // Poll finely until the run starts, so records, CPU and GC are counted from (nearly) there.
                Thread.sleep(start == 0 ? 2 : POLL.toMillis());
            }
            final long cpu = JvmProbe.processCpuNanos() - cpuAtStart;
            final long streamCpu = JvmProbe.threadsCpuNanos(appId, "-StreamThread-") - streamCpuAtStart;
            final long gc = JvmProbe.gcMillis() - gcAtStart;
            final long jit = JvmProbe.jitMillis() - jitAtStart;
            final long heapMb = JvmProbe.usedAfterLastGcMb();
            final RunBreakdown breakdown = options.threadCpu() ? RunBreakdown.take().since(breakdownAtStart) : RunBreakdown.NONE;
            final Map<String, Long> routed = routedCounts(meters);
            routed.replaceAll((tier, count) -> count - routedBefore.getOrDefault(tier, 0L));
            return new Run(variant, round, (int) (expected - seenAtStart),
                    TimeUnit.NANOSECONDS.toMillis(first.nanos - started), TimeUnit.NANOSECONDS.toMillis(start - first.nanos),
                    done - start, cpu, streamCpu, gc, jit, heapMb, variant.router() ? routed : Map.of(), breakdown);
        } finally {
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
        }
    }

    /** The ceiling: the same source and sink as the router, bytes in and the same bytes out. */
    private static Topology passThrough(final FirstRecord first) {
        final StreamsBuilder builder = new StreamsBuilder();
        final Serde<byte[]> bytes = Serdes.ByteArray();
        builder.stream(HINTED_INPUT, Consumed.with(bytes, bytes))
                .peek((key, value) -> first.mark())
                .to(PASS_OUTPUT, Produced.with(bytes, bytes));
        return builder.build();
    }

    /**
     * The ceiling for a topology that reads and writes these events: each request decoded with the router's
     * deserializer and written again, unchanged, with the same serde, so the Avro work of reading and writing
     * is in the ceiling and only the routing is not.
     */
    private Topology avroPassThrough(final Topics topics, final FirstRecord first) {
        final StreamsBuilder builder = new StreamsBuilder();
        final Serde<InferenceRequest> requests = topics.requests().valueSerde(registry);
        builder.stream(HINTED_INPUT, Consumed.with(Serdes.ByteArray(),
                        Serdes.serdeFrom(requests.serializer(), new MarkingDeserializer<>(requests.deserializer(), first))))
                .to(PASS_AVRO_OUTPUT, Produced.with(Serdes.ByteArray(), requests));
        return builder.build();
    }

    /** Each request decoded as the router decodes it (and the result dropped), its original bytes written. */
    private static Topology decodeOnly(final RouteStep step, final FirstRecord first) {
        final StreamsBuilder builder = new StreamsBuilder();
        final Serde<byte[]> bytes = Serdes.ByteArray();
        final MarkingDeserializer<InferenceRequest> decoder = new MarkingDeserializer<>(step.requestDeserializer(), first);
        builder.stream(HINTED_INPUT, Consumed.with(bytes, bytes))
                .mapValues(value -> decoder.deserialize(HINTED_INPUT, value) == null ? null : value)
                .to(PASS_OUTPUT, Produced.with(bytes, bytes));
        return builder.build();
    }

    /** The production Streams config (exactly_once_v2, ...) for a fresh application id, plus any --set. */
    private Properties streamsProperties(final String appId) {
        final Properties props = RouterConfig.from(Settings.of(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                RouterConfig.SCHEMA_REGISTRY_URL, registryUrl,
                RouterConfig.APPLICATION_ID, appId,
                RouterConfig.STATE_DIR, stateRoot.resolve(appId).toString()))).streamsProperties();
        props.putAll(options.overrides());
        return props;
    }

    /** Records of {@code topic} whose processing group {@code appId} has committed (its offsets' sum). */
    private long committed(final String appId, final String topic) throws Exception {
        final Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long sum = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            if (entry.getKey().topic().equals(topic) && entry.getValue() != null) {
                sum += entry.getValue().offset();
            }
        }
        return sum;
    }

    /** The router's routed-request counters summed by tier, plus its dead letters. */
    private static Map<String, Long> routedCounts(final PrometheusMeterRegistry meters) {
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (Counter counter : meters.find("router.requests.routed").counters()) {
            counts.merge(counter.getId().getTag("tier"), (long) counter.count(), Long::sum);
        }
        for (Counter counter : meters.find("router.dead.letters").counters()) {
            counts.merge("DLQ", (long) counter.count(), Long::sum);
        }
        return counts;
    }

    private static String collectorNames() {
        final List<String> names = new ArrayList<>();
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> names.add(gc.getName()));
        return String.join(", ", names);
    }

    private static void deleteRecursively(final Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Told by the stream thread of each record it hands to the topology; read by the timer. */
    static final class FirstRecord {
        volatile long nanos;
        final LongAdder seen = new LongAdder();

        void mark() {
            seen.increment();
            if (nanos == 0) {
                nanos = System.nanoTime();
            }
        }
    }

    /**
     * The schema registry for the run: the real one (Apicurio, a child process) when its runner jar has been
     * built, else an in-memory one; either way the serdes cache schemas, so the registry is off the hot path.
     */
    private record Registry(LocalSchemaRegistry process, SchemaRegistryClient client, String url, String description)
            implements AutoCloseable {

        static Registry start() {
            final Path jar;
            try {
                jar = RegistryRunnerJar.locate();
            } catch (IllegalStateException e) {
                System.out.println("NOTE: no schema registry runner jar (build it with ./mvnw -pl schema-registry"
                        + " package); using an in-memory registry instead: " + e.getMessage());
                return new Registry(null, new InMemorySchemaRegistry(), "http://in-memory.invalid",
                        "in-memory (InMemorySchemaRegistry), NOT the real registry");
            }
            final LocalSchemaRegistry process = LocalSchemaRegistry.start(jar);
            return new Registry(process, new RestSchemaRegistryClient(process.confluentApiUrl()),
                    process.confluentApiUrl(), "Apicurio at " + process.confluentApiUrl() + " (child process, "
                    + jar.getFileName() + ")");
        }

        @Override
        public void close() {
            if (process != null) {
                process.close();
            }
        }
    }
}
