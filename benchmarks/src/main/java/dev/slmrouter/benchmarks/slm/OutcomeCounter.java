package dev.slmrouter.benchmarks.slm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches the outcome topics (results, escalations, dead letters) with a {@code read_committed}
 * consumer, so it sees an outcome only once the worker's transaction that wrote it has committed. It is
 * created just before a worker run and starts at the topics' current last stable offsets, so it counts
 * only that run's outcomes. {@link #await} polls (bounded in time) until the expected number arrived and
 * returns when the first and the last were seen, how many the first poll held, the outcomes' own
 * producer timestamps (when the worker sent each one, before its commit), the distinct request ids
 * (keys) and how many were dead letters.
 */
final class OutcomeCounter implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(20);

    /** What one run's outcomes looked like. */
    record Counted(int count, int atFirst, long firstSeenNanos, long lastSeenNanos, long firstCreateMillis,
                   long lastCreateMillis, int distinctKeys, int deadLetters) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String deadLetterTopic;

    OutcomeCounter(final String bootstrapServers, final List<String> topics, final String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        final List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(10))); // resolve the start now
    }

    /** Polls until {@code expected} outcomes were seen or {@code timeout} passed; returns what was seen. */
    Counted await(final int expected, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Set<String> keys = new HashSet<>();
        int count = 0;
        int atFirst = 0;
        int deadLetters = 0;
        long firstSeen = 0;
        long lastSeen = 0;
        long firstCreate = Long.MAX_VALUE;
        long lastCreate = Long.MIN_VALUE;
        while (count < expected && System.nanoTime() < deadline) {
            final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            if (records.isEmpty()) {
                continue;
            }
            final long now = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                count++;
                keys.add(record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8));
                firstCreate = Math.min(firstCreate, record.timestamp());
                lastCreate = Math.max(lastCreate, record.timestamp());
                if (record.topic().equals(deadLetterTopic)) {
                    deadLetters++;
                }
            }
            if (firstSeen == 0) {
                firstSeen = now;
                atFirst = count;
            }
            lastSeen = now;
        }
        return new Counted(count, atFirst, firstSeen, lastSeen, firstCreate, lastCreate, keys.size(), deadLetters);
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
