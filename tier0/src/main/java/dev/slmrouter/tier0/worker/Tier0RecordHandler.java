package dev.slmrouter.tier0.worker;

import dev.slmrouter.common.classify.ClassifierIndex;
import dev.slmrouter.events.Audit;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryUnavailableException;
import dev.slmrouter.tier0.model.Prediction;
import dev.slmrouter.tier0.model.Tier0Classifier;
import dev.slmrouter.topics.Topic;
import dev.slmrouter.worker.loop.RecordHandler;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Answers routed classification requests with a tier-0 classifier, on the handler's executor, and produces
 * exactly one outcome per record through the shared {@link OutcomeWriter}:
 * <ul>
 *   <li>a result (status OK, the label, the top softmax probability as confidence) when the request is a
 *       CLASSIFICATION in a supported language, a classifier matches it (metadata {@code classifier}, else
 *       the exact label set) and the confidence reaches the threshold;</li>
 *   <li>LOW_CONFIDENCE, with the draft label and its confidence, when it does not;</li>
 *   <li>REFUSAL, with a detail starting {@code tier0:}, for a request tier 0 may not answer (another task
 *       type, a language the English-only encoders do not read, no matching classifier, no text), so the
 *       next tier answers it instead of it being dropped;</li>
 *   <li>a dead letter for a record that cannot be decoded.</li>
 * </ul>
 * What tier 0 does not answer goes to the decision's {@code fallback_tier} (set by the router's policy):
 * for GPT (and for a decision without one) an Escalation on the escalation topic; for SLM the routed
 * request itself on the SLM requests topic, re-decided for the SLM, with the reason, draft and confidence
 * in its metadata ({@value #REASON_KEY}, {@value #DRAFT_KEY}, {@value #CONFIDENCE_KEY}), which the SLM
 * worker carries through to the result. Results say tier TIER0 and name the model
 * {@code tier0/<classifier>@<encoder>}.
 */
public final class Tier0RecordHandler implements RecordHandler {

    static final String DECODE_STAGE = "tier0.decode";
    /** Metadata keys on a request passed to the SLM: why tier 0 did not answer, its draft and confidence. */
    public static final String REASON_KEY = "tier0.reason";
    public static final String DRAFT_KEY = "tier0.draft";
    public static final String CONFIDENCE_KEY = "tier0.confidence";

    private final ClassifierIndex<Tier0Classifier> catalog;
    private final Topic<RoutedRequest> slmRequests;
    private final Serializer<RoutedRequest> routedSerializer;
    private final ToDoubleFunction<Tier0Classifier> thresholds;
    private final Set<String> languages;
    private final Deserializer<RoutedRequest> decoder;
    private final OutcomeWriter outcomes;
    private final Executor executor;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer inference;
    private final Counter answered;
    private final Counter deadLettered;
    private final ConcurrentHashMap<String, Counter> escalated = new ConcurrentHashMap<>();

    public Tier0RecordHandler(final ClassifierIndex<Tier0Classifier> catalog,
                              final ToDoubleFunction<Tier0Classifier> thresholds, final Set<String> languages,
                              final Topic<RoutedRequest> slmRequests, final SchemaRegistryClient registry,
                              final Deserializer<RoutedRequest> decoder, final OutcomeWriter outcomes,
                              final Executor executor, final Clock clock, final MeterRegistry meters) {
        this.catalog = catalog;
        this.slmRequests = slmRequests;
        this.routedSerializer = slmRequests.valueSerde(registry).serializer();
        this.thresholds = thresholds;
        this.languages = Set.copyOf(languages);
        this.decoder = decoder;
        this.outcomes = outcomes;
        this.executor = executor;
        this.clock = clock;
        this.meters = meters;
        this.inference = Timer.builder("tier0_inference").description("Encode + head time per request")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.answered = Counter.builder("tier0_answered_total").description("Requests tier 0 answered").register(meters);
        this.deadLettered = Counter.builder("tier0_dead_lettered_total").description("Undecodable records")
                .register(meters);
    }

    @Override
    public CompletableFuture<List<ProducerRecord<byte[], byte[]>>> handle(final ConsumerRecord<byte[], byte[]> record) {
        return CompletableFuture.supplyAsync(() -> answer(record), executor);
    }

    List<ProducerRecord<byte[], byte[]>> answer(final ConsumerRecord<byte[], byte[]> record) {
        final RoutedRequest routed;
        try {
            routed = decoder.deserialize(record.topic(), record.headers(), record.value());
            if (routed == null) {
                throw new SerializationException("null value");
            }
        } catch (SchemaRegistryUnavailableException e) {
            throw e; // not the record's fault: fail the loop so the record is redone, never dead-lettered
        } catch (SerializationException e) {
            deadLettered.increment();
            return outcomes.deadLetter(record, DECODE_STAGE, "UNDECODABLE", e, clock.instant());
        }
        final InferenceRequest request = routed.getRequest();
        final TaskType taskType = routed.getDecision().getTaskType();
        if (taskType != TaskType.CLASSIFICATION) {
            return refuse(routed, "task type " + taskType + " is not CLASSIFICATION");
        }
        final String language = language(routed);
        if (language == null || !languages.contains(language)) {
            return refuse(routed, "language " + (language == null ? "undetected" : "'" + language + "'")
                    + " is not supported (the encoders read " + languages.stream().sorted().toList() + ")");
        }
        final String text = textOf(request);
        if (text == null) {
            return refuse(routed, "the request has no user message to classify");
        }
        final ClassifierIndex.Match<Tier0Classifier> match = catalog.find(request.getMetadata(), request.getLabels());
        if (match instanceof ClassifierIndex.NotFound<Tier0Classifier> notFound) {
            return refuse(routed, notFound.reason());
        }
        final Tier0Classifier classifier = ((ClassifierIndex.Found<Tier0Classifier>) match).classifier();
        final Instant started = clock.instant();
        final long t0 = System.nanoTime();
        final Prediction prediction = classifier.predict(text);
        final long nanos = System.nanoTime() - t0;
        inference.record(nanos, TimeUnit.NANOSECONDS);
        final double threshold = thresholds.applyAsDouble(classifier);
        if (prediction.confidence() >= threshold) {
            answered.increment();
            return accept(routed, classifier, prediction, started, nanos);
        }
        return escalate(routed, classifier, EscalationReason.LOW_CONFIDENCE, String.format(Locale.ROOT,
                "tier0: confidence %.4f below threshold %.3f", prediction.confidence(), threshold),
                prediction.label(), prediction.confidence(), nanos);
    }

    /** The router's language (detected or hinted), else the producer's hint; lower case, or null. */
    private static String language(final RoutedRequest routed) {
        String language = routed.getDecision().getLanguage();
        if (language == null) {
            language = routed.getRequest().getLanguage();
        }
        return language == null || language.isBlank() ? null : language.trim().toLowerCase(Locale.ROOT);
    }

    /** The text to classify: the last user message (producers send the instruction as the system message). */
    static String textOf(final InferenceRequest request) {
        final List<ChatMessage> messages = request.getMessages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            final ChatMessage m = messages.get(i);
            if ("user".equals(m.getRole()) && m.getContent() != null && !m.getContent().isBlank()) {
                return m.getContent();
            }
        }
        return null;
    }

    private static String model(final Tier0Classifier classifier) {
        return "tier0/" + classifier.name() + "@" + classifier.artifact().encoder().id();
    }

    private List<ProducerRecord<byte[], byte[]>> accept(final RoutedRequest routed, final Tier0Classifier classifier,
                                                        final Prediction prediction, final Instant started,
                                                        final long nanos) {
        final InferenceRequest request = routed.getRequest();
        final Instant now = clock.instant();
        return outcomes.result(InferenceResult.newBuilder()
                .setRequestId(request.getRequestId())
                .setTenant(request.getTenant())
                .setTaskType(routed.getDecision().getTaskType())
                .setStatus(ResultStatus.OK)
                .setAnswer(prediction.label())
                .setLabel(prediction.label())
                .setTier(Tier.TIER0)
                .setModel(model(classifier))
                .setConfidence(prediction.confidence())
                .setSchemaValid(request.getResponseSchema() == null ? null : Boolean.TRUE)
                .setPromptTokens(0)
                .setCompletionTokens(0)
                .setCostUsd(0.0)
                .setQueueLatencyMs(Math.max(0, Duration.between(request.getCreatedAt(), started).toMillis()))
                .setBackendLatencyMs(TimeUnit.NANOSECONDS.toMillis(nanos))
                .setEndToEndLatencyMs(Math.max(0, Duration.between(request.getCreatedAt(), now).toMillis()))
                .setAttempts(1)
                .setAudit(audit(routed, classifier))
                .setMetadata(request.getMetadata())
                .setCompletedAt(now)
                .build());
    }

    private List<ProducerRecord<byte[], byte[]>> refuse(final RoutedRequest routed, final String why) {
        return escalate(routed, null, EscalationReason.REFUSAL, "tier0: " + why, null, null, 0);
    }

    private List<ProducerRecord<byte[], byte[]>> escalate(final RoutedRequest routed, final Tier0Classifier classifier,
                                                          final EscalationReason reason, final String detail,
                                                          final String draft, final Double confidence, final long nanos) {
        escalated.computeIfAbsent(reason.name(), r -> Counter.builder("tier0_escalated_total")
                .description("Requests tier 0 passed to the next tier").tag("reason", r).register(meters)).increment();
        if (routed.getDecision().getFallbackTier() == Tier.SLM) {
            return toSlm(routed, reason, detail, draft, confidence);
        }
        return outcomes.escalation(Escalation.newBuilder()
                .setRouted(routed)
                .setReason(reason)
                .setDetail(detail)
                .setDraft(draft)
                .setConfidence(confidence)
                .setModel(classifier == null ? "tier0" : model(classifier))
                .setPromptTokens(0)
                .setCompletionTokens(0)
                .setCostUsd(0.0)
                .setLatencyMs(TimeUnit.NANOSECONDS.toMillis(nanos))
                .setAttempts(classifier == null ? 0 : 1)
                .setAudit(classifier == null ? null : audit(routed, classifier))
                .setEscalatedAt(clock.instant())
                .build());
    }

    /** The request, re-decided for the SLM, with tier 0's reason, draft and confidence in its metadata. */
    private List<ProducerRecord<byte[], byte[]>> toSlm(final RoutedRequest routed, final EscalationReason reason,
                                                       final String detail, final String draft, final Double confidence) {
        final InferenceRequest request = routed.getRequest();
        final Map<String, String> metadata = new HashMap<>(request.getMetadata() == null ? Map.of() : request.getMetadata());
        metadata.put(REASON_KEY, reason.name());
        if (draft != null) {
            metadata.put(DRAFT_KEY, draft);
            metadata.put(CONFIDENCE_KEY, Double.toString(confidence));
        }
        final RoutingDecision decision = RoutingDecision.newBuilder(routed.getDecision())
                .setTier(Tier.SLM)
                .setExplanation(routed.getDecision().getExplanation() + "; " + detail + ", passed to SLM")
                .build();
        final RoutedRequest forwarded = RoutedRequest.newBuilder(routed)
                .setRequest(InferenceRequest.newBuilder(request).setMetadata(metadata).build())
                .setDecision(decision)
                .build();
        final String topic = slmRequests.name();
        return List.of(new ProducerRecord<>(topic, request.getRequestId().getBytes(StandardCharsets.UTF_8),
                routedSerializer.serialize(topic, forwarded)));
    }

    private static Audit audit(final RoutedRequest routed, final Tier0Classifier classifier) {
        return Audit.newBuilder()
                .setModelRevision(classifier.artifact().version())
                .setPolicyVersion(routed.getDecision().getPolicyVersion())
                .build();
    }
}
