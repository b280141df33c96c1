package dev.slmrouter.slm;

import dev.slmrouter.events.Audit;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.events.ShadowRequest;
import dev.slmrouter.events.Tier;
import dev.slmrouter.serde.SchemaRegistryUnavailableException;
import dev.slmrouter.slm.call.SlmRequestFactory;
import dev.slmrouter.slm.health.CircuitBreaker;
import dev.slmrouter.slm.health.DownPolicy;
import dev.slmrouter.slm.judge.OutcomeJudge;
import dev.slmrouter.slm.judge.SlmAttempt;
import dev.slmrouter.slm.judge.Verdict;
import dev.slmrouter.worker.answer.AnswerSchemaValidator;
import dev.slmrouter.worker.answer.Confidence;
import dev.slmrouter.worker.answer.LabelMatcher;
import dev.slmrouter.worker.client.BackendException;
import dev.slmrouter.worker.client.ChatBackend;
import dev.slmrouter.worker.client.ChatRequest;
import dev.slmrouter.worker.client.ChatResponse;
import dev.slmrouter.worker.loop.RecordHandler;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one routed request with the SLM, on the handler's executor: call vLLM (retrying transient
 * failures a bounded number of times), measure confidence from logprobs, check the answer's shape, and
 * produce exactly one outcome — a result, or an escalation with its reason, or a dead letter for an
 * undecodable record. While the backend is down a BATCH request waits (HOLD) and an INTERACTIVE one is
 * escalated with BACKEND_DOWN after the grace period (SPILL), as configured per latency class.
 *
 * <p>Shadow mode: an answered request in the shadow sample also goes, in the same transaction, to the
 * shadow-requests topic for GPT to answer off the user path; an escalated one is flagged so GPT compares
 * the draft with its answer. A request of a task type or tenant in the shadow-only stage never gets the
 * SLM's answer: the SLM's answer or draft goes to the shadow-requests topic and GPT answers the user.
 */
public final class SlmRecordHandler implements RecordHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SlmRecordHandler.class);
    static final String DECODE_STAGE = "slm.decode";

    private final SlmWorkerConfig config;
    private final Deserializer<RoutedRequest> decoder;
    private final ChatBackend backend;
    private final CircuitBreaker breaker;
    private final OutcomeWriter outcomes;
    private final SlmMetrics metrics;
    private final Executor executor;
    private final Clock clock;
    private final SlmRequestFactory requests;
    private final OutcomeJudge judge;
    private final AnswerSchemaValidator schemas = new AnswerSchemaValidator();
    private final Confidence labelConfidence = new Confidence(Confidence.Method.LABEL);
    private final Confidence textConfidence;

    public SlmRecordHandler(final SlmWorkerConfig config, final Deserializer<RoutedRequest> decoder,
                            final ChatBackend backend, final CircuitBreaker breaker, final OutcomeWriter outcomes,
                            final SlmMetrics metrics, final Executor executor, final Clock clock) {
        this.config = config;
        this.decoder = decoder;
        this.backend = backend;
        this.breaker = breaker;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.executor = executor;
        this.clock = clock;
        this.requests = new SlmRequestFactory(config);
        this.judge = new OutcomeJudge(config.schemaRetries());
        this.textConfidence = new Confidence(config.confidenceMethod());
    }

    @Override
    public CompletableFuture<List<ProducerRecord<byte[], byte[]>>> handle(final ConsumerRecord<byte[], byte[]> record) {
        return CompletableFuture.supplyAsync(() -> answer(record), executor);
    }

    private List<ProducerRecord<byte[], byte[]>> answer(final ConsumerRecord<byte[], byte[]> record) {
        final RoutedRequest routed;
        try {
            routed = decoder.deserialize(record.topic(), record.headers(), record.value());
            if (routed == null) {
                throw new SerializationException("null value");
            }
        } catch (SchemaRegistryUnavailableException e) {
            throw e; // not the record's fault: fail the loop so the record is redone, never dead-lettered
        } catch (SerializationException e) {
            metrics.deadLettered();
            return outcomes.deadLetter(record, DECODE_STAGE, "UNDECODABLE", e, clock.instant());
        }
        return new Attempts(routed).run();
    }

    /** The calls for one request, with what they cost, until a verdict. */
    private final class Attempts {

        private final RoutedRequest routed;
        private final InferenceRequest request;
        private final ChatRequest call;
        private int calls;
        private int failuresWhileUp;
        private int promptTokens;
        private int completionTokens;
        private Duration backendTime = Duration.ZERO;
        private Instant firstCallAt;
        private String modelRevision;
        private String model;
        private final double threshold;
        /** GPT answers the user; the SLM's answer only goes to the shadow. */
        private final boolean shadowOnly;

        Attempts(final RoutedRequest routed) {
            this.routed = routed;
            this.request = routed.getRequest();
            this.call = requests.build(routed);
            this.model = config.model();
            this.threshold = config.thresholds().thresholdFor(routed.getDecision().getTaskType(), request.getTenant());
            this.shadowOnly = config.shadow().shadowOnly(routed.getDecision().getTaskType(), request.getTenant());
        }

        List<ProducerRecord<byte[], byte[]>> run() {
            ChatRequest next = call;
            for (int attemptNo = 1; ; attemptNo++) {
                final Optional<Verdict.Escalate> unavailable = awaitBackend();
                if (unavailable.isPresent()) {
                    return escalate(unavailable.get(), null, OptionalDouble.empty());
                }
                final ChatResponse response;
                try {
                    response = callWithRetries(next);
                } catch (BackendException e) {
                    // A transient failure is the backend's, not the request's: wait (HOLD) or spill per
                    // policy once the breaker opens. Only a request that keeps failing while the backend
                    // looks healthy (a prompt vLLM chokes on) is escalated: it would otherwise block its
                    // partition forever.
                    if (isTransient(e) && (breaker.state() == CircuitBreaker.State.OPEN
                            || ++failuresWhileUp <= config.breakerFailures())) {
                        attemptNo--;
                        continue;
                    }
                    return escalate(failure(e), null, OptionalDouble.empty());
                }
                final SlmAttempt attempt = attemptOf(response);
                final Verdict verdict = judge.judge(attempt, threshold, attemptNo);
                if (verdict instanceof Verdict.Accept accept) {
                    return accept(response, accept.confidence());
                }
                if (verdict instanceof Verdict.Escalate escalate) {
                    return escalate(escalate, response.content(), attempt.confidence());
                }
                // A retry with the same seed at temperature 0 would repeat the same broken answer.
                next = next.toBuilder().seed(requests.seed(request) + attemptNo).build();
            }
        }

        /** Waits while the breaker is open, per the down policy; a reason to escalate instead, if any. */
        private Optional<Verdict.Escalate> awaitBackend() {
            while (!breaker.allowsCalls()) {
                if (shadowOnly) {
                    // The user's answer comes from GPT: waiting for vLLM would only delay it.
                    return Optional.of(new Verdict.Escalate(EscalationReason.BACKEND_DOWN, "vLLM down (shadow-only)"));
                }
                if (pastDeadline()) {
                    return Optional.of(new Verdict.Escalate(EscalationReason.TIMEOUT, "deadline passed while vLLM was down"));
                }
                final DownPolicy policy = config.downPolicies().get(request.getLatencyClass());
                if (policy == DownPolicy.SPILL && breaker.openFor().compareTo(config.spillGrace()) >= 0) {
                    return Optional.of(new Verdict.Escalate(EscalationReason.BACKEND_DOWN,
                            "vLLM down for " + breaker.openFor().toSeconds() + " s"));
                }
                sleep(config.breakerProbeInterval().dividedBy(2));
            }
            if (pastDeadline()) {
                return Optional.of(new Verdict.Escalate(EscalationReason.TIMEOUT, "deadline passed before the call"));
            }
            return Optional.empty();
        }

        private ChatResponse callWithRetries(final ChatRequest request) {
            for (int retry = 0; ; retry++) {
                try {
                    if (firstCallAt == null) {
                        firstCallAt = clock.instant();
                    }
                    calls++;
                    final ChatResponse response = backend.complete(request);
                    breaker.onSuccess();
                    metrics.call(response.latency());
                    backendTime = backendTime.plus(response.latency());
                    response.usage().ifPresent(u -> {
                        promptTokens += u.promptTokens();
                        completionTokens += u.completionTokens();
                    });
                    modelRevision = response.systemFingerprint();
                    model = response.model() != null ? response.model() : model;
                    return response;
                } catch (BackendException e) {
                    if (isTransient(e)) {
                        breaker.onFailure();
                    }
                    if (!e.retryable() || retry >= config.callRetries()
                            || breaker.state() == CircuitBreaker.State.OPEN) {
                        throw e;
                    }
                    metrics.retried();
                    sleep(e.retryAfter().orElse(Duration.ofMillis(200L << retry)));
                }
            }
        }

        private SlmAttempt attemptOf(final ChatResponse response) {
            final String content = response.content();
            final List<String> labels = request.getLabels();
            final List<String> shapeErrors;
            final OptionalDouble confidence;
            if (labels != null) {
                confidence = labelConfidence.of(response.logprobs());
                shapeErrors = content == null || new LabelMatcher(labels).match(content).isPresent() ? List.of()
                        : List.of("the answer is not one of the labels");
            } else {
                confidence = textConfidence.of(response.logprobs());
                shapeErrors = request.getResponseSchema() == null || content == null ? List.of()
                        : schemas.validate(content, request.getResponseSchema()).errors();
            }
            return new SlmAttempt(content, response.finishReason(), response.refusal(), confidence, shapeErrors);
        }

        private Verdict.Escalate failure(final BackendException e) {
            final EscalationReason reason = switch (e.kind()) {
                case TIMEOUT -> EscalationReason.TIMEOUT;
                case SERVER_ERROR, CONNECTION, RATE_LIMITED, CONFLICT -> EscalationReason.BACKEND_DOWN;
                default -> EscalationReason.BACKEND_ERROR;
            };
            if (reason == EscalationReason.BACKEND_ERROR) {
                LOG.warn("vLLM rejected request {}: {}", request.getRequestId(), e.getMessage());
            }
            return new Verdict.Escalate(reason, e.kind() + ": " + e.getMessage());
        }

        private List<ProducerRecord<byte[], byte[]>> accept(final ChatResponse response, final double confidence) {
            final Instant now = clock.instant();
            final String label = request.getLabels() == null ? null
                    : new LabelMatcher(request.getLabels()).match(response.content()).orElse(null);
            final String answer = label != null ? label : response.content();
            if (shadowOnly) {
                return shadow(ShadowMode.SHADOW_ONLY, answer, confidence, null);
            }
            metrics.answered(confidence);
            final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(2);
            records.addAll(outcomes.result(InferenceResult.newBuilder()
                    .setRequestId(request.getRequestId())
                    .setTenant(request.getTenant())
                    .setStatus(ResultStatus.OK)
                    .setAnswer(answer)
                    .setLabel(label)
                    .setTier(Tier.SLM)
                    .setModel(model)
                    .setConfidence(confidence)
                    .setSchemaValid(request.getResponseSchema() == null ? null : Boolean.TRUE)
                    .setPromptTokens(promptTokens)
                    .setCompletionTokens(completionTokens)
                    .setCostUsd(cost())
                    .setQueueLatencyMs(Duration.between(request.getCreatedAt(), firstCallAt).toMillis())
                    .setBackendLatencyMs(backendTime.toMillis())
                    .setEndToEndLatencyMs(Duration.between(request.getCreatedAt(), now).toMillis())
                    .setAttempts(calls)
                    .setAudit(audit())
                    .setTaskType(routed.getDecision().getTaskType())
                    .setMetadata(request.getMetadata())
                    .setCompletedAt(now)
                    .build()));
            if (sampled()) {
                records.addAll(shadow(ShadowMode.SAMPLE, answer, confidence, null));
            }
            return records;
        }

        private boolean sampled() {
            return config.shadow().sampled(request.getRequestId(), routed.getDecision().getTaskType(), request.getTenant());
        }

        /** The SLM's answer (or draft) handed to the GPT worker for shadowing. */
        private List<ProducerRecord<byte[], byte[]>> shadow(final ShadowMode mode, final String answer,
                                                           final Double confidence, final EscalationReason reason) {
            metrics.shadowed(mode);
            return outcomes.shadowRequest(ShadowRequest.newBuilder()
                    .setRouted(routed)
                    .setMode(mode)
                    .setSlmAnswer(answer)
                    .setSlmConfidence(confidence)
                    .setSlmThreshold(threshold)
                    .setSlmEscalationReason(reason)
                    .setSlmModel(model)
                    .setSlmPromptTokens(promptTokens)
                    .setSlmCompletionTokens(completionTokens)
                    .setSlmCostUsd(cost())
                    .setSlmLatencyMs(backendTime.toMillis())
                    .setCreatedAt(clock.instant())
                    .build());
        }

        private List<ProducerRecord<byte[], byte[]>> escalate(final Verdict.Escalate verdict, final String draft,
                                                             final OptionalDouble confidence) {
            final Double draftConfidence = confidence.isPresent() ? confidence.getAsDouble() : null;
            if (shadowOnly) {
                final String label = draft == null || request.getLabels() == null ? null
                        : new LabelMatcher(request.getLabels()).match(draft).orElse(null);
                return shadow(ShadowMode.SHADOW_ONLY, label != null ? label : draft, draftConfidence, verdict.reason());
            }
            metrics.escalated(verdict.reason());
            return outcomes.escalation(Escalation.newBuilder()
                    .setRouted(routed)
                    .setReason(verdict.reason())
                    .setDetail(verdict.detail())
                    .setDraft(draft)
                    .setConfidence(draftConfidence)
                    .setModel(model)
                    .setPromptTokens(promptTokens)
                    .setCompletionTokens(completionTokens)
                    .setCostUsd(cost())
                    .setLatencyMs(backendTime.toMillis())
                    .setAttempts(calls)
                    .setAudit(audit())
                    .setShadow(draft != null && sampled())
                    .setEscalatedAt(clock.instant())
                    .build());
        }

        private double cost() {
            return config.prices().costUsd(promptTokens, completionTokens);
        }

        private Audit audit() {
            return Audit.newBuilder()
                    .setSeed(requests.seed(request))
                    .setTemperature(requests.temperature(request))
                    .setMaxTokens(requests.maxTokens(request))
                    .setModelRevision(modelRevision)
                    .setSchemaId(request.getResponseSchema() == null ? null
                            : AnswerSchemaValidator.schemaId(request.getResponseSchema()))
                    .setPolicyVersion(routed.getDecision().getPolicyVersion())
                    .build();
        }

        private boolean pastDeadline() {
            return request.getDeadline() != null && clock.instant().isAfter(request.getDeadline());
        }
    }

    /** Failures that say the backend is down or overloaded, rather than that the request is bad. */
    private static boolean isTransient(final BackendException e) {
        return switch (e.kind()) {
            case SERVER_ERROR, CONNECTION, TIMEOUT, RATE_LIMITED, CONFLICT -> true;
            default -> false;
        };
    }

    private static void sleep(final Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for vLLM", e);
        }
    }
}
