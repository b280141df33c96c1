package dev.slmrouter.demo.tools;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.demo.UserPaths;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.serde.ConfluentAvroSerializer;
import dev.slmrouter.serde.SerdeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bin/slm-router produce --file requests.jsonl}: writes one {@link InferenceRequest} per line of a
 * JSON Lines file to the requests topic, in the Confluent wire format through the schema registry, keyed
 * by request id (see {@link RequestJson} for the fields and defaults). Lines that are not requests are
 * reported with their number and reason and skipped; blank lines are ignored. Prints how many requests
 * were produced and how many lines were rejected; exits 1 when any line was rejected or not delivered,
 * 2 when it cannot start (no file, no cluster, no registry).
 */
public final class ProduceTool {

    static final String USAGE = "usage: bin/slm-router produce --file requests.jsonl [--bootstrap HOST:PORT]"
            + " [--registry URL]";

    /** A line that did not become a record on the topic. */
    public record Rejected(int line, String reason) {
    }

    /** What a run did: requests delivered, lines rejected (in line order), the topic written. */
    public record Summary(int produced, List<Rejected> rejected, String topic) {
    }

    private ProduceTool() {
    }

    public static void main(final String[] args) {
        Path file = null;
        String bootstrap = null;
        String registry = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--file" -> file = UserPaths.resolve(value(args, ++i));
                    case "--bootstrap" -> bootstrap = value(args, ++i);
                    case "--registry" -> registry = value(args, ++i);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]);
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("--file is required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("[produce] " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        final Summary summary;
        try {
            summary = produce(file, ClusterSettings.of(Settings.fromEnvironment(), bootstrap, registry),
                    new RequestJson(), System.err);
        } catch (ConfigException | IOException | SerdeException e) {
            System.err.println("[produce] " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf("Produced %d requests from %s to %s; rejected %d lines.%n", summary.produced(), file,
                summary.topic(), summary.rejected().size());
        System.exit(summary.rejected().isEmpty() ? 0 : 1);
    }

    /**
     * Produces every valid line of {@code file} and waits until each is acknowledged. Rejections are
     * written to {@code err} as {@code line N: reason} as they are found. A missing topic or unreachable
     * cluster (a {@link ConfigException}) or a schema registry that cannot register the request schema (a
     * {@link SerdeException}) stops the run before anything is sent.
     */
    static Summary produce(final Path file, final ClusterSettings cluster, final RequestJson parser,
                           final PrintStream err) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("No such file: " + file);
        }
        final String topic = cluster.topics().requests().name();
        cluster.requireTopic(topic);
        final ConfluentAvroSerializer<InferenceRequest> serializer =
                cluster.topics().requests().valueSerde(cluster.registry()).serializer();
        serializer.schemaId(topic); // registry trouble shows here, before any line is read
        final Map<String, Object> config = cluster.kafkaClientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        final List<Rejected> rejected = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger delivered = new AtomicInteger();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                final InferenceRequest request;
                try {
                    request = parser.parse(line);
                } catch (RequestJson.InvalidLine e) {
                    reject(rejected, err, number, e.getMessage());
                    continue;
                }
                final int lineNumber = number;
                producer.send(new ProducerRecord<>(topic, request.getRequestId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic, request)), (metadata, error) -> {
                            if (error == null) {
                                delivered.incrementAndGet();
                            } else {
                                reject(rejected, err, lineNumber, "not delivered: " + error.getMessage());
                            }
                        });
            }
            producer.flush();
        }
        final List<Rejected> ordered = new ArrayList<>(rejected);
        ordered.sort(Comparator.comparingInt(Rejected::line));
        return new Summary(delivered.get(), List.copyOf(ordered), topic);
    }

    private static void reject(final List<Rejected> rejected, final PrintStream err, final int line,
                               final String reason) {
        rejected.add(new Rejected(line, reason));
        err.println("line " + line + ": " + reason);
    }

    private static String value(final String[] args, final int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
