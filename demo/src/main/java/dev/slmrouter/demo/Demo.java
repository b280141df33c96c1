package dev.slmrouter.demo;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.demo.datasets.DataSets;
import dev.slmrouter.demo.report.DemoReport;
import dev.slmrouter.demo.report.HtmlReport;
import dev.slmrouter.demo.report.RunInfo;
import dev.slmrouter.demo.tier0.Tier0Demo;
import dev.slmrouter.demo.traffic.ClassificationTraffic;
import dev.slmrouter.demo.traffic.SampleTraffic;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.gpt.GptWorkerApp;
import dev.slmrouter.gpt.GptWorkerConfig;
import dev.slmrouter.localstack.LocalStack;
import dev.slmrouter.router.RouterApp;
import dev.slmrouter.router.RouterConfig;
import dev.slmrouter.router.policy.PolicyLoader;
import dev.slmrouter.router.policy.RoutingPolicy;
import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.simulators.common.ConfidenceDistribution;
import dev.slmrouter.simulators.openai.OpenAiSimulator;
import dev.slmrouter.simulators.vllm.VllmSimulator;
import dev.slmrouter.slm.SlmWorkerApp;
import dev.slmrouter.slm.SlmWorkerConfig;
import dev.slmrouter.tier0.encoder.EmbeddingCache;
import dev.slmrouter.tier0.encoder.EncoderSpec;
import dev.slmrouter.tier0.worker.Tier0WorkerApp;
import dev.slmrouter.tier0.worker.Tier0WorkerConfig;
import dev.slmrouter.topics.Topic;
import dev.slmrouter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The main job on an embedded default: starts a local Kafka broker and schema registry, the vLLM and
 * OpenAI simulators, the router, an SLM worker and a GPT worker; produces the workload (built in, or
 * classification traffic from real data sets) at a steady rate; follows every topic with a
 * read_committed consumer until each request has its one result or dead letter; prints a report and
 * writes it as an HTML page with charts; and stops everything it started (also on Ctrl-C).
 *
 * <p>Usage: see {@link DemoOptions#USAGE}.
 */
public final class Demo {

    private static final String SLM_SOURCE = "the vLLM simulator";
    private static final String GPT_SOURCE = "the OpenAI simulator";

    private Demo() {
    }

    public static void main(final String[] args) throws Exception {
        final DemoOptions options;
        final DataSets data;
        try {
            options = DemoOptions.parse(args);
            data = options.dataSets().load();
        } catch (IllegalArgumentException e) {
            System.err.println("[demo] " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        final Progress progress = Progress.forConsole();
        final ClassificationTraffic classification = ClassificationTraffic.from(data, options.labelsPerRequest());
        final List<String> traffic = new ArrayList<>(describeTraffic(options, classification));
        traffic.forEach(line -> progress.log("Traffic: " + line));
        final Optional<Tier0Demo.Setup> tier0 = prepareTier0(options, classification, progress);
        tier0.ifPresent(t -> traffic.add(t.description()));
        final Topics topics = Topics.defaults();
        progress.log("Starting a local Kafka broker and schema registry");
        // A real vLLM (SLM_BASE_URL) or the real OpenAI API (OPENAI_API_KEY or GPT_API_KEY) replaces its simulator.
        final Settings environment = Settings.fromEnvironment();
        final Optional<String> realVllm = environment.find("slm.base.url");
        final boolean realOpenAi = environment.find("gpt.api.key").or(() -> environment.find("openai.api.key"))
                .or(() -> environment.find("gpt.api.key.file")).isPresent();
        try (LocalStack stack = LocalStack.start(topics, 3);
             VllmSimulator vllm = realVllm.isPresent() ? null : VllmSimulator.builder().timeScale(0.05)
                     .confidence(ConfidenceDistribution.typical()).build().start();
             OpenAiSimulator openai = realOpenAi ? null : OpenAiSimulator.builder().timeScale(0.05).build().start()) {
            final String slmUrl = realVllm.orElseGet(() -> vllm.baseUrl());
            final String slmSource = realVllm.isPresent() ? "vLLM at " + slmUrl : SLM_SOURCE;
            final String gptSource = realOpenAi ? "the OpenAI API at " + environment.string("gpt.base.url",
                    "https://api.openai.com/v1") : GPT_SOURCE;
            progress.log("Kafka at " + stack.bootstrapServers() + ", schema registry at " + stack.schemaRegistryUrl());
            progress.log("SLM: " + slmSource + (vllm == null ? "" : " at " + slmUrl) + "; GPT: " + gptSource
                    + (openai == null ? "" : " at " + openai.baseUrl()));
            final Path stateDir = Files.createTempDirectory("slm-router-demo-state");
            final Map<String, String> common = Map.of(
                    "kafka.bootstrap.servers", stack.bootstrapServers(),
                    "schema.registry.url", stack.schemaRegistryUrl());
            final SchemaRegistryClient registry = new RestSchemaRegistryClient(stack.schemaRegistryUrl());
            registerSchemas(topics, registry);
            progress.log("Starting the router (training the task classifier, loading language models)");
            final RouterConfig routerConfig = RouterConfig.from(Settings.of(common).with(Map.of(
                    RouterConfig.STATE_DIR, stateDir.toString(),
                    RouterConfig.LANGUAGE_ACCURACY, options.languageAccuracy(),
                    RouterConfig.METRICS_HOST, "127.0.0.1",
                    RouterConfig.METRICS_PORT, "0"))
                    .with(tier0.map(t -> Map.of(RouterConfig.POLICY_FILE, t.policyFile().toString())).orElse(Map.of())));
            final SlmWorkerConfig slmConfig = SlmWorkerConfig.from(environment.with(common).with(Map.of(
                    "slm.base.url", slmUrl,
                    "slm.shadow.sample.rate", Double.toString(options.shadowRate()),
                    "slm.transactional.id", "demo-slm-worker",
                    "slm.metrics.host", "127.0.0.1",
                    "slm.metrics.port", "0")));
            try (RouterApp router = RouterApp.start(routerConfig);
                 SlmWorkerApp slm = SlmWorkerApp.start(slmConfig);
                 GptWorkerApp gpt = GptWorkerApp.start(GptWorkerConfig.from(environment.with(common)
                         .with(openai == null ? Map.of() : Map.of("gpt.base.url", openai.baseUrl(),
                                 "gpt.api.key", "sk-demo-simulator"))
                         .with(Map.of("gpt.transactional.id", "demo-gpt-worker",
                                 "gpt.metrics.host", "127.0.0.1",
                                 "gpt.metrics.port", "0"))));
                 Tier0WorkerApp tier0Worker = tier0.map(t -> Tier0WorkerApp.start(Tier0WorkerConfig.from(
                         Settings.of(common).with(Map.of(
                                 "tier0.models", t.modelFile().toString(),
                                 "tier0.transactional.id", "demo-tier0-worker",
                                 "tier0.metrics.host", "127.0.0.1",
                                 "tier0.metrics.port", "0"))))).orElse(null)) {
                progress.log("Router, " + (tier0Worker == null ? "" : "tier-0 worker, ")
                        + "SLM worker and GPT worker running; router metrics at http://127.0.0.1:"
                        + router.metricsPort() + "/metrics");
                final RoutingPolicy policy = routerConfig.policyFile().map(PolicyLoader::load)
                        .orElseGet(PolicyLoader::loadDefault);
                // The demo sets no per-task or per-tenant threshold, so one figure holds for every request.
                final double threshold = slmConfig.thresholds().thresholdFor(TaskType.CLASSIFICATION, "demo");
                final DemoReport report = new DemoReport(policy.defaults(), threshold);
                final long started = System.nanoTime();
                final int produced = produce(stack, topics, registry, options,
                        new SampleTraffic(options.seed(), classification), progress);
                final Duration producing = Duration.ofNanos(System.nanoTime() - started);
                follow(stack, topics, registry, produced, report, progress);
                final RunInfo run = new RunInfo(produced, producing, slmSource, vllm != null, gptSource, openai != null,
                        traffic);
                report.print(System.out, run);
                final Path html = HtmlReport.write(report, run, options.reportDir());
                System.out.println();
                progress.log("HTML report: " + html.toAbsolutePath());
                final boolean complete = report.finished() == produced && report.duplicates() == 0;
                if (!complete) {
                    System.out.printf("%nINCOMPLETE: %d of %d requests finished, %d duplicates%n", report.finished(),
                            produced, report.duplicates());
                }
                if (options.keepRunning()) {
                    keepRunning(stack, progress); // returns while the JVM shuts down: no System.exit then
                } else if (!complete) {
                    System.exit(1);
                }
            }
        }
    }

    /**
     * Registers every topic's value schema, one at a time, before any service starts. Otherwise the
     * router and both workers register theirs concurrently on their first records, and the local
     * registry (Apicurio on H2) can answer such a burst with a lock timeout on a busy machine.
     */
    private static void registerSchemas(final Topics topics, final SchemaRegistryClient registry) {
        for (Topic<?> topic : List.of(topics.requests(), topics.slmRequests(), topics.gptRequests(), topics.tier0Requests(),
                topics.escalations(), topics.results(), topics.deadLetters(), topics.volume(), topics.shadowRequests(),
                topics.shadowComparisons())) {
            topic.valueSerde(registry).serializer().schemaId(topic.name());
        }
    }

    /** Trains tier 0 for the English classification traffic unless it is off or cannot match that traffic. */
    private static Optional<Tier0Demo.Setup> prepareTier0(final DemoOptions options,
                                                          final ClassificationTraffic classification,
                                                          final Progress progress) throws java.io.IOException {
        if (!options.tier0()) {
            progress.log("Tier 0: off (--tier0 off)");
            return Optional.empty();
        }
        final Path workDir = Files.createTempDirectory("slm-router-demo-tier0");
        final Tier0Demo.Decision plan = Tier0Demo.plan(classification, options.dataSets(), workDir);
        if (plan instanceof Tier0Demo.Off off) {
            progress.log("Tier 0: off, " + off.reason());
            return Optional.empty();
        }
        progress.log("Tier 0: training a classifier for the English classification traffic");
        final Tier0Demo.Setup setup = Tier0Demo.train((Tier0Demo.On) plan, EncoderSpec.parse(options.tier0Encoder()),
                workDir, EmbeddingCache.defaultDir(), progress.printer("Tier 0: "));
        progress.log("Tier 0: wrote " + setup.modelFile() + " and the policy " + setup.policyFile());
        return Optional.of(setup);
    }

    private static List<String> describeTraffic(final DemoOptions options, final ClassificationTraffic traffic) {
        final List<String> lines = new ArrayList<>();
        lines.add(options.requests() + " requests at " + options.rate() + "/s, seed " + options.seed());
        lines.add(String.format(java.util.Locale.ROOT, "shadow mode: %.0f%% of the SLM's answers also answered by GPT,"
                + " off the user path (--shadow-rate)", 100 * options.shadowRate()));
        if (options.dataSets().isEmpty()) {
            lines.add("built-in workload (no data sets given)");
            return lines;
        }
        lines.add("English classification: " + traffic.english().name() + " (" + traffic.english().texts().size()
                + " texts, " + traffic.english().labels().size() + " labels"
                + (options.labelsPerRequest() > 0 ? ", " + options.labelsPerRequest() + " offered per request" : "")
                + ")" + options.dataSets().banking77().map(p -> " from " + p).orElse(""));
        traffic.outOfScope().ifPresent(oos -> lines.add("Out of scope: " + oos.name() + " (" + oos.texts().size()
                + " texts, expected label " + ClassificationTraffic.OUT_OF_SCOPE + ")"
                + options.dataSets().clinc150().map(p -> " from " + p).orElse("")));
        lines.add("Non-English classification: " + traffic.nonEnglish().name() + " (" + traffic.nonEnglish().texts()
                .size() + " texts, " + traffic.nonEnglish().labels().size() + " labels)"
                + options.dataSets().xsid().map(p -> " from " + p).orElse(""));
        lines.add("Extraction, summarization, templated, reasoning, creative, agent and malformed events: built in");
        return lines;
    }

    /**
     * Leaves the stack up for the produce and results commands until Ctrl-C (or SIGTERM), then returns so
     * the caller closes the services and the stack in order; the shutdown hook waits for that.
     */
    private static void keepRunning(final LocalStack stack, final Progress progress) {
        progress.log("Still running (--keep-running); press Ctrl-C to stop. Try, from another terminal:");
        final String target = " --bootstrap " + stack.bootstrapServers() + " --registry " + stack.schemaRegistryUrl();
        progress.log("  bin/slm-router produce --file demo/src/main/resources/examples/requests.jsonl" + target);
        progress.log("  bin/slm-router results --from-beginning --max 20" + target);
        final Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            try {
                main.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-stop"));
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            progress.log("Stopping");
        }
    }

    private static int produce(final LocalStack stack, final Topics topics, final SchemaRegistryClient registry,
                               final DemoOptions options, final SampleTraffic traffic, final Progress progress)
            throws InterruptedException {
        final ConfluentAvroSerde<InferenceRequest> serde = topics.requests().valueSerde(registry);
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        final long nanosPerRequest = 1_000_000_000L / options.rate();
        final long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < options.requests(); i++) {
                final SampleTraffic.Event event = traffic.next();
                final byte[] value = event instanceof SampleTraffic.Request r
                        ? serde.serializer().serialize(topics.requests().name(), r.request())
                        : ((SampleTraffic.Malformed) event).bytes();
                producer.send(new ProducerRecord<>(topics.requests().name(),
                        event.key().getBytes(StandardCharsets.UTF_8), value));
                final long due = start + (i + 1) * nanosPerRequest;
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                progress.produced(i + 1, options.requests());
            }
        }
        progress.endLine();
        return options.requests();
    }

    private static void follow(final LocalStack stack, final Topics topics, final SchemaRegistryClient registry,
                               final int expected, final DemoReport report, final Progress progress) {
        final Deserializer<RoutedRequest> routed = topics.slmRequests().valueSerde(registry).deserializer();
        final Deserializer<Escalation> escalations = topics.escalations().valueSerde(registry).deserializer();
        final Deserializer<InferenceResult> results = topics.results().valueSerde(registry).deserializer();
        final Deserializer<DeadLetter> deadLetters = topics.deadLetters().valueSerde(registry).deserializer();
        final Deserializer<ShadowComparison> comparisons = topics.shadowComparisons().valueSerde(registry).deserializer();
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-report");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.slmRequests().name(), topics.gptRequests().name(),
                    topics.tier0Requests().name(), topics.escalations().name(), topics.results().name(),
                    topics.deadLetters().name(), topics.shadowRequests().name(), topics.shadowComparisons().name()));
            final Set<String> routedTopics = Set.of(topics.slmRequests().name(), topics.gptRequests().name(),
                    topics.tier0Requests().name());
            progress.finished(0, expected);
            boolean drained = false;
            // After the last outcome, read on until a poll comes back empty and every shadowed request has
            // its comparison: routing decisions, escalations and shadow work of the last requests may sit in
            // partitions the consumer has not caught up on, and shadow comparisons come after the results.
            while ((report.finished() < expected || !drained) && System.nanoTime() < deadline) {
                final var records = consumer.poll(Duration.ofMillis(500));
                drained = report.finished() >= expected && records.isEmpty() && report.pendingComparisons() == 0;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    final String topic = record.topic();
                    if (routedTopics.contains(topic)) {
                        report.routed(routed.deserialize(topic, record.value()));
                    } else if (topic.equals(topics.escalations().name())) {
                        report.escalated(escalations.deserialize(topic, record.value()));
                    } else if (topic.equals(topics.results().name())) {
                        report.result(results.deserialize(topic, record.value()));
                    } else if (topic.equals(topics.shadowRequests().name())) {
                        report.shadowRequested();
                    } else if (topic.equals(topics.shadowComparisons().name())) {
                        report.compared(comparisons.deserialize(topic, record.value()));
                    } else {
                        report.deadLetter(deadLetters.deserialize(topic, record.value()));
                    }
                }
                progress.finished(report.finished(), expected);
            }
        }
        progress.endLine();
    }
}
