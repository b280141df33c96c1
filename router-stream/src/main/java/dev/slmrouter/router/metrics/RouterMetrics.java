package dev.slmrouter.router.metrics;

import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.router.language.TieredLanguageDetector;
import dev.slmrouter.router.validation.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The router's own metrics. Tags are enums only (tier, task type, rule, reason), so cardinality is
 * bounded; counters are looked up once and cached, because the hot path runs at tens of thousands of
 * requests per second.
 * <ul>
 *   <li>{@code router_requests_routed_total{tier,task_type,rule}}</li>
 *   <li>{@code router_dead_letters_total{reason}}</li>
 *   <li>{@code router_dedupe_forgotten_total}: request ids forgotten before the end of the dedupe window
 *       because a stream task held {@code router.dedupe.max.ids} (a resend of one would be routed again)</li>
 *   <li>{@code router_classification_seconds} (task type and language inference of unhinted requests)</li>
 *   <li>{@code router_language_detections_total{stage}} (which detector stage placed a text: script,
 *       trigrams, lingua, no_letters), when the detector reports it</li>
 * </ul>
 */
public final class RouterMetrics {

    private final MeterRegistry registry;
    /** [tier][task type][rule], filled lazily; a benign race re-registers the same meter. */
    private final Counter[][][] routed =
            new Counter[Tier.values().length][TaskType.values().length][RoutingRule.values().length];
    private final Map<RejectionReason, Counter> deadLetters = new EnumMap<>(RejectionReason.class);
    private final Timer classification;
    private final Counter dedupeForgotten;

    public RouterMetrics(final MeterRegistry registry) {
        this.registry = registry;
        for (RejectionReason reason : RejectionReason.values()) {
            deadLetters.put(reason, Counter.builder("router.dead.letters")
                    .description("Requests sent to the dead-letter topic, by reason")
                    .tag("reason", reason.name()).register(registry));
        }
        this.dedupeForgotten = Counter.builder("router.dedupe.forgotten")
                .description("Request ids forgotten before the end of the dedupe window because a stream task held"
                        + " router.dedupe.max.ids")
                .register(registry);
        this.classification = Timer.builder("router.classification")
                .description("Time to infer task type and language of requests without hints")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** Publishes how many texts each stage of {@code detector} has placed. */
    public void bindLanguageStages(final TieredLanguageDetector detector) {
        for (TieredLanguageDetector.Stage stage : TieredLanguageDetector.Stage.values()) {
            FunctionCounter.builder("router.language.detections", detector,
                            d -> d.decidedByStage().getOrDefault(stage, 0L))
                    .description("Texts whose language was placed, by the detector stage that placed it")
                    .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
    }

    public void routed(final RoutingDecision decision) {
        routedCounter(decision.getTier(), decision.getTaskType(), decision.getRule()).increment();
    }

    private Counter routedCounter(final Tier tier, final TaskType taskType, final RoutingRule rule) {
        Counter counter = routed[tier.ordinal()][taskType.ordinal()][rule.ordinal()];
        if (counter == null) {
            counter = Counter.builder("router.requests.routed")
                    .description("Requests routed, by tier, task type and deciding rule")
                    .tags("tier", tier.name(), "task_type", taskType.name(), "rule", rule.name())
                    .register(registry);
            routed[tier.ordinal()][taskType.ordinal()][rule.ordinal()] = counter;
        }
        return counter;
    }

    public void deadLettered(final RejectionReason reason) {
        deadLetters.get(reason).increment();
    }

    public void dedupeForgotten(final long ids) {
        dedupeForgotten.increment(ids);
    }

    public void classificationTook(final long nanos) {
        classification.record(nanos, TimeUnit.NANOSECONDS);
    }
}
