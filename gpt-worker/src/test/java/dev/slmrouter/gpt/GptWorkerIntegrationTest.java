package dev.slmrouter.gpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.simulators.openai.OpenAiSimulator;
import dev.slmrouter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The GPT worker against a real broker, the real registry and the OpenAI simulator: one result per
 * request for GPT-routed work and escalations, FAILED results with the reason after bounded retries,
 * and no retry of insufficient_quota.
 */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class GptWorkerIntegrationTest {

    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private Topics topics;
    private SchemaRegistryClient registryClient;
    private OpenAiSimulator openai;
    private GptWorkerApp worker;

    GptWorkerIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @BeforeEach
    void setUp() {
        final String prefix = KafkaTestClients.uniqueName("gpt");
        topics = Topics.from((key, name) -> prefix + "." + name);
        final Map<String, Integer> partitions = new HashMap<>();
        topics.allNames().forEach(name -> partitions.put(name, 2));
        broker.createTopics(partitions);
        registryClient = new RestSchemaRegistryClient(registry.confluentApiUrl());
        openai = OpenAiSimulator.builder().timeScale(0).build().start();
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        openai.close();
    }

    private void startWorker(final int maxInFlight) {
        final Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("schema.registry.url", registry.confluentApiUrl());
        settings.put("gpt.base.url", openai.baseUrl());
        settings.put("gpt.api.key", "sk-test-not-a-real-key");
        settings.put("gpt.group.id", topics.gptRequests().name() + "-group");
        settings.put("gpt.transactional.id", KafkaTestClients.uniqueName("gpt-tx"));
        settings.put("gpt.max.in.flight", Integer.toString(maxInFlight));
        settings.put("gpt.backoff.min", "10ms");
        settings.put("gpt.backoff.max", "20ms");
        settings.put("gpt.metrics.port", "0");
        settings.put("gpt.metrics.host", "127.0.0.1");
        settings.put(Topics.GPT_KEY, topics.gptRequests().name());
        settings.put(Topics.ESCALATIONS_KEY, topics.escalations().name());
        settings.put(Topics.RESULTS_KEY, topics.results().name());
        settings.put(Topics.DLQ_KEY, topics.deadLetters().name());
        worker = GptWorkerApp.start(GptWorkerConfig.from(Settings.of(settings)));
    }

    private static InferenceRequest request(final String id) {
        return InferenceRequest.newBuilder().setRequestId(id).setTenant("t").setTaskType(TaskType.REASONING)
                .setLanguage("en").setMessages(List.of(new ChatMessage("user", "Why is the sky blue? " + id)))
                .setCreatedAt(Instant.now()).build();
    }

    private static RoutedRequest routed(final InferenceRequest request) {
        return new RoutedRequest(request, RoutingDecision.newBuilder().setTier(Tier.GPT)
                .setTaskType(request.getTaskType()).setTaskTypeSource(DecisionSource.HINT).setTaskTypeConfidence(1.0)
                .setLanguage("en").setLanguageSource(DecisionSource.HINT).setLanguageConfidence(1.0)
                .setTokenEstimate(20).setDailyVolume(0).setVolumeBand(0).setMatrixScore(5)
                .setRule(RoutingRule.MATRIX_GPT_REQUIRED).setExplanation("test").setPolicyVersion("test-1")
                .setDecidedAt(Instant.now()).build());
    }

    private void produceRouted(final int from, final int to) {
        final var serializer = topics.gptRequests().valueSerde(registryClient).serializer();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = from; i < to; i++) {
                final RoutedRequest r = routed(request("g" + i));
                producer.send(new ProducerRecord<>(topics.gptRequests().name(), ("g" + i).getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topics.gptRequests().name(), r)));
            }
        }
    }

    private void produceEscalations(final int count) {
        final var serializer = topics.escalations().valueSerde(registryClient).serializer();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                final Escalation e = Escalation.newBuilder().setRouted(routed(request("e" + i)))
                        .setReason(i % 2 == 0 ? EscalationReason.LOW_CONFIDENCE : EscalationReason.BACKEND_DOWN)
                        .setDraft("maybe").setConfidence(0.5).setModel("slm").setPromptTokens(10).setCompletionTokens(2)
                        .setCostUsd(0.000001).setLatencyMs(30).setAttempts(1).setEscalatedAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(topics.escalations().name(), ("e" + i).getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topics.escalations().name(), e)));
            }
        }
    }

    private List<InferenceResult> awaitResults(final int expected) throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<InferenceResult> results;
        do {
            Thread.sleep(500);
            results = KafkaTestClients.drain(broker.bootstrapServers(), topics.results().name(), 0, Duration.ofSeconds(5),
                    new ByteArrayDeserializer(), topics.results().valueSerde(registryClient).deserializer())
                    .stream().map(ConsumerRecord::value).toList();
        } while (results.size() < expected && System.nanoTime() < deadline);
        return results;
    }

    @Test
    void shouldAnswerRoutedRequestsAndEscalationsExactlyOnce() throws Exception {
        startWorker(16);
        produceRouted(0, 200);
        produceEscalations(100);

        final List<InferenceResult> results = awaitResults(300);

        assertThat(results).hasSize(300);
        assertThat(results.stream().map(InferenceResult::getRequestId).collect(Collectors.toSet())).hasSize(300);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.getStatus()).isEqualTo(ResultStatus.OK);
            assertThat(r.getTier()).isEqualTo(Tier.GPT);
            assertThat(r.getCostUsd()).isPositive();
        });
        final Map<Boolean, List<InferenceResult>> byEscalated =
                results.stream().collect(Collectors.partitioningBy(InferenceResult::getEscalated));
        assertThat(byEscalated.get(true)).hasSize(100).allSatisfy(r -> assertThat(r.getAttempts()).isEqualTo(2));
        assertThat(byEscalated.get(true).stream().filter(r -> r.getEscalationReason() == EscalationReason.BACKEND_DOWN))
                .hasSize(50).allSatisfy(r -> assertThat(r.getModel()).isEqualTo("gpt-4o-mini"));
        assertThat(byEscalated.get(false)).hasSize(200).allSatisfy(r -> assertThat(r.getModel()).isEqualTo("gpt-4o"));
        final String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + worker.metricsPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("gpt_calls_total{model=\"gpt-4o\"} 250.0", "gpt_calls_total{model=\"gpt-4o-mini\"} 50.0",
                "gpt_results_total{status=\"OK\"} 300.0", "gpt_cost_usd_total", "gpt_tokens_total");
    }

    @Test
    void shouldFailARequestOnlyAfterItsRetriesAreExhausted() throws Exception {
        startWorker(1);
        // One call at a time: the first request meets 3 errors (1 call + 2 retries) and fails; the second
        // meets 2 and succeeds on its last retry.
        openai.fail500For(5);
        produceRouted(0, 20);

        final List<InferenceResult> results = awaitResults(20);

        assertThat(results).hasSize(20);
        assertThat(new HashSet<>(results.stream().map(InferenceResult::getRequestId).toList())).hasSize(20);
        assertThat(results.stream().filter(r -> r.getStatus() == ResultStatus.FAILED)).hasSize(1)
                .allSatisfy(r -> assertThat(r.getError()).startsWith("SERVER_ERROR after 3 call(s)"));
    }

    @Test
    void shouldNotRetryExhaustedQuota() throws Exception {
        startWorker(1);
        openai.quotaExhausted();
        produceRouted(0, 5);

        final List<InferenceResult> results = awaitResults(5);

        assertThat(results).hasSize(5).allSatisfy(r -> {
            assertThat(r.getStatus()).isEqualTo(ResultStatus.FAILED);
            assertThat(r.getError()).startsWith("QUOTA_EXHAUSTED after 1 call(s)");
        });
        assertThat(openai.stats().requestsReceived()).isEqualTo(5);
    }
}
