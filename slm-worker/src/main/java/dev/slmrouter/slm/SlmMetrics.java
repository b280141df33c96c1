package dev.slmrouter.slm;

import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.slm.health.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The SLM worker's metrics (Prometheus names): {@code slm_backend_latency_seconds},
 * {@code slm_confidence} (histogram of answer confidences), {@code slm_results_total},
 * {@code slm_escalations_total{reason}}, {@code slm_shadow_requests_total{mode}}, {@code slm_dead_letters_total}, {@code slm_call_retries_total},
 * {@code slm_circuit_state} (0 closed, 1 half-open, 2 open) and {@code slm_in_flight}.
 */
public final class SlmMetrics {

    private final Timer backendLatency;
    private final DistributionSummary confidence;
    private final Counter results;
    private final Counter deadLetters;
    private final Counter retries;
    private final Map<EscalationReason, Counter> escalations = new EnumMap<>(EscalationReason.class);
    private final Map<ShadowMode, Counter> shadowed = new EnumMap<>(ShadowMode.class);

    public SlmMetrics(final MeterRegistry registry, final CircuitBreaker breaker, final IntSupplier inFlight) {
        backendLatency = Timer.builder("slm.backend.latency").description("vLLM call latency")
                .publishPercentileHistogram().register(registry);
        confidence = DistributionSummary.builder("slm.confidence").description("Confidence of SLM answers")
                .serviceLevelObjectives(0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99).register(registry);
        results = Counter.builder("slm.results").description("Requests answered by the SLM").register(registry);
        deadLetters = Counter.builder("slm.dead.letters").description("Undecodable records").register(registry);
        retries = Counter.builder("slm.call.retries").description("vLLM calls retried").register(registry);
        for (EscalationReason reason : EscalationReason.values()) {
            escalations.put(reason, Counter.builder("slm.escalations").tag("reason", reason.name())
                    .description("Requests escalated to GPT, by reason").register(registry));
        }
        for (ShadowMode mode : List.of(ShadowMode.SAMPLE, ShadowMode.SHADOW_ONLY)) {
            shadowed.put(mode, Counter.builder("slm.shadow.requests").tag("mode", mode.name())
                    .description("Requests handed to the GPT worker for shadowing, by mode").register(registry));
        }
        Gauge.builder("slm.circuit.state", breaker, b -> b.state().ordinal()).register(registry);
        Gauge.builder("slm.in.flight", inFlight, IntSupplier::getAsInt).register(registry);
    }

    void call(final Duration latency) {
        backendLatency.record(latency);
    }

    void answered(final double answerConfidence) {
        results.increment();
        confidence.record(answerConfidence);
    }

    void escalated(final EscalationReason reason) {
        escalations.get(reason).increment();
    }

    void shadowed(final ShadowMode mode) {
        shadowed.get(mode).increment();
    }

    void deadLettered() {
        deadLetters.increment();
    }

    void retried() {
        retries.increment();
    }
}
