package dev.slmrouter.router.dedupe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * Reads again the input records a restarted task processed and committed after its dedupe log's last
 * chunk ({@link RoutedIds#unloggedFrom()}), so their request ids can be added: at most a second or one
 * partial chunk of input. It uses the application's own client settings (Kafka Streams' restore-consumer
 * configuration, read_committed), so TLS and SASL settings apply as they do to the router.
 */
public final class UnloggedTail {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private UnloggedTail() {
    }

    /** Hands {@code each} the records of {@code partition} from offset {@code from} up to, not including, {@code to}. */
    public static int read(final Map<String, Object> appConfigs, final TopicPartition partition, final long from,
                           final long to, final Consumer<ConsumerRecord<byte[], byte[]>> each) {
        final Map<String, Object> config = new QuietStreamsConfig(appConfigs)
                .getRestoreConsumerConfigs("dedupe-tail-" + partition);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, from);
            while (consumer.position(partition) < to) {
                if (System.nanoTime() > deadline) {
                    throw new StreamsException("Could not read " + partition + " offsets " + from + " to " + to
                            + " within " + TIMEOUT + " to restore the request ids routed before the restart (at "
                            + consumer.position(partition) + ")");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < to) {
                        each.accept(record);
                        read++;
                    }
                }
            }
        }
        return read;
    }

    /** The application's config without logging it again: the router logged it at start, once is enough. */
    private static final class QuietStreamsConfig extends StreamsConfig {
        QuietStreamsConfig(final Map<String, Object> props) {
            super(props, false);
        }
    }
}
