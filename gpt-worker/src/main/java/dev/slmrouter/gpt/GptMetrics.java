package dev.slmrouter.gpt;

import dev.slmrouter.events.AlertKind;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.gpt.budget.BudgetLedger;
import dev.slmrouter.gpt.limit.RateLimiter;
import dev.slmrouter.worker.client.BackendException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The GPT worker's metrics (Prometheus names): {@code gpt_calls_total{model}},
 * {@code gpt_tokens_total{model,kind}}, {@code gpt_cost_usd_total{model,tenant}},
 * {@code gpt_call_latency_seconds{model}}, {@code gpt_retries_total{kind}},
 * {@code gpt_rate_limited_total} (429s), {@code gpt_results_total{status}},
 * {@code gpt_alerts_total{kind}}, {@code gpt_ratelimit_wait_seconds} (time calls waited for the rate
 * limiter), {@code gpt_ratelimit_limit{kind}} (the requests and tokens per minute in force),
 * {@code gpt_budget_held} (requests held for a spent budget), {@code gpt_shadow_comparisons_total{mode,verdict,
 * task_type}}, {@code gpt_shadow_cost_usd_total{mode}} (shadow-side spend) and {@code gpt_budget_used_ratio{scope,tenant}}
 * (spend this month / budget; scope global or tenant). Tags are models, tenants and enums: bounded by
 * configuration and tenants, never by request content.
 */
public final class GptMetrics {

    private final MeterRegistry registry;
    private final Counter rateLimited;
    private final Timer limiterWait;
    private final AtomicInteger held = new AtomicInteger();
    private final Set<String> budgetGauges = ConcurrentHashMap.newKeySet();

    public GptMetrics(final MeterRegistry registry) {
        this.registry = registry;
        this.rateLimited = Counter.builder("gpt.rate.limited").description("429 answers from the API")
                .register(registry);
        this.limiterWait = Timer.builder("gpt.ratelimit.wait").description("Time calls waited for the rate limiter")
                .register(registry);
        Gauge.builder("gpt.budget.held", held, AtomicInteger::get)
                .description("Requests held in Kafka because a budget is spent").register(registry);
    }

    /** A shadow comparison written, by mode and verdict (agreed, disagreed, none). */
    void comparison(final ShadowComparison comparison) {
        final String verdict = comparison.getAgreed() == null ? "none" : comparison.getAgreed() ? "agreed" : "disagreed";
        Counter.builder("gpt.shadow.comparisons").tag("mode", comparison.getMode().name()).tag("verdict", verdict)
                .tag("task_type", comparison.getTaskType().name())
                .description("Shadow comparisons written, by mode, verdict and task type").register(registry).increment();
        Counter.builder("gpt.shadow.cost.usd").tag("mode", comparison.getMode().name())
                .description("Shadow-side spend (never part of a result's cost)").register(registry)
                .increment(comparison.getShadowCostUsd());
    }

    /** Exposes the limits in force (configured, or lowered by the API's headers). */
    void bind(final RateLimiter limiter) {
        Gauge.builder("gpt.ratelimit.limit", limiter, RateLimiter::requestsPerMinute).tag("kind", "requests")
                .description("Requests or tokens per minute the worker keeps under; 0 = none").register(registry);
        Gauge.builder("gpt.ratelimit.limit", limiter, RateLimiter::tokensPerMinute).tag("kind", "tokens")
                .register(registry);
    }

    /** Registers the global budget's used-ratio gauge (at start, so it is there before any call). */
    void bind(final BudgetLedger ledger) {
        final double global = ledger.budgets().globalUsd();
        if (global > 0 && budgetGauges.add("")) {
            Gauge.builder("gpt.budget.used.ratio", ledger, l -> l.globalSpend() / global)
                    .tag("scope", "global").tag("tenant", "")
                    .description("GPT spend this month / budget, calls in flight included").register(registry);
        }
    }

    /** Registers, once, the used-ratio gauge of {@code tenant}'s budget. */
    void budgetSeen(final BudgetLedger ledger, final String tenant) {
        final double budget = ledger.budgets().tenant(tenant);
        if (budget > 0 && budgetGauges.add("tenant/" + tenant)) {
            Gauge.builder("gpt.budget.used.ratio", ledger, l -> l.tenantSpend(tenant) / budget)
                    .tag("scope", "tenant").tag("tenant", tenant)
                    .description("GPT spend this month / budget, calls in flight included").register(registry);
        }
    }

    void limiterWait(final Duration waited) {
        limiterWait.record(waited);
    }

    void held(final int delta) {
        held.addAndGet(delta);
    }

    void alert(final AlertKind kind) {
        Counter.builder("gpt.alerts").tag("kind", kind.name()).register(registry).increment();
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
