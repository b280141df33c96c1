package dev.slmrouter.tier0.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.classify.ClassifierIndex;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DeadLetter;
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
import dev.slmrouter.serde.InMemorySchemaRegistry;
import dev.slmrouter.tier0.TestTickets;
import dev.slmrouter.tier0.encoder.EncoderSpec;
import dev.slmrouter.tier0.encoder.OnnxSentenceEncoder;
import dev.slmrouter.tier0.model.Tier0Classifier;
import dev.slmrouter.topics.Topic;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tier-0 handler on the real encoder (bge) and a head trained on the test tickets, without Kafka:
 * what it answers, what it escalates and why.
 */
class Tier0RecordHandlerTest {

    private static final String TOPIC = "llm.requests.tier0";
    private static OnnxSentenceEncoder encoder;
    private static Tier0Classifier tickets;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final Topics topics = Topics.defaults();
    private final Topic<RoutedRequest> requests = new Topic<>(TOPIC, RoutedRequest.class);
    private final AtomicReference<Double> threshold = new AtomicReference<>(0.5);
    private Tier0RecordHandler handler;

    @BeforeAll
    static void train() {
        encoder = OnnxSentenceEncoder.load(EncoderSpec.BGE_SMALL_EN_V15_Q, 2);
        tickets = TestTickets.train(encoder, "tickets", 0.9);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @BeforeEach
    void handler() {
        handler = new Tier0RecordHandler(index(List.of(tickets)), c -> threshold.get(), Set.of("en"),
                topics.slmRequests(), registry, requests.valueSerde(registry).deserializer(), new OutcomeWriter(topics, registry), Runnable::run,
                Clock.systemUTC(), new SimpleMeterRegistry());
    }

    static InferenceRequest.Builder request(final String id, final String text) {
        return InferenceRequest.newBuilder().setRequestId(id).setTenant("t").setTaskType(TaskType.CLASSIFICATION)
                .setLanguage("en").setLabels(new ArrayList<>(TestTickets.LABELS))
                .setMessages(List.of(new ChatMessage("system", "Classify the support ticket."), new ChatMessage("user", text)))
                .setMetadata(Map.of("expected_label", "x")).setCreatedAt(Instant.now());
    }

    static RoutedRequest routed(final InferenceRequest request, final TaskType type, final String language) {
        return routed(request, type, language, Tier.GPT);
    }

    static ClassifierIndex<Tier0Classifier> index(final List<Tier0Classifier> classifiers) {
        return new ClassifierIndex<>(classifiers, Tier0Classifier::name, Tier0Classifier::labelSet);
    }

    static RoutedRequest routed(final InferenceRequest request, final TaskType type, final String language,
                                final Tier fallback) {
        return new RoutedRequest(request, RoutingDecision.newBuilder().setTier(Tier.TIER0)
                .setClassifier("tickets").setFallbackTier(fallback)
                .setTaskType(type).setTaskTypeSource(DecisionSource.HINT).setTaskTypeConfidence(1.0)
                .setLanguage(language).setLanguageSource(DecisionSource.CLASSIFIER).setLanguageConfidence(0.9)
                .setTokenEstimate(20).setDailyVolume(0).setVolumeBand(0).setMatrixScore(1)
                .setRule(RoutingRule.TIER0_CLASSIFIER).setExplanation("test").setPolicyVersion("p-1")
                .setDecidedAt(Instant.now()).build());
    }

    private List<ProducerRecord<byte[], byte[]>> handle(final RoutedRequest routed) {
        final byte[] value = requests.valueSerde(registry).serializer().serialize(TOPIC, routed);
        return handle(value, routed.getRequest().getRequestId());
    }

    private List<ProducerRecord<byte[], byte[]>> handle(final byte[] value, final String key) {
        return handler.handle(new ConsumerRecord<>(TOPIC, 0, 7L, key.getBytes(StandardCharsets.UTF_8), value)).join();
    }

    private InferenceResult result(final List<ProducerRecord<byte[], byte[]>> out) {
        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo(topics.results().name());
        return topics.results().valueSerde(registry).deserializer().deserialize(out.get(0).topic(), out.get(0).value());
    }

    private Escalation escalation(final List<ProducerRecord<byte[], byte[]>> out) {
        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo(topics.escalations().name());
        return topics.escalations().valueSerde(registry).deserializer().deserialize(out.get(0).topic(), out.get(0).value());
    }

    @Test
    void shouldAnswerAConfidentClassificationWithTheLabel() {
        final InferenceResult r = result(handle(routed(request("r1", "My card still hasn't come in the post, when will it arrive?")
                .build(), TaskType.CLASSIFICATION, "en")));
        assertThat(r.getStatus()).isEqualTo(ResultStatus.OK);
        assertThat(r.getLabel()).isEqualTo("card_arrival");
        assertThat(r.getAnswer()).isEqualTo("card_arrival");
        assertThat(r.getConfidence()).isGreaterThanOrEqualTo(0.5).isLessThanOrEqualTo(1.0);
        assertThat(r.getTier()).isEqualTo(Tier.TIER0);
        assertThat(r.getTaskType()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(r.getModel()).isEqualTo("tier0/tickets@bge-small-en-v1.5-q");
        assertThat(r.getAudit().getModelRevision()).isEqualTo(tickets.artifact().version());
        assertThat(r.getAudit().getPolicyVersion()).isEqualTo("p-1");
        assertThat(r.getCostUsd()).isZero();
        assertThat(r.getMetadata()).containsEntry("expected_label", "x");
        assertThat(r.getRequestId()).isEqualTo("r1");
    }

    @Test
    void shouldEscalateBelowTheThresholdWithTheDraftLabel() {
        threshold.set(0.999_999);
        final Escalation e = escalation(handle(routed(request("r2", "How do I change my PIN?").build(),
                TaskType.CLASSIFICATION, "en")));
        assertThat(e.getReason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
        assertThat(e.getDraft()).isEqualTo("change_pin");
        assertThat(e.getConfidence()).isLessThan(0.999_999).isGreaterThan(0.25);
        assertThat(e.getDetail()).startsWith("tier0: confidence");
        assertThat(e.getModel()).isEqualTo("tier0/tickets@bge-small-en-v1.5-q");
        assertThat(e.getRouted().getRequest().getRequestId()).isEqualTo("r2");
        assertThat(e.getAttempts()).isEqualTo(1);
    }

    @Test
    void shouldRefuseNonEnglishRequestsAndSayWhy() {
        final Escalation e = escalation(handle(routed(request("r3", "Meine Karte ist noch nicht angekommen.").setLanguage("de")
                .build(), TaskType.CLASSIFICATION, "de")));
        assertThat(e.getReason()).isEqualTo(EscalationReason.REFUSAL);
        assertThat(e.getDetail()).contains("tier0:", "language 'de' is not supported");
        assertThat(e.getDraft()).isNull();
        final Escalation undetected = escalation(handle(routed(request("r3b", "???").setLanguage(null).build(),
                TaskType.CLASSIFICATION, null)));
        assertThat(undetected.getDetail()).contains("language undetected");
    }

    @Test
    void shouldRefuseAnUnknownLabelSetButFindAClassifierByName() {
        final Escalation e = escalation(handle(routed(request("r4", "When will my card arrive?")
                .setLabels(List.of("card_arrival", "change_pin", "exchange_rate")).build(), TaskType.CLASSIFICATION, "en")));
        assertThat(e.getReason()).isEqualTo(EscalationReason.REFUSAL);
        assertThat(e.getDetail()).contains("no tier-0 classifier has this exact set of 3 labels");

        final Map<String, String> named = new HashMap<>(Map.of(ClassifierIndex.CLASSIFIER_KEY, "tickets"));
        final InferenceResult byName = result(handle(routed(request("r5", "When will my card arrive?").setLabels(null)
                .setMetadata(named).build(), TaskType.CLASSIFICATION, "en")));
        assertThat(byName.getLabel()).isEqualTo("card_arrival");

        final Escalation unknownName = escalation(handle(routed(request("r6", "When will my card arrive?")
                .setMetadata(Map.of(ClassifierIndex.CLASSIFIER_KEY, "banking77")).build(), TaskType.CLASSIFICATION, "en")));
        assertThat(unknownName.getDetail()).contains("no tier-0 classifier named 'banking77'");

        // Labels in another order are the same set.
        final List<String> shuffled = new ArrayList<>(TestTickets.LABELS);
        java.util.Collections.reverse(shuffled);
        assertThat(result(handle(routed(request("r7", "What exchange rate applies to euros?").setLabels(shuffled).build(),
                TaskType.CLASSIFICATION, "en"))).getLabel()).isEqualTo("exchange_rate");
    }

    @Test
    void shouldRefuseOtherTaskTypesAndRequestsWithoutText() {
        final Escalation e = escalation(handle(routed(request("r8", "Summarize this.").setTaskType(TaskType.SUMMARIZATION)
                .build(), TaskType.SUMMARIZATION, "en")));
        assertThat(e.getReason()).isEqualTo(EscalationReason.REFUSAL);
        assertThat(e.getDetail()).contains("SUMMARIZATION is not CLASSIFICATION");
        final Escalation noUser = escalation(handle(routed(request("r9", "x")
                .setMessages(List.of(new ChatMessage("system", "Classify."))).build(), TaskType.CLASSIFICATION, "en")));
        assertThat(noUser.getDetail()).contains("no user message");
    }

    @Test
    void shouldPassWhatItDoesNotAnswerToTheSlmWhenTheDecisionsFallbackIsSlm() {
        threshold.set(0.999_999);
        final RoutedRequest low = forwarded(handle(routed(request("s1", "How do I change my PIN?").build(),
                TaskType.CLASSIFICATION, "en", Tier.SLM)));
        assertThat(low.getDecision().getTier()).isEqualTo(Tier.SLM);
        assertThat(low.getDecision().getRule()).isEqualTo(RoutingRule.TIER0_CLASSIFIER);
        assertThat(low.getDecision().getClassifier()).isEqualTo("tickets");
        assertThat(low.getDecision().getExplanation()).contains("tier0: confidence", "below threshold 1.000", "passed to SLM");
        assertThat(low.getRequest().getMetadata())
                .containsEntry("expected_label", "x")
                .containsEntry(Tier0RecordHandler.REASON_KEY, "LOW_CONFIDENCE")
                .containsEntry(Tier0RecordHandler.DRAFT_KEY, "change_pin")
                .containsKey(Tier0RecordHandler.CONFIDENCE_KEY);
        assertThat(Double.parseDouble(low.getRequest().getMetadata().get(Tier0RecordHandler.CONFIDENCE_KEY)))
                .isBetween(0.0, 0.999_999);
        assertThat(low.getRequest().getMessages()).hasSize(2);

        final RoutedRequest refused = forwarded(handle(routed(request("s2", "Meine Karte ist nicht angekommen.")
                .setLanguage("de").build(), TaskType.CLASSIFICATION, "de", Tier.SLM)));
        assertThat(refused.getRequest().getMetadata()).containsEntry(Tier0RecordHandler.REASON_KEY, "REFUSAL")
                .doesNotContainKey(Tier0RecordHandler.DRAFT_KEY);
    }

    private RoutedRequest forwarded(final List<ProducerRecord<byte[], byte[]>> out) {
        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo(topics.slmRequests().name());
        assertThat(new String(out.get(0).key(), StandardCharsets.UTF_8)).isNotBlank();
        return topics.slmRequests().valueSerde(registry).deserializer().deserialize(out.get(0).topic(), out.get(0).value());
    }

    @Test
    void shouldDeadLetterAnUndecodableRecord() {
        final List<ProducerRecord<byte[], byte[]>> out = handle(new byte[] {9, 9, 9}, "bad");
        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo(topics.deadLetters().name());
        final DeadLetter letter = topics.deadLetters().valueSerde(registry).deserializer()
                .deserialize(out.get(0).topic(), out.get(0).value());
        assertThat(letter.getStage()).isEqualTo("tier0.decode");
        assertThat(letter.getSourceOffset()).isEqualTo(7L);
    }

    @Test
    void shouldRefuseTwoClassifiersWithOneLabelSet() {
        final Tier0Classifier twin = TestTickets.train(encoder, "twin", 0.9);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> index(List.of(tickets, twin)))
                .hasMessageContaining("same label set");
    }
}
