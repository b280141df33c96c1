package dev.slmrouter.insights.read;

import dev.slmrouter.common.kafka.TimeSeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a topic retains between two instants, committed records only: every partition, no consumer
 * group (a report must not move anyone's offsets), from the first offset at or after {@code from} (by
 * record timestamp) to the end offsets as they were when reading started. Records stamped after
 * {@code to} are skipped; undecodable ones are counted and skipped, not fatal: a report reads what it can.
 */
public final class TopicRange {

    private static final Logger LOG = LoggerFactory.getLogger(TopicRange.class);

    private final Map<String, String> kafka;

    /** {@code kafka}: client settings (bootstrap.servers, TLS, SASL). */
    public TopicRange(final Map<String, String> kafka) {
        this.kafka = kafka;
    }

    /** Hands each value of {@code topic} stamped in [from, to) to {@code sink}; returns how many were undecodable. */
    public <T> long read(final String topic, final Deserializer<T> decoder, final Instant from, final Instant to,
                         final Consumer<T> sink) {
        final Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove("transactional.id");
        long undecodable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            final List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            final Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            TimeSeek.seek(consumer, partitions, from).forEach(ends::remove); // nothing at or after `from`
            while (!ends.isEmpty()) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    final TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    final Long end = ends.get(tp);
                    if (end == null || record.offset() >= end || record.timestamp() >= to.toEpochMilli()) {
                        continue;
                    }
                    final T value;
                    try {
                        value = decoder.deserialize(record.topic(), record.headers(), record.value());
                    } catch (RuntimeException e) {
                        undecodable++;
                        continue;
                    }
                    if (value != null) {
                        sink.accept(value);
                    }
                }
                // Done with a partition once its position reaches the end it had when reading started.
                ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        if (undecodable > 0) {
            LOG.warn("{}: skipped {} undecodable records", topic, undecodable);
        }
        return undecodable;
    }
}
