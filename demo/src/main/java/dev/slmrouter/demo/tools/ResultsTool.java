package dev.slmrouter.demo.tools;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.serde.ConfluentAvroDeserializer;
import dev.slmrouter.serde.SerdeException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code bin/slm-router results}: prints the results topic as JSON Lines, one {@link InferenceResult}
 * per line (see {@link AvroJson}), reading with {@code isolation.level=read_committed} so only
 * committed answers appear, each exactly once. It reads every partition without a consumer group (it
 * commits nothing and disturbs no one), from the end by default, from the beginning with
 * {@code --from-beginning}, until {@code --max N} results were printed, {@code --timeout SECONDS} passed
 * without a new one, or Ctrl-C. Diagnostics go to stderr, so stdout can be piped into {@code jq}.
 */
public final class ResultsTool {

    static final String USAGE = "usage: bin/slm-router results [--from-beginning] [--max N] [--timeout SECONDS]"
            + " [--bootstrap HOST:PORT] [--registry URL]";

    /** What to read: where to start, and when to stop (either may be empty: never). */
    record Options(boolean fromBeginning, Optional<Integer> max, Optional<Duration> idleTimeout) {
    }

    private ResultsTool() {
    }

    public static void main(final String[] args) {
        boolean fromBeginning = false;
        Optional<Integer> max = Optional.empty();
        Optional<Duration> timeout = Optional.empty();
        String bootstrap = null;
        String registry = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--from-beginning" -> fromBeginning = true;
                    case "--max" -> max = Optional.of(positive(args, ++i));
                    case "--timeout" -> timeout = Optional.of(Duration.ofSeconds(positive(args, ++i)));
                    case "--bootstrap" -> bootstrap = value(args, ++i);
                    case "--registry" -> registry = value(args, ++i);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("[results] " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        final Thread main = Thread.currentThread();
        final ConsumerHolder holder = new ConsumerHolder();
        // Ctrl-C wakes the consumer; the loop ends and closes it before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            holder.wakeup();
            try {
                main.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            final int printed = print(ClusterSettings.of(Settings.fromEnvironment(), bootstrap, registry),
                    new Options(fromBeginning, max, timeout), System.out, System.err, holder);
            System.err.println("[results] " + printed + " results");
        } catch (ConfigException | IOException | SerdeException e) {
            System.err.println("[results] " + e.getMessage());
            System.exit(2);
        }
    }

    /** Lets the shutdown hook reach the consumer the loop is using. */
    static final class ConsumerHolder {
        private volatile KafkaConsumer<?, ?> consumer;
        private volatile boolean stopped;

        void set(final KafkaConsumer<?, ?> value) {
            consumer = value;
            if (stopped) {
                value.wakeup();
            }
        }

        void clear() {
            consumer = null;
        }

        void wakeup() {
            stopped = true;
            final KafkaConsumer<?, ?> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        }
    }

    /** Prints results as JSON lines to {@code out} until a stop condition holds; returns how many. */
    static int print(final ClusterSettings cluster, final Options options, final PrintStream out,
                     final PrintStream err, final ConsumerHolder holder) throws IOException {
        return print(cluster, options, out, err, holder, () -> { });
    }

    /** As above; {@code positioned} runs once the start offsets are fixed (tests produce after it). */
    static int print(final ClusterSettings cluster, final Options options, final PrintStream out,
                     final PrintStream err, final ConsumerHolder holder, final Runnable positioned) throws IOException {
        final String topic = cluster.topics().results().name();
        cluster.requireTopic(topic);
        final ConfluentAvroDeserializer<InferenceResult> deserializer =
                cluster.topics().results().valueSerde(cluster.registry()).deserializer();
        final Map<String, Object> config = cluster.kafkaClientConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        int printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            holder.set(consumer);
            final List<TopicPartition> partitions = partitions(consumer, topic, cluster);
            consumer.assign(partitions);
            if (options.fromBeginning()) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // fix the start now, not at the first poll
            }
            positioned.run();
            long lastRecord = System.nanoTime();
            while (true) {
                if (options.max().isPresent() && printed >= options.max().get()) {
                    break;
                }
                if (options.idleTimeout().isPresent()
                        && System.nanoTime() - lastRecord >= options.idleTimeout().get().toNanos()) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    lastRecord = System.nanoTime();
                    if (record.value() == null) {
                        continue; // a tombstone of the compacted table: nothing to show
                    }
                    try {
                        out.println(AvroJson.toJsonLine(deserializer.deserialize(topic, record.value())));
                        printed++;
                    } catch (SerdeException e) {
                        err.println("[results] " + topic + "-" + record.partition() + "@" + record.offset()
                                + " cannot be decoded: " + e.getMessage());
                    }
                    if (options.max().isPresent() && printed >= options.max().get()) {
                        break;
                    }
                }
                out.flush();
            }
        } catch (WakeupException e) {
            // Ctrl-C: stop quietly with what was printed
        } finally {
            holder.clear();
        }
        return printed;
    }

    private static List<TopicPartition> partitions(final KafkaConsumer<?, ?> consumer, final String topic,
                                                   final ClusterSettings cluster) throws IOException {
        try {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IOException("The topic " + topic + " does not exist at " + cluster.bootstrapServers());
            }
            return partitions;
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            throw new IOException("Cannot read " + topic + " at " + cluster.bootstrapServers() + ": "
                    + e.getMessage(), e);
        }
    }

    private static int positive(final String[] args, final int index) {
        final String text = value(args, index);
        try {
            final int n = Integer.parseInt(text);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[index - 1] + " must be a whole number of at least 1, not " + text);
        }
    }

    private static String value(final String[] args, final int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
