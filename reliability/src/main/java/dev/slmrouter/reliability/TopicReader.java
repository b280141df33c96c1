package dev.slmrouter.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic, every partition from the beginning to the end offsets taken at the start (with
 * read_committed those are the last stable offsets: everything decided so far), without a group.
 */
final class TopicReader {

    private TopicReader() {
    }

    /**
     * Hands every record to {@code visitor} until it returns false (then returns false) or the end is
     * reached (returns true). {@code committedOnly} picks read_committed over read_uncommitted.
     */
    static boolean read(final String bootstrap, final String topic, final boolean committedOnly,
                        final Predicate<ConsumerRecord<byte[], byte[]>> visitor) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, committedOnly)) {
            final List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                boolean done = true;
                for (final TopicPartition tp : partitions) {
                    done &= consumer.position(tp, Duration.ofSeconds(10)) >= ends.get(tp);
                }
                if (done) {
                    return true;
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!visitor.test(record)) {
                        return false;
                    }
                }
            }
            throw new IllegalStateException("could not read " + topic + " to its end within 2 minutes");
        }
    }

    /** Every committed record of {@code topic}. */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(final String bootstrap, final String topic) {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        read(bootstrap, topic, true, records::add);
        return records;
    }

    /** How many records (and transaction markers) the topic's partitions hold, from their end offsets. */
    static long size(final String bootstrap, final String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, true)) {
            final List<TopicPartition> partitions = partitions(consumer, topic);
            final Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
            long sum = 0;
            for (final Map.Entry<TopicPartition, Long> end : consumer.endOffsets(partitions, Duration.ofSeconds(10)).entrySet()) {
                sum += end.getValue() - begin.get(end.getKey());
            }
            return sum;
        }
    }

    private static List<TopicPartition> partitions(final KafkaConsumer<?, ?> consumer, final String topic) {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final String bootstrap, final boolean committedOnly) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
