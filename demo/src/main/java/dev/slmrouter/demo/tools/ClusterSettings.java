package dev.slmrouter.demo.tools;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.common.kafka.TopicCheck;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the command-line tools connect: the same settings as the services ({@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code SCHEMA_REGISTRY_URL}, any {@code KAFKA_*} client setting such as TLS/SASL, topic names from
 * {@code TOPIC_*}), with {@code --bootstrap} and {@code --registry} taking precedence.
 */
final class ClusterSettings {

    static final String BOOTSTRAP = "kafka.bootstrap.servers";
    static final String REGISTRY = "schema.registry.url";

    private final Settings settings;

    ClusterSettings(final Settings settings) {
        this.settings = settings;
    }

    /** The environment's settings with the command line's {@code --bootstrap} / {@code --registry}, when given. */
    static ClusterSettings of(final Settings environment, final String bootstrap, final String registry) {
        final Map<String, String> overrides = new HashMap<>();
        if (bootstrap != null) {
            overrides.put(BOOTSTRAP, bootstrap);
        }
        if (registry != null) {
            overrides.put(REGISTRY, registry);
        }
        return new ClusterSettings(environment.with(overrides));
    }

    String bootstrapServers() {
        return settings.find(BOOTSTRAP).orElseThrow(() -> new ConfigException(
                "No Kafka cluster: give --bootstrap HOST:PORT or set " + Settings.describe(BOOTSTRAP)));
    }

    SchemaRegistryClient registry() {
        final String url = settings.find(REGISTRY).orElseThrow(() -> new ConfigException(
                "No schema registry: give --registry URL or set " + Settings.describe(REGISTRY)));
        return new RestSchemaRegistryClient(url);
    }

    Topics topics() {
        return Topics.from(settings::string);
    }

    /** Every {@code kafka.*} setting without the prefix: bootstrap servers, TLS, SASL, timeouts. */
    Map<String, Object> kafkaClientConfig() {
        return new HashMap<>(kafkaSettings());
    }

    /** Stops with a {@link ConfigException} naming the topic when it does not exist (or Kafka is unreachable). */
    void requireTopic(final String topic) {
        TopicCheck.requireTopics(kafkaSettings(), List.of(topic));
    }

    private Map<String, String> kafkaSettings() {
        bootstrapServers();
        return settings.withPrefix("kafka.");
    }
}
