package dev.slmrouter.insights;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.gpt.GptWorkerApp;
import dev.slmrouter.gpt.GptWorkerConfig;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.simulators.openai.OpenAiSimulator;
import dev.slmrouter.simulators.vllm.VllmSimulator;
import dev.slmrouter.slm.SlmWorkerApp;
import dev.slmrouter.slm.SlmWorkerConfig;
import dev.slmrouter.topics.Topic;
import dev.slmrouter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Topics of their own on the test JVM's broker, the real registry, the two simulators and both workers
 * started from settings: what the shadow-mode tests share.
 */
final class ShadowStack implements AutoCloseable {

    final KafkaBroker broker;
    final Topics topics;
    final SchemaRegistryClient registryClient;
    private final LocalSchemaRegistry registry;
    private final List<AutoCloseable> running = new ArrayList<>();

    ShadowStack(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
        final String prefix = KafkaTestClients.uniqueName("shadow");
        this.topics = Topics.from((key, name) -> prefix + "." + name);
        final Map<String, Integer> partitions = new HashMap<>();
        topics.allNames().forEach(name -> partitions.put(name, 2));
        broker.createTopics(partitions);
        this.registryClient = new RestSchemaRegistryClient(registry.confluentApiUrl());
    }

    /** Every topic name setting, so the workers use this stack's topics. */
    private Map<String, String> common() {
        final Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", broker.bootstrapServers());
        s.put("kafka.transaction.timeout.ms", "10000");
        s.put("schema.registry.url", registry.confluentApiUrl());
        final Topics defaults = Topics.defaults();
        final List<String> ours = topics.allNames();
        final List<String> names = defaults.allNames();
        Topics.from((key, name) -> {
            s.put(key, ours.get(names.indexOf(name)));
            return name;
        });
        return s;
    }

    SlmWorkerApp startSlm(final VllmSimulator vllm, final Map<String, String> extra) {
        final Map<String, String> s = common();
        s.put("slm.base.url", vllm.baseUrl());
        s.put("slm.group.id", topics.slmRequests().name() + "-group");
        s.put("slm.transactional.id", KafkaTestClients.uniqueName("slm-tx"));
        s.put("slm.metrics.port", "0");
        s.put("slm.metrics.host", "127.0.0.1");
        s.putAll(extra);
        final SlmWorkerApp app = SlmWorkerApp.start(SlmWorkerConfig.from(Settings.of(s)));
        running.add(app);
        return app;
    }

    GptWorkerApp startGpt(final OpenAiSimulator openai, final Map<String, String> extra) {
        final Map<String, String> s = common();
        s.put("gpt.base.url", openai.baseUrl());
        s.put("gpt.api.key", "sk-test-not-a-real-key");
        s.put("gpt.group.id", topics.gptRequests().name() + "-group");
        s.put("gpt.transactional.id", KafkaTestClients.uniqueName("gpt-tx"));
        s.put("gpt.metrics.port", "0");
        s.put("gpt.metrics.host", "127.0.0.1");
        s.put("gpt.shutdown.grace", "2s");
        s.putAll(extra);
        final GptWorkerApp app = GptWorkerApp.start(GptWorkerConfig.from(Settings.of(s)));
        running.add(app);
        return app;
    }

    /** Simulates a crash: the worker stops without committing anything more. */
    void kill(final GptWorkerApp app) {
        app.kill();
        running.remove(app);
    }

    void closeLater(final AutoCloseable closeable) {
        running.add(closeable);
    }

    static InferenceRequest.Builder request(final String id, final String tenant, final TaskType type,
                                            final String prompt) {
        return InferenceRequest.newBuilder().setRequestId(id).setTenant(tenant).setTaskType(type).setLanguage("en")
                .setMessages(List.of(new ChatMessage("user", prompt))).setCreatedAt(Instant.now());
    }

    static RoutedRequest routed(final InferenceRequest request) {
        return new RoutedRequest(request, RoutingDecision.newBuilder().setTier(Tier.SLM)
                .setTaskType(request.getTaskType()).setTaskTypeSource(DecisionSource.HINT).setTaskTypeConfidence(1.0)
                .setLanguage("en").setLanguageSource(DecisionSource.HINT).setLanguageConfidence(1.0)
                .setTokenEstimate(50).setDailyVolume(0).setVolumeBand(0).setMatrixScore(2)
                .setRule(RoutingRule.MATRIX_SLM_PREFERRED).setExplanation("test").setPolicyVersion("test-1")
                .setDecidedAt(Instant.now()).build());
    }

    /** Routes the requests to the SLM requests topic, keyed by request id. */
    void produceToSlm(final List<InferenceRequest> requests) {
        final var serializer = topics.slmRequests().valueSerde(registryClient).serializer();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (final InferenceRequest r : requests) {
                producer.send(new ProducerRecord<>(topics.slmRequests().name(),
                        r.getRequestId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topics.slmRequests().name(), routed(r))));
            }
        }
    }

    /** Writes the values to a topic (plain producer: a test fixture, not a worker). */
    <T extends SpecificRecord> void produce(final Topic<T> topic, final List<T> values,
                                            final java.util.function.Function<T, String> key) {
        final var serializer = topic.valueSerde(registryClient).serializer();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (final T value : values) {
                producer.send(new ProducerRecord<>(topic.name(), key.apply(value).getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic.name(), value)));
            }
        }
    }

    /** The topic's committed values (read_committed), from the beginning. */
    <T extends SpecificRecord> List<T> read(final Topic<T> topic) {
        return KafkaTestClients.drain(broker.bootstrapServers(), topic.name(), 0, Duration.ofSeconds(2),
                new ByteArrayDeserializer(), topic.valueSerde(registryClient).deserializer())
                .stream().map(ConsumerRecord::value).toList();
    }

    /** Waits up to {@code timeout} for the condition. */
    static void await(final Duration timeout, final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(300);
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }
}
