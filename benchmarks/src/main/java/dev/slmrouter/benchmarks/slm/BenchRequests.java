package dev.slmrouter.benchmarks.slm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.slm.SlmWorkerConfig;
import dev.slmrouter.slm.call.SlmRequestFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's workload: a fixed, deterministic mix of routed requests, one third each of
 * classification with four labels (a one-token answer), extraction against a small JSON schema (a short
 * JSON answer) and summarization (free text, the simulator's mean output length), each prompt made
 * unique by its index so answers and lengths vary as they would in production. No simulator markers are
 * used, so the simulator's default confidence distribution decides which answers the worker escalates.
 * {@link #chatBodies} turns the same requests into the exact JSON bodies the worker sends, through the
 * worker's own {@link SlmRequestFactory}, so the direct load generator and the worker ask the same things.
 */
final class BenchRequests {

    static final String INVOICE_SCHEMA = "{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"},"
            + "\"currency\":{\"type\":\"string\"}},\"required\":[\"total\",\"currency\"]}";
    private static final List<String> LABELS = List.of("billing", "technical", "account", "other");
    private static final String[] TOPICS = {"my card was charged twice", "the app crashes on start",
        "I cannot reset my password", "where is my parcel", "the invoice shows the wrong address"};

    private BenchRequests() {
    }

    /** Request {@code i} of the mix, created now. */
    static RoutedRequest routed(final int i) {
        final String id = "bench-" + i;
        final String topic = TOPICS[i % TOPICS.length];
        final InferenceRequest.Builder request = InferenceRequest.newBuilder().setRequestId(id).setTenant("bench")
                .setLanguage("en").setCreatedAt(Instant.now());
        final TaskType type;
        switch (i % 3) {
            case 0 -> {
                type = TaskType.CLASSIFICATION;
                request.setLabels(LABELS).setMessages(List.of(new ChatMessage("user",
                        "Support ticket " + i + ": Hello, " + topic + ". Please help me soon, order " + (1000 + i) + ".")));
            }
            case 1 -> {
                type = TaskType.EXTRACTION;
                request.setResponseSchema(INVOICE_SCHEMA).setMessages(List.of(new ChatMessage("user",
                        "Invoice " + i + " from ACME Ltd. Items: 3 widgets at 4.10 each, shipping 2.20. Total due: "
                                + (12 + i % 90) + ".50 EUR, payable within 30 days.")));
            }
            default -> {
                type = TaskType.SUMMARIZATION;
                request.setMessages(List.of(new ChatMessage("user", "Summarize this customer call " + i
                        + " in two sentences: the customer said " + topic + ", the agent apologized, checked the"
                        + " account, found the cause and promised a fix within two working days; the customer"
                        + " agreed and asked for a confirmation by e-mail.")));
            }
        }
        request.setTaskType(type);
        return new RoutedRequest(request.build(), decision(type));
    }

    private static RoutingDecision decision(final TaskType type) {
        return RoutingDecision.newBuilder().setTier(Tier.SLM)
                .setTaskType(type).setTaskTypeSource(DecisionSource.HINT).setTaskTypeConfidence(1.0)
                .setLanguage("en").setLanguageSource(DecisionSource.HINT).setLanguageConfidence(1.0)
                .setTokenEstimate(60).setDailyVolume(0).setVolumeBand(0).setMatrixScore(3)
                .setRule(RoutingRule.MATRIX_TIE).setExplanation("benchmark").setPolicyVersion("bench-1")
                .setDecidedAt(Instant.now()).build();
    }

    /** The chat completion bodies the worker configured by {@code config} sends for requests 0..count-1. */
    static List<byte[]> chatBodies(final SlmWorkerConfig config, final int count) {
        final SlmRequestFactory factory = new SlmRequestFactory(config);
        final ObjectMapper mapper = new ObjectMapper();
        final List<byte[]> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                bodies.add(mapper.writeValueAsBytes(factory.build(routed(i)).toJson()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize request " + i, e);
            }
        }
        return bodies;
    }
}
