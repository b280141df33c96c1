package dev.slmrouter.demo;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.gpt.GptWorkerApp;
import dev.slmrouter.gpt.GptWorkerConfig;
import dev.slmrouter.simulators.common.ConfidenceDistribution;
import dev.slmrouter.simulators.openai.OpenAiSimulator;
import dev.slmrouter.simulators.vllm.VllmSimulator;
import dev.slmrouter.slm.SlmWorkerApp;
import dev.slmrouter.slm.SlmWorkerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.localstack.LocalStack;
import dev.slmrouter.router.RouterApp;
import dev.slmrouter.router.RouterConfig;
import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

/**
 * The main job on an embedded default: starts a local Kafka broker and schema registry, the vLLM and
 * OpenAI simulators, the router, an SLM worker and a GPT worker; produces the built-in sample workload
 * at a steady rate; follows every topic with a read_committed consumer until each request has its one
 * result or dead letter; prints a report; and stops everything it started (also on Ctrl-C).
 *
 * <p>Usage: {@code bin/slm-router demo [--requests N] [--rate PER_SECOND] [--seed S]}
 */
public final class Demo {

    private Demo() {
    }

    public static void main(final String[] args) throws Exception {
        final Options options = Options.parse(args);
        final Topics topics = Topics.defaults();
        log("Starting a local Kafka broker and schema registry");
        try (LocalStack stack = LocalStack.start(topics, 3);
             VllmSimulator vllm = VllmSimulator.builder().timeScale(0.05)
                     .confidence(ConfidenceDistribution.typical()).build().start();
             OpenAiSimulator openai = OpenAiSimulator.builder().timeScale(0.05).build().start()) {
            log("Kafka at " + stack.bootstrapServers() + ", schema registry at " + stack.schemaRegistryUrl());
            log("vLLM simulator at " + vllm.baseUrl() + ", OpenAI simulator at " + openai.baseUrl());
            final Path stateDir = Files.createTempDirectory("slm-router-demo-state");
            final Map<String, String> common = Map.of(
                    "kafka.bootstrap.servers", stack.bootstrapServers(),
                    "schema.registry.url", stack.schemaRegistryUrl());
            log("Starting the router (training the task classifier, loading language models)");
            try (RouterApp router = RouterApp.start(RouterConfig.from(Settings.of(common).with(Map.of(
                    RouterConfig.STATE_DIR, stateDir.toString(),
                    RouterConfig.LANGUAGE_ACCURACY, options.languageAccuracy,
                    RouterConfig.METRICS_HOST, "127.0.0.1",
                    RouterConfig.METRICS_PORT, "0"))));
                 SlmWorkerApp slm = SlmWorkerApp.start(SlmWorkerConfig.from(Settings.of(common).with(Map.of(
                    "slm.base.url", vllm.baseUrl(),
                    "slm.transactional.id", "demo-slm-worker",
                    "slm.metrics.host", "127.0.0.1",
                    "slm.metrics.port", "0"))));
                 GptWorkerApp gpt = GptWorkerApp.start(GptWorkerConfig.from(Settings.of(common).with(Map.of(
                    "gpt.base.url", openai.baseUrl(),
                    "gpt.api.key", "sk-demo-simulator",
                    "gpt.transactional.id", "demo-gpt-worker",
                    "gpt.metrics.host", "127.0.0.1",
                    "gpt.metrics.port", "0"))))) {
                log("Router, SLM worker and GPT worker running; router metrics at http://127.0.0.1:"
                        + router.metricsPort() + "/metrics");
                final SchemaRegistryClient registry = new RestSchemaRegistryClient(stack.schemaRegistryUrl());
                final int produced = produce(stack, topics, registry, options);
                final DemoReport report = follow(stack, topics, registry, produced);
                report.print(System.out, produced, "the vLLM simulator (simulated)", "the OpenAI simulator (simulated)");
                if (report.finished() != produced || report.duplicates() > 0) {
                    System.out.printf("%nINCOMPLETE: %d of %d requests finished, %d duplicates%n", report.finished(),
                            produced, report.duplicates());
                    System.exit(1);
                }
            }
        }
    }

    private static int produce(final LocalStack stack, final Topics topics, final SchemaRegistryClient registry,
                               final Options options) throws InterruptedException {
        final ConfluentAvroSerde<InferenceRequest> serde = topics.requests().valueSerde(registry);
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        final SampleTraffic traffic = new SampleTraffic(options.seed);
        final long nanosPerRequest = 1_000_000_000L / options.rate;
        final long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < options.requests; i++) {
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
                if ((i + 1) % Math.max(1, options.requests / 10) == 0) {
                    log("Produced " + (i + 1) + "/" + options.requests + " requests");
                }
            }
        }
        return options.requests;
    }

    private static DemoReport follow(final LocalStack stack, final Topics topics, final SchemaRegistryClient registry,
                                     final int expected) {
        final Deserializer<RoutedRequest> routed = topics.slmRequests().valueSerde(registry).deserializer();
        final Deserializer<Escalation> escalations = topics.escalations().valueSerde(registry).deserializer();
        final Deserializer<InferenceResult> results = topics.results().valueSerde(registry).deserializer();
        final Deserializer<DeadLetter> deadLetters = topics.deadLetters().valueSerde(registry).deserializer();
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-report");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final DemoReport report = new DemoReport();
        final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long lastLog = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.slmRequests().name(), topics.gptRequests().name(),
                    topics.escalations().name(), topics.results().name(), topics.deadLetters().name()));
            final Set<String> routedTopics = Set.of(topics.slmRequests().name(), topics.gptRequests().name());
            while (report.finished() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    final String topic = record.topic();
                    if (routedTopics.contains(topic)) {
                        report.routed(routed.deserialize(topic, record.value()));
                    } else if (topic.equals(topics.escalations().name())) {
                        report.escalated(escalations.deserialize(topic, record.value()));
                    } else if (topic.equals(topics.results().name())) {
                        report.result(results.deserialize(topic, record.value()));
                    } else {
                        report.deadLetter(deadLetters.deserialize(topic, record.value()));
                    }
                }
                if (System.nanoTime() - lastLog > 2_000_000_000L) {
                    lastLog = System.nanoTime();
                    log("Finished " + report.finished() + "/" + expected + " requests");
                }
            }
        }
        return report;
    }

    private static void log(final String line) {
        System.out.println("[demo] " + line);
    }

    /** Command-line options, each with a default that works on any machine. */
    private record Options(int requests, int rate, long seed, String languageAccuracy) {

        static Options parse(final String[] args) {
            int requests = 500;
            int rate = 200;
            long seed = 42;
            String accuracy = "low";
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "demo" -> { }
                    case "--requests" -> requests = Integer.parseInt(args[++i]);
                    case "--rate" -> rate = Integer.parseInt(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--language-accuracy" -> accuracy = args[++i];
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; usage: demo [--requests N] [--rate PER_SECOND] [--seed S] [--language-accuracy low|high]");
                }
            }
            return new Options(requests, Math.max(1, rate), seed, accuracy);
        }
    }
}
