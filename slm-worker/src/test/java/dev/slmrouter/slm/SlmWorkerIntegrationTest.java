package dev.slmrouter.slm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.LatencyClass;
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
import dev.slmrouter.simulators.vllm.VllmSimulator;
import dev.slmrouter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
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
 * The SLM worker against a real broker, the real registry and the vLLM simulator: exact splits between
 * results and escalations, one outcome per request through a crash, and HOLD / SPILL while vLLM is down.
 */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class SlmWorkerIntegrationTest {

    private static final String INVOICE_SCHEMA = "{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"}},"
            + "\"required\":[\"total\"]}";

    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private Topics topics;
    private SchemaRegistryClient registryClient;
    private VllmSimulator vllm;
    private final List<SlmWorkerApp> workers = new ArrayList<>();

    SlmWorkerIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @BeforeEach
    void createTopics() {
        final String prefix = KafkaTestClients.uniqueName("slm");
        topics = Topics.from((key, name) -> prefix + "." + name);
        final Map<String, Integer> partitions = new HashMap<>();
        topics.allNames().forEach(name -> partitions.put(name, 3));
        broker.createTopics(partitions);
        registryClient = new RestSchemaRegistryClient(registry.confluentApiUrl());
    }

    @AfterEach
    void stop() {
        workers.forEach(SlmWorkerApp::close);
        if (vllm != null) {
            vllm.close();
        }
    }

    private SlmWorkerApp startWorker(final String transactionalId, final Map<String, String> extra) {
        final Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("kafka.transaction.timeout.ms", "10000");
        // A killed worker never leaves its group: a short session lets its partitions move quickly.
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("schema.registry.url", registry.confluentApiUrl());
        settings.put("slm.base.url", vllm.baseUrl());
        settings.put("slm.group.id", topics.slmRequests().name() + "-group");
        settings.put("slm.transactional.id", transactionalId);
        settings.put("slm.metrics.port", "0");
        settings.put("slm.metrics.host", "127.0.0.1");
        settings.put("slm.breaker.probe.interval", "200ms");
        settings.put("slm.breaker.failures", "3");
        settings.put(Topics.SLM_KEY, topics.slmRequests().name());
        settings.put(Topics.RESULTS_KEY, topics.results().name());
        settings.put(Topics.ESCALATIONS_KEY, topics.escalations().name());
        settings.put(Topics.DLQ_KEY, topics.deadLetters().name());
        settings.putAll(extra);
        final SlmWorkerApp worker = SlmWorkerApp.start(SlmWorkerConfig.from(Settings.of(settings)));
        workers.add(worker);
        return worker;
    }

    private void produce(final int count, final IntFunction<InferenceRequest> request) {
        final var serializer = topics.slmRequests().valueSerde(registryClient).serializer();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                final InferenceRequest r = request.apply(i);
                final RoutedRequest routed = new RoutedRequest(r, decision(r));
                producer.send(new ProducerRecord<>(topics.slmRequests().name(),
                        r.getRequestId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topics.slmRequests().name(), routed)));
            }
        }
    }

    private static RoutingDecision decision(final InferenceRequest request) {
        return RoutingDecision.newBuilder().setTier(Tier.SLM)
                .setTaskType(request.getTaskType()).setTaskTypeSource(DecisionSource.HINT).setTaskTypeConfidence(1.0)
                .setLanguage("en").setLanguageSource(DecisionSource.HINT).setLanguageConfidence(1.0)
                .setTokenEstimate(50).setDailyVolume(0).setVolumeBand(0).setMatrixScore(3)
                .setRule(RoutingRule.MATRIX_TIE).setExplanation("test").setPolicyVersion("test-1")
                .setDecidedAt(Instant.now()).build();
    }

    private static InferenceRequest.Builder request(final String id, final TaskType type, final String prompt) {
        return InferenceRequest.newBuilder().setRequestId(id).setTenant("t").setTaskType(type).setLanguage("en")
                .setMessages(List.of(new ChatMessage("user", prompt))).setCreatedAt(Instant.now());
    }

    /** Reads results and escalations (read_committed) until {@code expected} outcomes are there or time is up. */
    private Outcomes awaitOutcomes(final int expected, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Outcomes outcomes;
        do {
            Thread.sleep(500);
            outcomes = readOutcomes();
        } while (outcomes.total() < expected && System.nanoTime() < deadline);
        return outcomes;
    }

    private Outcomes readOutcomes() {
        final List<ConsumerRecord<byte[], InferenceResult>> results = KafkaTestClients.drain(broker.bootstrapServers(),
                topics.results().name(), 0, Duration.ofSeconds(5), new ByteArrayDeserializer(),
                topics.results().valueSerde(registryClient).deserializer());
        final List<ConsumerRecord<byte[], Escalation>> escalations = KafkaTestClients.drain(
                broker.bootstrapServers(), topics.escalations().name(), 0, Duration.ofSeconds(5),
                new ByteArrayDeserializer(), topics.escalations().valueSerde(registryClient).deserializer());
        return new Outcomes(results.stream().map(ConsumerRecord::value).toList(),
                escalations.stream().map(ConsumerRecord::value).toList());
    }

    private record Outcomes(List<InferenceResult> results, List<Escalation> escalations) {

        int total() {
            return results.size() + escalations.size();
        }

        List<String> ids() {
            final List<String> ids = new ArrayList<>();
            results.forEach(r -> ids.add(r.getRequestId()));
            escalations.forEach(e -> ids.add(e.getRouted().getRequest().getRequestId()));
            return ids;
        }

        Map<EscalationReason, Long> byReason() {
            return escalations.stream().collect(Collectors.groupingBy(Escalation::getReason, Collectors.counting()));
        }
    }

    @Test
    void shouldSplitAScriptedMixExactlyBetweenResultsAndEscalations() throws Exception {
        vllm = VllmSimulator.builder().timeScale(0).build().start();
        startWorker(KafkaTestClients.uniqueName("slm-tx"), Map.of());
        produce(1_000, i -> switch (i % 10) {
            case 6 -> request("r" + i, TaskType.SUMMARIZATION, "Summarize this. [sim:confidence=0.4]").build();
            case 7 -> request("r" + i, TaskType.EXTRACTION, "Extract the total. [sim:schema-break]")
                    .setResponseSchema(INVOICE_SCHEMA).build();
            case 8 -> request("r" + i, TaskType.SUMMARIZATION, "Summarize that. [sim:truncate]").build();
            case 9 -> request("r" + i, TaskType.CLASSIFICATION, "Ticket: card declined [sim:confidence=0.95]")
                    .setLabels(List.of("card_declined", "refund")).build();
            default -> request("r" + i, TaskType.EXTRACTION, "Extract the total of 12.50 [sim:confidence=0.97]")
                    .setResponseSchema(INVOICE_SCHEMA).build();
        });

        final Outcomes outcomes = awaitOutcomes(1_000, Duration.ofSeconds(120));

        assertThat(outcomes.total()).isEqualTo(1_000);
        assertThat(new HashSet<>(outcomes.ids())).hasSize(1_000);
        assertThat(outcomes.results()).hasSize(700)
                .allSatisfy(r -> {
                    assertThat(r.getTier()).isEqualTo(Tier.SLM);
                    assertThat(r.getConfidence()).isGreaterThanOrEqualTo(0.85);
                    assertThat(r.getAudit().getSeed()).isEqualTo(42L);
                    assertThat(r.getCostUsd()).isPositive();
                });
        assertThat(outcomes.results().stream().filter(r -> r.getLabel() != null))
                .hasSize(100).allSatisfy(r -> assertThat(r.getLabel()).isIn("card_declined", "refund"));
        assertThat(outcomes.results().stream().filter(r -> Boolean.TRUE.equals(r.getSchemaValid()))).hasSize(600);
        assertThat(outcomes.byReason()).containsExactlyInAnyOrderEntriesOf(Map.of(
                EscalationReason.LOW_CONFIDENCE, 100L, EscalationReason.SCHEMA_FAIL, 100L,
                EscalationReason.TRUNCATED, 100L));
        assertThat(outcomes.escalations().stream().filter(e -> e.getReason() == EscalationReason.SCHEMA_FAIL))
                .allSatisfy(e -> assertThat(e.getAttempts()).isEqualTo(2));
    }

    @Test
    void shouldGiveOneOutcomePerRequestWhenAWorkerIsKilledMidStream() throws Exception {
        // Slow enough (about 25 answers/s) that the kill lands mid-stream.
        vllm = VllmSimulator.builder().timeScale(1).timeToFirstToken(Duration.ofMillis(150))
                .timePerOutputToken(Duration.ofMillis(1)).build().start();
        final String transactionalId = KafkaTestClients.uniqueName("slm-tx");
        final SlmWorkerApp first = startWorker(transactionalId, Map.of("slm.max.in.flight", "4"));
        produce(400, i -> request("k" + i, TaskType.SUMMARIZATION, "Summarize item " + i + " [sim:confidence=0.9]")
                .build());
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (readOutcomes().total() < 40 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        first.kill();
        workers.remove(first);
        final int beforeRestart = readOutcomes().total();
        assertThat(beforeRestart).isBetween(40, 399);

        startWorker(transactionalId, Map.of("slm.max.in.flight", "4"));
        final Outcomes outcomes = awaitOutcomes(400, Duration.ofSeconds(120));

        assertThat(outcomes.total()).isEqualTo(400);
        assertThat(new HashSet<>(outcomes.ids())).hasSize(400);
        // The loop hands slm.call.queue (8) records more to the call threads, but calls stay at the limit.
        assertThat(vllm.stats().maxRunning()).isEqualTo(4);
    }

    @Test
    void shouldHoldBatchRequestsInKafkaWhileVllmIsDownAndDrainThemAfterwards() throws Exception {
        vllm = VllmSimulator.builder().timeScale(0).build().start();
        startWorker(KafkaTestClients.uniqueName("slm-tx"), Map.of());
        vllm.goDown();
        produce(50, i -> request("h" + i, TaskType.SUMMARIZATION, "Summarize [sim:confidence=0.9]")
                .setLatencyClass(LatencyClass.BATCH).build());

        Thread.sleep(3_000);
        assertThat(readOutcomes().total()).as("nothing answered or escalated while down").isZero();

        vllm.comeUp();
        final Outcomes outcomes = awaitOutcomes(50, Duration.ofSeconds(60));
        assertThat(outcomes.results()).hasSize(50);
        assertThat(outcomes.escalations()).isEmpty();
    }

    @Test
    void shouldSpillInteractiveRequestsWithBackendDownAfterTheGracePeriod() throws Exception {
        vllm = VllmSimulator.builder().timeScale(0).build().start();
        startWorker(KafkaTestClients.uniqueName("slm-tx"), Map.of("slm.spill.grace", "1s"));
        vllm.goDown();
        produce(50, i -> request("s" + i, TaskType.SUMMARIZATION, "Summarize [sim:confidence=0.9]")
                .setLatencyClass(LatencyClass.INTERACTIVE).build());

        final Outcomes outcomes = awaitOutcomes(50, Duration.ofSeconds(60));

        assertThat(outcomes.results()).isEmpty();
        assertThat(outcomes.escalations()).hasSize(50)
                .allSatisfy(e -> assertThat(e.getReason()).isEqualTo(EscalationReason.BACKEND_DOWN));
        final Set<String> ids = new HashSet<>(outcomes.ids());
        assertThat(ids).hasSize(50);
    }
}
