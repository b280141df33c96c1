package dev.slmrouter.gpt;

import dev.slmrouter.events.Alert;
import dev.slmrouter.events.AlertKind;
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
import dev.slmrouter.gpt.budget.BudgetLedger;
import dev.slmrouter.gpt.budget.Budgets;
import dev.slmrouter.gpt.limit.RateLimiter;
import dev.slmrouter.gpt.shadow.Comparisons;
import dev.slmrouter.serde.SchemaRegistryUnavailableException;
import dev.slmrouter.worker.answer.AnswerSchemaValidator;
import dev.slmrouter.worker.answer.LabelMatcher;
import dev.slmrouter.worker.client.BackendException;
import dev.slmrouter.worker.client.ChatBackend;
import dev.slmrouter.worker.client.ChatMessage;
import dev.slmrouter.worker.client.ChatRequest;
import dev.slmrouter.worker.client.ChatResponse;
import dev.slmrouter.worker.client.ResponseFormat;
import dev.slmrouter.worker.loop.RecordHandler;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a GPT-routed request or an escalation through the OpenAI API and produces its one final
 * result: OK, or FAILED with the reason (retries exhausted, a non-retryable error, a refusal, a
 * truncated or schema-breaking answer). Retries live here and only here: at most {@code gpt.retries},
 * with jittered exponential backoff honoring retry-after up to a cap, for retryable failures only (never
 * for 400/401/403/404 or insufficient_quota). An escalated request is never sent back to the SLM.
 * Every call first takes a permit from the {@link RateLimiter} (429s and rate-limit headers feed it back),
 * and, when budgets are set, a reservation from the {@link BudgetLedger}: a spent budget holds the request
 * (the caller waits, the record stays uncommitted in Kafka) or answers it REJECTED, per configuration; the
 * alerts a result's spend crosses are committed with it, as is a QUOTA_EXHAUSTED alert (once an hour).
 *
 * <p>Shadow mode: a SAMPLE shadow request (the user has the SLM's answer) is answered with the shadow model
 * under the shadow budget and produces only a ShadowComparison, never a result; a spent shadow budget skips
 * the call (the comparison says so) rather than holding anything. A SHADOW_ONLY request is answered for the
 * user like a GPT-routed one, and the SLM's answer is compared with it; so is the draft of an escalation
 * flagged for the shadow sample. Shadow spend counts against the production budgets only when configured.
 */
public final class GptRecordHandler implements RecordHandler {

    static final String DECODE_STAGE = "gpt.decode";
    private static final Logger LOG = LoggerFactory.getLogger(GptRecordHandler.class);
    /** How often a held request looks at the budget again when nothing wakes it sooner. */
    private static final Duration HOLD_RECHECK = Duration.ofSeconds(10);
    /** Characters per token, on the low side so that the estimate is rather too high than too low. */
    private static final int CHARS_PER_TOKEN = 3;

    private final GptWorkerConfig config;
    private final Deserializer<RoutedRequest> routedDecoder;
    private final Deserializer<Escalation> escalationDecoder;
    private final Deserializer<ShadowRequest> shadowDecoder;
    private final ChatBackend backend;
    private final OutcomeWriter outcomes;
    private final GptMetrics metrics;
    private final Executor executor;
    private final Clock clock;
    private final AnswerSchemaValidator schemas = new AnswerSchemaValidator();
    private final Random jitter = new Random();
    private final RateLimiter limiter;
    private final BudgetLedger ledger;
    /** The shadow budget's ledger, or null when shadow calls have no budget of their own. */
    private final BudgetLedger shadowLedger;
    private final Comparisons comparisons;
    /** The hour a QUOTA_EXHAUSTED alert was last raised for, so there is one an hour, not one a request. */
    private final AtomicReference<String> quotaAlertHour = new AtomicReference<>("");

    /** {@code ledger} is null when no budget is set. */
    public GptRecordHandler(final GptWorkerConfig config, final Deserializer<RoutedRequest> routedDecoder,
                            final Deserializer<Escalation> escalationDecoder, final ChatBackend backend,
                            final OutcomeWriter outcomes, final GptMetrics metrics, final Executor executor,
                            final Clock clock, final RateLimiter limiter, final BudgetLedger ledger) {
        this(config, routedDecoder, escalationDecoder, null, backend, outcomes, metrics, executor, clock, limiter, ledger,
                null);
    }

    /** With shadow requests; {@code shadowLedger} is null when the shadow budget is not set. */
    public GptRecordHandler(final GptWorkerConfig config, final Deserializer<RoutedRequest> routedDecoder,
                            final Deserializer<Escalation> escalationDecoder,
                            final Deserializer<ShadowRequest> shadowDecoder, final ChatBackend backend,
                            final OutcomeWriter outcomes, final GptMetrics metrics, final Executor executor,
                            final Clock clock, final RateLimiter limiter, final BudgetLedger ledger,
                            final BudgetLedger shadowLedger) {
        this.shadowDecoder = shadowDecoder;
        this.shadowLedger = shadowLedger;
        this.comparisons = new Comparisons(config.shadow().textAgreement());
        this.config = config;
        this.routedDecoder = routedDecoder;
        this.escalationDecoder = escalationDecoder;
        this.backend = backend;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.executor = executor;
        this.clock = clock;
        this.limiter = limiter;
        this.ledger = ledger;
    }

    @Override
    public CompletableFuture<List<ProducerRecord<byte[], byte[]>>> handle(final ConsumerRecord<byte[], byte[]> record) {
        return CompletableFuture.supplyAsync(() -> answer(record), executor);
    }

    private List<ProducerRecord<byte[], byte[]>> answer(final ConsumerRecord<byte[], byte[]> record) {
        final Work work;
        try {
            work = decode(record);
        } catch (SchemaRegistryUnavailableException e) {
            throw e; // not the record's fault: the loop fails and the record is redone
        } catch (SerializationException e) {
            return outcomes.deadLetter(record, DECODE_STAGE, "UNDECODABLE", e, clock.instant());
        }
        final Call call = new Call(work);
        if (work.shadow() != null && work.shadow().getMode() == ShadowMode.SAMPLE) {
            return shadowSample(call);
        }
        final InferenceResult result;
        final List<Alert> alerts = new ArrayList<>(0);
        if (ledger == null) {
            result = call.run();
        } else {
            metrics.budgetSeen(ledger, call.request.getTenant());
            final BudgetLedger.Admission admission = admit(call);
            if (admission.refusal() != null) {
                result = call.finish(ResultStatus.REJECTED, null, null, "BUDGET_EXHAUSTED: " + admission.refusal(), null);
            } else {
                final BudgetLedger.Reservation reservation = admission.reservation();
                InferenceResult answered = null;
                try {
                    answered = call.run();
                } finally {
                    alerts.addAll(ledger.settle(reservation, answered == null ? call.cost : answered.getCostUsd()));
                }
                result = answered;
            }
        }
        call.quotaAlert().ifPresent(alerts::add);
        metrics.result(result.getStatus());
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(outcomes.result(result));
        final Comparisons.SlmSide slm = work.shadow() != null ? Comparisons.SlmSide.of(work.shadow())
                : work.escalation() != null && work.escalation().getShadow() ? Comparisons.SlmSide.of(work.escalation())
                : null;
        if (slm != null) {
            records.addAll(compare(slm, call, result));
        }
        records.addAll(alerts(alerts));
        return records;
    }

    private List<ProducerRecord<byte[], byte[]>> alerts(final List<Alert> alerts) {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(alerts.size());
        for (final Alert alert : alerts) {
            LOG.warn("ALERT {}: {}", alert.getAlertId(), alert.getMessage());
            metrics.alert(alert.getKind());
            records.addAll(outcomes.alert(alert));
        }
        return records;
    }

    /** The comparison of the SLM's side with GPT's answer (or, with a null result, GPT's absence). */
    private List<ProducerRecord<byte[], byte[]>> compare(final Comparisons.SlmSide slm, final Call call,
                                                       final InferenceResult result) {
        final boolean ok = result != null && result.getStatus() == ResultStatus.OK;
        final String error = result == null ? call.skipped : ok ? null : result.getError();
        final var comparison = comparisons.compare(slm, new Comparisons.GptSide(ok ? result.getAnswer() : null, error,
                call.model, call.promptTokens, call.completionTokens, call.cost), clock.instant());
        metrics.comparison(comparison);
        return outcomes.comparison(comparison);
    }

    /**
     * A sampled request the user already has the SLM's answer to: GPT answers it in the shadow, under the
     * shadow budget (and the production ones when shadow spend counts there). A spent budget skips the call:
     * shadow work never waits, since it would hold the production work behind it on its partition.
     */
    private List<ProducerRecord<byte[], byte[]>> shadowSample(final Call call) {
        final double estimate = config.prices().costUsd(call.model, (int) call.estimatedPromptTokens(),
                (int) call.estimatedOutputTokens());
        final List<BudgetLedger> ledgers = new ArrayList<>(2);
        if (shadowLedger != null) {
            ledgers.add(shadowLedger);
        }
        if (ledger != null && config.shadow().countsAgainstProduction()) {
            ledgers.add(ledger);
        }
        final List<BudgetLedger.Reservation> reservations = new ArrayList<>(2);
        final List<Alert> alerts = new ArrayList<>(0);
        InferenceResult answered = null;
        try {
            for (final BudgetLedger l : ledgers) {
                final BudgetLedger.Admission admission = l.reserve(call.request.getRequestId(), call.request.getTenant(),
                        estimate);
                if (admission.refusal() != null) {
                    call.skipped = "SHADOW_BUDGET_EXHAUSTED: " + admission.refusal();
                    break;
                }
                reservations.add(admission.reservation());
            }
            if (call.skipped == null) {
                answered = call.run();
            }
        } finally {
            for (int i = 0; i < reservations.size(); i++) {
                alerts.addAll(ledgers.get(i).settle(reservations.get(i), answered == null ? 0 : call.cost));
            }
        }
        call.quotaAlert().ifPresent(alerts::add);
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(compare(
                Comparisons.SlmSide.of(call.work.shadow()), call, answered));
        records.addAll(alerts(alerts));
        return records;
    }

    /**
     * A reservation for the call, or the refusal: with {@code reject} at once; with {@code hold} this
     * caller waits until the budget admits the call (a new month, spend released), rechecking every few
     * seconds, while the record stays uncommitted in Kafka.
     */
    private BudgetLedger.Admission admit(final Call call) {
        final double estimate = config.prices().costUsd(call.model, (int) call.estimatedPromptTokens(),
                (int) call.estimatedOutputTokens());
        boolean held = false;
        try {
            while (true) {
                final BudgetLedger.Admission admission = ledger.reserve(call.request.getRequestId(),
                        call.request.getTenant(), estimate);
                if (admission.reservation() != null || ledger.budgets().exhausted() == Budgets.Exhausted.REJECT) {
                    return admission;
                }
                if (!held) {
                    held = true;
                    metrics.held(1);
                    LOG.info("holding request {} in Kafka: {}", call.request.getRequestId(), admission.refusal());
                }
                ledger.awaitChange(HOLD_RECHECK);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding request " + call.request.getRequestId(), e);
        } finally {
            if (held) {
                metrics.held(-1);
            }
        }
    }

    /** A request to answer, with the SLM attempt that preceded it if it was escalated or shadowed. */
    private record Work(RoutedRequest routed, Escalation escalation, ShadowRequest shadow) {
    }

    private Work decode(final ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new SerializationException("null value");
        }
        if (record.topic().equals(config.topics().escalations().name())) {
            final Escalation escalation = escalationDecoder.deserialize(record.topic(), record.headers(), record.value());
            return new Work(escalation.getRouted(), escalation, null);
        }
        if (shadowDecoder != null && record.topic().equals(config.topics().shadowRequests().name())) {
            final ShadowRequest shadow = shadowDecoder.deserialize(record.topic(), record.headers(), record.value());
            return new Work(shadow.getRouted(), null, shadow);
        }
        return new Work(routedDecoder.deserialize(record.topic(), record.headers(), record.value()), null, null);
    }

    /** One request's calls until a final result. */
    private final class Call {

        private final Work work;
        private final InferenceRequest request;
        private final String model;
        private int calls;
        private int promptTokens;
        private int completionTokens;
        private double cost;
        private Duration backendTime = Duration.ZERO;
        private Instant firstCallAt;
        private String modelRevision;
        private Alert quotaAlert;
        /** A shadow call: costed on its comparison, not in the production spend metrics. */
        private final boolean shadow;
        /** Why a shadow call was not made, if it was not. */
        private String skipped;

        Call(final Work work) {
            this.work = work;
            this.request = work.routed().getRequest();
            this.shadow = work.shadow() != null && work.shadow().getMode() == ShadowMode.SAMPLE;
            // Spilled work (the SLM was down, not unsure) goes to the cheaper model.
            this.model = shadow ? config.shadow().model()
                    : work.escalation() != null && work.escalation().getReason() == EscalationReason.BACKEND_DOWN
                    ? config.spillModel() : config.model();
        }

        long estimatedPromptTokens() {
            long chars = 0;
            for (final var message : request.getMessages()) {
                chars += message.getContent().length() + 16;
            }
            return chars / CHARS_PER_TOKEN + 1;
        }

        long estimatedOutputTokens() {
            return request.getMaxOutputTokens() != null ? request.getMaxOutputTokens() : config.outputTokensEstimate();
        }

        InferenceResult run() {
            final ChatRequest call = build();
            final long tokens = estimatedPromptTokens() + estimatedOutputTokens();
            for (int retry = 0; ; retry++) {
                final RateLimiter.Permit permit = takePermit(tokens);
                long used = tokens;
                final BackendException failure;
                try {
                    if (firstCallAt == null) {
                        firstCallAt = clock.instant();
                    }
                    calls++;
                    final ChatResponse response = backend.complete(call);
                    limiter.observe(response.rateLimits());
                    used = response.usage().map(u -> (long) u.promptTokens() + u.completionTokens()).orElse(tokens);
                    return judge(account(response));
                } catch (BackendException e) {
                    failure = e;
                    limiter.observe(e.rateLimits());
                    if (e.kind() == BackendException.Kind.RATE_LIMITED) {
                        // Refused calls use no tokens, but the whole worker stops until the API says so.
                        used = 0;
                        limiter.rateLimited(e.retryAfter().orElse(null));
                    }
                    if (e.kind() == BackendException.Kind.QUOTA_EXHAUSTED) {
                        quotaAlert = quotaAlert(e);
                    }
                    final boolean willRetry = e.retryable() && retry < config.retries();
                    metrics.failed(e, willRetry);
                    if (!willRetry) {
                        return finish(ResultStatus.FAILED, null, null, e.kind() + " after " + calls + " call(s): "
                                + e.getMessage(), null);
                    }
                } finally {
                    permit.settle(used);
                }
                // After the permit is settled: a call waiting out its backoff is not running.
                sleep(backoff(retry, failure));
            }
        }

        private RateLimiter.Permit takePermit(final long tokens) {
            final long start = System.nanoTime();
            try {
                final RateLimiter.Permit permit = limiter.acquire(tokens);
                metrics.limiterWait(Duration.ofNanos(System.nanoTime() - start));
                return permit;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the rate limiter", e);
            }
        }

        Optional<Alert> quotaAlert() {
            return Optional.ofNullable(quotaAlert);
        }

        /** One QUOTA_EXHAUSTED alert per hour per worker: the condition needs a human, not a flood. */
        private Alert quotaAlert(final BackendException e) {
            final Instant now = clock.instant();
            final String hour = now.toString().substring(0, 13);
            final String previous = quotaAlertHour.get();
            if (hour.equals(previous) || !quotaAlertHour.compareAndSet(previous, hour)) {
                return null;
            }
            return Alert.newBuilder()
                    .setAlertId("quota/" + config.transactionalId() + "/" + hour)
                    .setKind(AlertKind.QUOTA_EXHAUSTED)
                    .setScope("api")
                    .setMessage("The API refused calls with insufficient_quota (" + e.getMessage()
                            + "): the account is out of credit; GPT requests fail until billing is fixed")
                    .setSource("gpt-worker")
                    .setCreatedAt(now)
                    .build();
        }

        private ChatRequest build() {
            final List<ChatMessage> messages = new ArrayList<>();
            if (request.getLabels() != null) {
                messages.add(ChatMessage.system("Answer with exactly one of the labels and nothing else.\nLabels: "
                        + String.join(", ", request.getLabels())));
            }
            request.getMessages().forEach(m -> messages.add(new ChatMessage(m.getRole(), m.getContent())));
            final var builder = ChatRequest.builder(model).messages(messages)
                    .seed(request.getSeed() != null ? request.getSeed() : config.defaultSeed())
                    .temperature(request.getTemperature() != null ? request.getTemperature() : 0.0);
            if (request.getMaxOutputTokens() != null) {
                builder.maxTokens(request.getMaxOutputTokens());
            }
            if (request.getResponseSchema() != null) {
                builder.responseFormat(ResponseFormat.jsonSchema("answer", request.getResponseSchema(), true));
            }
            return builder.build();
        }

        private ChatResponse account(final ChatResponse response) {
            backendTime = backendTime.plus(response.latency());
            final String answeringModel = response.model() != null ? response.model() : model;
            response.usage().ifPresent(u -> {
                final double callCost = config.prices().costUsd(answeringModel, u.promptTokens(), u.completionTokens());
                promptTokens += u.promptTokens();
                completionTokens += u.completionTokens();
                cost += callCost;
                if (!shadow) {
                    metrics.call(model, request.getTenant(), response.latency(), u.promptTokens(), u.completionTokens(),
                            callCost);
                }
            });
            modelRevision = response.systemFingerprint();
            return response;
        }

        private InferenceResult judge(final ChatResponse response) {
            if (response.refusal() != null) {
                return finish(ResultStatus.FAILED, null, null, "REFUSAL: " + response.refusal(), null);
            }
            if ("length".equals(response.finishReason())) {
                return finish(ResultStatus.FAILED, response.content(), null,
                        "TRUNCATED: the answer hit max_tokens (finish_reason length)", null);
            }
            if (response.content() == null || !"stop".equals(response.finishReason())) {
                return finish(ResultStatus.FAILED, response.content(), null,
                        "no usable answer (finish_reason " + response.finishReason() + ")", null);
            }
            if (request.getResponseSchema() != null) {
                final AnswerSchemaValidator.Result check = schemas.validate(response.content(), request.getResponseSchema());
                if (!check.valid()) {
                    return finish(ResultStatus.FAILED, response.content(), null,
                            "SCHEMA_FAIL: " + String.join("; ", check.errors()), false);
                }
                return finish(ResultStatus.OK, response.content(), null, null, true);
            }
            final String label = request.getLabels() == null ? null
                    : new LabelMatcher(request.getLabels()).match(response.content()).orElse(null);
            if (request.getLabels() != null && label == null) {
                return finish(ResultStatus.FAILED, response.content(), null, "the answer is not one of the labels", null);
            }
            return finish(ResultStatus.OK, label != null ? label : response.content(), label, null, null);
        }

        InferenceResult finish(final ResultStatus status, final String answer, final String label,
                                       final String error, final Boolean schemaValid) {
            final Instant now = clock.instant();
            final Escalation escalation = work.escalation();
            final int slmPrompt = escalation == null ? 0 : escalation.getPromptTokens();
            final int slmCompletion = escalation == null ? 0 : escalation.getCompletionTokens();
            return InferenceResult.newBuilder()
                    .setRequestId(request.getRequestId())
                    .setTenant(request.getTenant())
                    .setStatus(status)
                    .setAnswer(answer)
                    .setLabel(label)
                    .setError(error)
                    .setTier(Tier.GPT)
                    .setModel(model)
                    .setEscalated(escalation != null)
                    .setEscalationReason(escalation == null ? null : escalation.getReason())
                    .setSchemaValid(schemaValid)
                    .setPromptTokens(promptTokens + slmPrompt)
                    .setCompletionTokens(completionTokens + slmCompletion)
                    .setCostUsd(cost + (escalation == null ? 0 : escalation.getCostUsd()))
                    .setQueueLatencyMs(firstCallAt == null ? 0 : Duration.between(request.getCreatedAt(), firstCallAt).toMillis())
                    .setBackendLatencyMs(backendTime.toMillis() + (escalation == null ? 0 : escalation.getLatencyMs()))
                    .setEndToEndLatencyMs(Duration.between(request.getCreatedAt(), now).toMillis())
                    .setAttempts(calls + (escalation == null ? 0 : escalation.getAttempts()))
                    .setAudit(Audit.newBuilder()
                            .setSeed(request.getSeed() != null ? request.getSeed() : config.defaultSeed())
                            .setTemperature(request.getTemperature() != null ? request.getTemperature() : 0.0)
                            .setMaxTokens(request.getMaxOutputTokens())
                            .setModelRevision(modelRevision)
                            .setSchemaId(request.getResponseSchema() == null ? null
                                    : AnswerSchemaValidator.schemaId(request.getResponseSchema()))
                            .setPolicyVersion(work.routed().getDecision().getPolicyVersion())
                            .build())
                    .setTaskType(work.routed().getDecision().getTaskType())
                    .setMetadata(request.getMetadata())
                    .setCompletedAt(now)
                    .build();
        }
    }

    /** Jittered exponential backoff from backoff.min to backoff.max; a retry-after hint wins, up to its cap. */
    Duration backoff(final int retry, final BackendException e) {
        if (e.retryAfter().isPresent()) {
            final Duration hinted = e.retryAfter().get();
            return hinted.compareTo(config.retryAfterCap()) > 0 ? config.retryAfterCap() : hinted;
        }
        final long ceiling = Math.min(config.backoffMax().toMillis(), config.backoffMin().toMillis() << retry);
        final long jittered;
        synchronized (jitter) {
            jittered = ceiling / 2 + (long) (jitter.nextDouble() * (ceiling / 2.0));
        }
        return Duration.ofMillis(jittered);
    }

    private static void sleep(final Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
