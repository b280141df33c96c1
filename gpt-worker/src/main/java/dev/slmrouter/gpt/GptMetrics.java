package dev.slmrouter.gpt;

import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.worker.client.BackendException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The GPT worker's metrics (Prometheus names): {@code gpt_calls_total{model}},
 * {@code gpt_tokens_total{model,kind}}, {@code gpt_cost_usd_total{model,tenant}},
 * {@code gpt_call_latency_seconds{model}}, {@code gpt_retries_total{kind}},
 * {@code gpt_rate_limited_total} (429s) and {@code gpt_results_total{status}}. Tags are models,
 * tenants and enums: bounded by configuration, never by request content.
 */
public final class GptMetrics {

    private final MeterRegistry registry;
    private final Counter rateLimited;

    public GptMetrics(final MeterRegistry registry) {
        this.registry = registry;
        this.rateLimited = Counter.builder("gpt.rate.limited").description("429 answers from the API")
                .register(registry);
    }

    void call(final String model, final String tenant, final Duration latency, final int promptTokens,
              final int completionTokens, final double costUsd) {
        Counter.builder("gpt.calls").tag("model", model).register(registry).increment();
        Timer.builder("gpt.call.latency").tag("model", model).register(registry).record(latency);
        Counter.builder("gpt.tokens").tag("model", model).tag("kind", "prompt").register(registry)
                .increment(promptTokens);
        Counter.builder("gpt.tokens").tag("model", model).tag("kind", "completion").register(registry)
                .increment(completionTokens);
        Counter.builder("gpt.cost.usd").tag("model", model).tag("tenant", tenant).register(registry)
                .increment(costUsd);
    }

    void failed(final BackendException e, final boolean willRetry) {
        if (e.kind() == BackendException.Kind.RATE_LIMITED || e.kind() == BackendException.Kind.QUOTA_EXHAUSTED) {
            rateLimited.increment();
        }
        if (willRetry) {
            Counter.builder("gpt.retries").tag("kind", e.kind().name()).register(registry).increment();
        }
    }

    void result(final ResultStatus status) {
        Counter.builder("gpt.results").tag("status", status.name()).register(registry).increment();
    }
}
