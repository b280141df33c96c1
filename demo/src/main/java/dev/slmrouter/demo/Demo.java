package dev.slmrouter.demo;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.DeadLetter;
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
 * The main job on an embedded default: starts a local Kafka broker and schema registry, creates the
 * topics, starts the router, produces the built-in sample workload at a steady rate, follows the
 * routed and dead-lettered outcomes with a read_committed consumer until every request is accounted
 * for, prints a report, and stops everything it started (also on Ctrl-C).
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
        try (LocalStack stack = LocalStack.start(topics, 3)) {
            log("Kafka at " + stack.bootstrapServers() + ", schema registry at " + stack.schemaRegistryUrl());
            final Path stateDir = Files.createTempDirectory("slm-router-demo-state");
            final RouterConfig config = RouterConfig.from(Settings.of(Map.of(
                    "kafka.bootstrap.servers", stack.bootstrapServers(),
                    RouterConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                    RouterConfig.STATE_DIR, stateDir.toString(),
                    RouterConfig.LANGUAGE_ACCURACY, options.languageAccuracy,
                    RouterConfig.METRICS_HOST, "127.0.0.1",
                    RouterConfig.METRICS_PORT, "0")));
            log("Starting the router (training the task classifier, loading language models)");
            try (RouterApp router = RouterApp.start(config)) {
                log("Router metrics at http://127.0.0.1:" + router.metricsPort() + "/metrics");
                final SchemaRegistryClient registry = new RestSchemaRegistryClient(stack.schemaRegistryUrl());
                final int produced = produce(stack, topics, registry, options);
                final RoutingReport report = follow(stack, topics, registry, produced);
                report.print(System.out, produced);
                if (report.total() != produced) {
                    System.out.printf("%nINCOMPLETE: %d of %d requests accounted for%n", report.total(), produced);
                    System.exit(1);
                }
                System.out.println("\nNote: the SLM and GPT workers are not part of this build yet, so requests stop at"
                        + " the routed topics; nothing was sent to a model.");
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

    private static RoutingReport follow(final LocalStack stack, final Topics topics, final SchemaRegistryClient registry,
                                        final int expected) {
        final ConfluentAvroSerde<RoutedRequest> routedSerde = topics.slmRequests().valueSerde(registry);
        final ConfluentAvroSerde<DeadLetter> deadSerde = topics.deadLetters().valueSerde(registry);
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-report");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final RoutingReport report = new RoutingReport();
        final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long lastLog = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.slmRequests().name(), topics.gptRequests().name(),
                    topics.deadLetters().name()));
            final Set<String> routedTopics = Set.of(topics.slmRequests().name(), topics.gptRequests().name());
            while (report.total() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (routedTopics.contains(record.topic())) {
                        report.add(routedSerde.deserializer().deserialize(record.topic(), record.value()));
                    } else {
                        report.add(deadSerde.deserializer().deserialize(record.topic(), record.value()));
                    }
                }
                if (System.nanoTime() - lastLog > 2_000_000_000L) {
                    lastLog = System.nanoTime();
                    log("Accounted for " + report.total() + "/" + expected + " requests");
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
