package dev.slmrouter.localstack.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Small Kafka client helpers for tests of every module: producers (plain and transactional),
 * {@code read_committed} consumers, and {@link #drain} which reads a topic from the beginning and returns
 * exactly the committed records present when it stops, so tests can assert exact counts. The configs are
 * public so a test can adjust one setting and build its own client.
 */
public final class KafkaTestClients {

    private KafkaTestClients() {
    }

    /** A name unlikely to clash on a broker shared by many test classes, e.g. {@code requests-3f9c2a1b}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    }

    /** Producer settings: acks=all with idempotence, and a short max.block.ms so a broken broker fails fast. */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return config;
    }

    /** Consumer settings: read_committed, from the earliest offset, no auto-commit; {@code groupId} may be null. */
    public static Map<String, Object> consumerConfig(String bootstrapServers, String groupId) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return config;
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return producer(bootstrapServers, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static <K, V> KafkaProducer<K, V> producer(String bootstrapServers,
                                                      Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return new KafkaProducer<>(producerConfig(bootstrapServers), keySerializer, valueSerializer);
    }

    /** A transactional producer on which {@code initTransactions()} has already been called. */
    public static <K, V> KafkaProducer<K, V> transactionalProducer(String bootstrapServers, String transactionalId,
                                                                   Serializer<K> keySerializer,
                                                                   Serializer<V> valueSerializer) {
        final Map<String, Object> config = producerConfig(bootstrapServers);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        final KafkaProducer<K, V> producer = new KafkaProducer<>(config, keySerializer, valueSerializer);
        try {
            producer.initTransactions();
            return producer;
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    /** A read_committed consumer; with a null {@code groupId} it can only {@code assign}, not subscribe. */
    public static <K, V> KafkaConsumer<K, V> consumer(String bootstrapServers, String groupId,
                                                      Deserializer<K> keyDeserializer,
                                                      Deserializer<V> valueDeserializer) {
        return new KafkaConsumer<>(consumerConfig(bootstrapServers, groupId), keyDeserializer, valueDeserializer);
    }

    public static List<ConsumerRecord<byte[], byte[]>> drain(String bootstrapServers, String topic,
                                                             int expected, Duration timeout) {
        return drain(bootstrapServers, topic, expected, timeout, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads {@code topic} from the beginning with a read_committed consumer (no group, no committed
     * offsets) until at least {@code expected} records were read and every partition is read up to its
     * last stable offset, or until {@code timeout} passes. Reading to the end, not just to
     * {@code expected}, is what makes {@code hasSize(n)} catch duplicates. Returns what was read (fewer
     * than {@code expected} on timeout), in partition-then-offset order per poll.
     */
    public static <K, V> List<ConsumerRecord<K, V>> drain(String bootstrapServers, String topic, int expected,
                                                          Duration timeout, Deserializer<K> keyDeserializer,
                                                          Deserializer<V> valueDeserializer) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = consumer(bootstrapServers, null, keyDeserializer, valueDeserializer)) {
            final List<TopicPartition> partitions = awaitPartitions(consumer, topic, deadline);
            if (partitions.isEmpty()) {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                if (records.size() >= expected && atEnd(consumer, partitions)) {
                    break;
                }
            }
        }
        return records;
    }

    private static List<TopicPartition> awaitPartitions(KafkaConsumer<?, ?> consumer, String topic, long deadline) {
        // A topic created a moment ago may not be in the metadata yet; the caller's timeout covers the wait.
        while (true) {
            List<TopicPartition> partitions;
            try {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(1)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .collect(Collectors.toList());
            } catch (TimeoutException e) {
                partitions = List.of();
            }
            if (!partitions.isEmpty() || System.nanoTime() >= deadline) {
                return partitions;
            }
            sleep(100);
        }
    }

    private static boolean atEnd(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        // For a read_committed consumer the end offsets are the last stable offsets, so transaction
        // markers and aborted batches count as read once the position passes them.
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
        return partitions.stream().allMatch(tp -> consumer.position(tp, Duration.ofSeconds(5)) >= ends.get(tp));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
