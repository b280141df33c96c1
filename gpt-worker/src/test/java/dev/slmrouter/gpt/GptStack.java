package dev.slmrouter.gpt;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.Alert;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.simulators.openai.OpenAiSimulator;
import dev.slmrouter.topics.Topic;
import dev.slmrouter.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the GPT worker's integration tests share: topics of their own on the test JVM's broker, the real
 * registry, an OpenAI simulator, workers started from settings, producers of routed requests and
 * escalations, and read_committed readers of results and alerts.
 */
final class GptStack implements AutoCloseable {

    final KafkaBroker broker;
    final LocalSchemaRegistry registry;
    final Topics topics;
    final SchemaRegistryClient registryClient;
    final OpenAiSimulator openai;
    private final List<GptWorkerApp> workers = new ArrayList<>();

    GptStack(final KafkaBroker broker, final LocalSchemaRegistry registry, final OpenAiSimulator openai) {
        this.broker = broker;
        this.registry = registry;
        this.openai = openai;
        final String prefix = KafkaTestClients.uniqueName("gpt");
        this.topics = Topics.from((key, name) -> prefix + "." + name);
        final Map<String, Integer> partitions = new HashMap<>();
        topics.allNames().forEach(name -> partitions.put(name, 2));
        broker.createTopics(partitions);
        this.registryClient = new RestSchemaRegistryClient(registry.confluentApiUrl());
    }

    GptWorkerApp startWorker(final int maxInFlight) {
        return startWorker(KafkaTestClients.uniqueName("gpt-tx"), maxInFlight, Map.of());
    }

    GptWorkerApp startWorker(final String transactionalId, final int maxInFlight, final Map<String, String> extra) {
        final Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("kafka.transaction.timeout.ms", "10000");
        // A killed worker never leaves its group: a short session lets its partitions move quickly.
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("schema.registry.url", registry.confluentApiUrl());
        settings.put("gpt.base.url", openai.baseUrl());
        settings.put("gpt.api.key", "sk-test-not-a-real-key");
        settings.put("gpt.group.id", topics.gptRequests().name() + "-group");
        settings.put("gpt.transactional.id", transactionalId);
        settings.put("gpt.max.in.flight", Integer.toString(maxInFlight));
        settings.put("gpt.backoff.min", "10ms");
        settings.put("gpt.backoff.max", "20ms");
        settings.put("gpt.metrics.port", "0");
        settings.put("gpt.metrics.host", "127.0.0.1");
        settings.put("gpt.shutdown.grace", "2s");
        settings.put(Topics.GPT_KEY, topics.gptRequests().name());
        settings.put(Topics.ESCALATIONS_KEY, topics.escalations().name());
        settings.put(Topics.RESULTS_KEY, topics.results().name());
        settings.put(Topics.DLQ_KEY, topics.deadLetters().name());
        settings.put(Topics.ALERTS_KEY, topics.alerts().name());
        settings.put(Topics.SHADOW_REQUESTS_KEY, topics.shadowRequests().name());
        settings.put(Topics.SHADOW_KEY, topics.shadowComparisons().name());
        settings.putAll(extra);
        final GptWorkerApp worker = GptWorkerApp.start(GptWorkerConfig.from(Settings.of(settings)));
        workers.add(worker);
        return worker;
    }

    void kill(final GptWorkerApp worker) {
        worker.kill();
        workers.remove(worker);
    }

    void close(final GptWorkerApp worker) {
        worker.close();
        workers.remove(worker);
    }

    static InferenceRequest request(final String id, final String tenant) {
        return InferenceRequest.newBuilder().setRequestId(id).setTenant(tenant).setTaskType(TaskType.REASONING)
                .setLanguage("en").setMessages(List.of(new ChatMessage("user", "Why is the sky blue? " + id)))
                .setCreatedAt(Instant.now()).build();
    }

    static RoutedRequest routed(final InferenceRequest request) {
        return new RoutedRequest(request, RoutingDecision.newBuilder().setTier(Tier.GPT)
                .setTaskType(request.getTaskType()).setTaskTypeSource(DecisionSource.HINT).setTaskTypeConfidence(1.0)
                .setLanguage("en").setLanguageSource(DecisionSource.HINT).setLanguageConfidence(1.0)
                .setTokenEstimate(20).setDailyVolume(0).setVolumeBand(0).setMatrixScore(5)
                .setRule(RoutingRule.MATRIX_GPT_REQUIRED).setExplanation("test").setPolicyVersion("test-1")
                .setDecidedAt(Instant.now()).build());
    }

    /** Routed requests {@code prefix + i} for i in [from, to), of {@code tenant}, in order. */
    void produceRouted(final String prefix, final int from, final int to, final String tenant) {
        final var serializer = topics.gptRequests().valueSerde(registryClient).serializer();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = from; i < to; i++) {
                final String id = prefix + i;
                producer.send(new ProducerRecord<>(topics.gptRequests().name(), id.getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topics.gptRequests().name(), routed(request(id, tenant)))));
            }
        }
    }

    void produceRouted(final int from, final int to) {
        produceRouted("g", from, to, "t");
    }

    /** Escalations e0..e(count-1), alternately LOW_CONFIDENCE and BACKEND_DOWN. */
    void produceEscalations(final int count) {
        final var serializer = topics.escalations().valueSerde(registryClient).serializer();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                final Escalation e = Escalation.newBuilder().setRouted(routed(request("e" + i, "t")))
                        .setReason(i % 2 == 0 ? EscalationReason.LOW_CONFIDENCE : EscalationReason.BACKEND_DOWN)
                        .setDraft("maybe").setConfidence(0.5).setModel("slm").setPromptTokens(10).setCompletionTokens(2)
                        .setCostUsd(0.000001).setLatencyMs(30).setAttempts(1).setEscalatedAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(topics.escalations().name(), ("e" + i).getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topics.escalations().name(), e)));
            }
        }
    }

    /** Committed results, waiting up to 90 s for at least {@code expected}. */
    List<InferenceResult> awaitResults(final int expected) throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<InferenceResult> results;
        do {
            Thread.sleep(300);
            results = read(topics.results(), 0);
        } while (results.size() < expected && System.nanoTime() < deadline);
        return results;
    }

    List<InferenceResult> results() {
        return read(topics.results(), 0);
    }

    List<Alert> alerts() {
        return read(topics.alerts(), 0);
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<T> read(final Topic<T> topic, final int expected) {
        return KafkaTestClients.drain(broker.bootstrapServers(), topic.name(), expected, Duration.ofSeconds(3),
                new ByteArrayDeserializer(), topic.valueSerde(registryClient).deserializer())
                .stream().map(ConsumerRecord::value).toList();
    }

    String metrics(final GptWorkerApp worker) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + worker.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() {
        new ArrayList<>(workers).forEach(GptWorkerApp::close);
        openai.close();
    }
}
