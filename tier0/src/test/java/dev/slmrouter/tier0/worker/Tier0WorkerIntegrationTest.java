package dev.slmrouter.tier0.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.tier0.TestTickets;
import dev.slmrouter.tier0.data.LabeledExample;
import dev.slmrouter.tier0.encoder.EncoderSpec;
import dev.slmrouter.tier0.encoder.OnnxSentenceEncoder;
import dev.slmrouter.topics.Topic;
import dev.slmrouter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tier-0 worker against the real in-JVM broker and the real registry, with a classifier file trained
 * in the test: every request gets exactly one outcome (result or escalation) through a kill -9 style crash
 * and a restart with the same transactional id.
 */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class Tier0WorkerIntegrationTest {

    @TempDir
    static Path dir;
    private static Path model;

    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private Topics topics;
    private Topic<RoutedRequest> requests;
    private SchemaRegistryClient registryClient;
    private final List<Tier0WorkerApp> workers = new ArrayList<>();

    Tier0WorkerIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @BeforeAll
    static void trainModel() throws Exception {
        model = dir.resolve("tickets.tier0.json");
        try (OnnxSentenceEncoder encoder = OnnxSentenceEncoder.load(EncoderSpec.BGE_SMALL_EN_V15_Q, 2)) {
            TestTickets.train(encoder, "tickets", 0.6).artifact().write(model);
        }
    }

    @BeforeEach
    void createTopics() {
        final String prefix = KafkaTestClients.uniqueName("tier0");
        topics = Topics.from((key, name) -> prefix + "." + name);
        requests = new Topic<>(prefix + ".llm.requests.tier0", RoutedRequest.class);
        final Map<String, Integer> partitions = new HashMap<>();
        topics.allNames().forEach(name -> partitions.put(name, 3));
        partitions.put(requests.name(), 3);
        broker.createTopics(partitions);
        registryClient = new RestSchemaRegistryClient(registry.confluentApiUrl());
    }

    @AfterEach
    void stop() {
        workers.forEach(Tier0WorkerApp::close);
    }

    private Tier0WorkerApp startWorker(final String transactionalId) {
        final Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("kafka.transaction.timeout.ms", "10000");
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("schema.registry.url", registry.confluentApiUrl());
        settings.put("tier0.models", model.toString());
        settings.put("tier0.group.id", requests.name() + "-group");
        settings.put("tier0.transactional.id", transactionalId);
        settings.put("tier0.threads", "1");
        settings.put("tier0.metrics.port", "0");
        settings.put("tier0.metrics.host", "127.0.0.1");
        settings.put(Topics.TIER0_KEY, requests.name());
        settings.put(Topics.RESULTS_KEY, topics.results().name());
        settings.put(Topics.ESCALATIONS_KEY, topics.escalations().name());
        settings.put(Topics.SLM_KEY, topics.slmRequests().name());
        settings.put(Topics.DLQ_KEY, topics.deadLetters().name());
        final Tier0WorkerApp worker = Tier0WorkerApp.start(Tier0WorkerConfig.from(Settings.of(settings)));
        workers.add(worker);
        return worker;
    }

    /**
     * Every fifth request is German (refused: half of them, with fallback tier SLM, passed to the SLM topic,
     * the other half escalated); the rest are the test tickets, round robin, with fallback tier GPT.
     */
    private void produce(final int from, final int to) {
        final var serializer = requests.valueSerde(registryClient).serializer();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = from; i < to; i++) {
                final LabeledExample ticket = TestTickets.TEST.get(i % TestTickets.TEST.size());
                final boolean german = i % 5 == 4;
                final InferenceRequest r = Tier0RecordHandlerTest.request("q" + i,
                        german ? "Meine Karte ist nach zwei Wochen immer noch nicht da." : ticket.text())
                        .setLanguage(german ? "de" : "en").build();
                final RoutedRequest routed = Tier0RecordHandlerTest.routed(r, TaskType.CLASSIFICATION, german ? "de" : "en",
                        i % 10 == 9 ? Tier.SLM : Tier.GPT);
                producer.send(new ProducerRecord<>(requests.name(), r.getRequestId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(requests.name(), routed)));
            }
        }
    }

    private record Outcomes(List<InferenceResult> results, List<Escalation> escalations, List<RoutedRequest> toSlm) {
        int total() {
            return results.size() + escalations.size() + toSlm.size();
        }

        List<String> ids() {
            final List<String> ids = new ArrayList<>();
            results.forEach(r -> ids.add(r.getRequestId()));
            escalations.forEach(e -> ids.add(e.getRouted().getRequest().getRequestId()));
            toSlm.forEach(f -> ids.add(f.getRequest().getRequestId()));
            return ids;
        }
    }

    private Outcomes readOutcomes() {
        final List<ConsumerRecord<byte[], InferenceResult>> results = KafkaTestClients.drain(broker.bootstrapServers(),
                topics.results().name(), 0, Duration.ofSeconds(3), new ByteArrayDeserializer(),
                topics.results().valueSerde(registryClient).deserializer());
        final List<ConsumerRecord<byte[], Escalation>> escalations = KafkaTestClients.drain(broker.bootstrapServers(),
                topics.escalations().name(), 0, Duration.ofSeconds(3), new ByteArrayDeserializer(),
                topics.escalations().valueSerde(registryClient).deserializer());
        final List<ConsumerRecord<byte[], RoutedRequest>> toSlm = KafkaTestClients.drain(broker.bootstrapServers(),
                topics.slmRequests().name(), 0, Duration.ofSeconds(3), new ByteArrayDeserializer(),
                topics.slmRequests().valueSerde(registryClient).deserializer());
        return new Outcomes(results.stream().map(ConsumerRecord::value).toList(),
                escalations.stream().map(ConsumerRecord::value).toList(),
                toSlm.stream().map(ConsumerRecord::value).toList());
    }

    private Outcomes awaitOutcomes(final int expected, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Outcomes outcomes;
        do {
            Thread.sleep(500);
            outcomes = readOutcomes();
        } while (outcomes.total() < expected && System.nanoTime() < deadline);
        return outcomes;
    }

    @Test
    void shouldGiveOneOutcomePerRequestThroughAKillAndARestart() throws Exception {
        final int count = 1_500;
        final String transactionalId = KafkaTestClients.uniqueName("tier0-tx");
        final Tier0WorkerApp first = startWorker(transactionalId);
        // A first part, so the kill lands while requests are still waiting however fast this machine is.
        produce(0, 400);
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (readOutcomes().total() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        first.kill();
        workers.remove(first);
        produce(400, count);
        final int beforeRestart = readOutcomes().total();
        assertThat(beforeRestart).as("the kill landed mid-stream").isBetween(100, count - 1);

        startWorker(transactionalId);
        final Outcomes outcomes = awaitOutcomes(count, Duration.ofSeconds(240));

        assertThat(outcomes.total()).isEqualTo(count);
        assertThat(new HashSet<>(outcomes.ids())).hasSize(count);
        final Map<EscalationReason, Long> reasons = outcomes.escalations().stream()
                .collect(Collectors.groupingBy(Escalation::getReason, Collectors.counting()));
        assertThat(reasons.get(EscalationReason.REFUSAL)).isEqualTo(count / 10);
        assertThat(outcomes.toSlm()).hasSize(count / 10).allSatisfy(f -> {
            assertThat(f.getDecision().getTier()).isEqualTo(Tier.SLM);
            assertThat(f.getRequest().getMetadata()).containsEntry(Tier0RecordHandler.REASON_KEY, "REFUSAL");
        });
        assertThat(outcomes.results()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getTier()).isEqualTo(Tier.TIER0);
            assertThat(r.getConfidence()).isGreaterThanOrEqualTo(0.6);
            assertThat(r.getLabel()).isIn(TestTickets.LABELS);
        });
    }
}
