package dev.slmrouter.localstack;

import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.topics.Topics;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole local Kafka environment in one object: an in-JVM broker, the schema registry process and
 * every topic of the system. The demo and the benchmarks start it; production uses a real cluster.
 */
public final class LocalStack implements AutoCloseable {

    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private final Topics topics;

    private LocalStack(final KafkaBroker broker, final LocalSchemaRegistry registry, final Topics topics) {
        this.broker = broker;
        this.registry = registry;
        this.topics = topics;
    }

    /** Starts broker and registry and creates every topic with {@code partitions} partitions. */
    public static LocalStack start(final Topics topics, final int partitions) {
        final KafkaBroker broker = KafkaBroker.start();
        try {
            createTopics(broker, topics, partitions);
            return new LocalStack(broker, LocalSchemaRegistry.start(), topics);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Creates every topic of the system on {@code broker}: {@code partitions} each, except the volume topic
     * (one partition); the volume topic and the results table are compacted (keep the latest per key).
     */
    public static void createTopics(final KafkaBroker broker, final Topics topics, final int partitions) {
        final Map<String, Integer> regular = new HashMap<>();
        topics.allNames().forEach(name -> regular.put(name, partitions));
        regular.remove(topics.volume().name());
        regular.remove(topics.results().name());
        broker.createTopics(regular);
        broker.createCompactedTopics(Map.of(topics.volume().name(), 1, topics.results().name(), partitions));
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.confluentApiUrl();
    }

    public Topics topics() {
        return topics;
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
        }
    }
}
