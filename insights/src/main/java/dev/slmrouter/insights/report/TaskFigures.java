package dev.slmrouter.insights.report;

import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.events.Tier;
import java.util.EnumMap;
import java.util.Map;

/** What one task type's results and shadow comparisons in the report's range add up to. */
public final class TaskFigures {

    long results;
    final Map<Tier, Long> byTier = new EnumMap<>(Tier.class);
    final Map<EscalationReason, Long> escalations = new EnumMap<>(EscalationReason.class);
    double cost;
    /** Cost and count of answers that used one tier only (SLM-answered; GPT-answered without escalation). */
    final Map<Tier, double[]> directCost = new EnumMap<>(Tier.class);
    long compared;
    long agreed;
    /** Per-request costs recorded by shadow comparisons, for a tier that answered nothing directly. */
    final double[] shadowSlmCost = new double[2];
    final double[] shadowGptCost = new double[2];

    void add(final InferenceResult r) {
        results++;
        byTier.merge(r.getTier(), 1L, Long::sum);
        cost += r.getCostUsd();
        if (r.getEscalated() && r.getEscalationReason() != null) {
            escalations.merge(r.getEscalationReason(), 1L, Long::sum);
        } else if (r.getCostUsd() > 0) {
            final double[] c = directCost.computeIfAbsent(r.getTier(), t -> new double[2]);
            c[0] += r.getCostUsd();
            c[1]++;
        }
    }

    void add(final ShadowComparison c) {
        if (c.getAgreed() != null) {
            compared++;
            agreed += c.getAgreed() ? 1 : 0;
        }
        if (c.getSlmCostUsd() > 0 && c.getMode() != ShadowMode.ESCALATED) {
            shadowSlmCost[0] += c.getSlmCostUsd();
            shadowSlmCost[1]++;
        }
        if (c.getGptCostUsd() > 0) {
            shadowGptCost[0] += c.getGptCostUsd();
            shadowGptCost[1]++;
        }
    }

    public long results() {
        return results;
    }

    public long tier(final Tier tier) {
        return byTier.getOrDefault(tier, 0L);
    }

    /** Requests the SLM handled: it answered them, or escalated them. */
    public long slmHandled() {
        return tier(Tier.SLM) + escalations.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<EscalationReason, Long> escalations() {
        return escalations;
    }

    /** Agreement of the compared pairs, NaN without any. */
    public double agreement() {
        return compared == 0 ? Double.NaN : (double) agreed / compared;
    }

    public long compared() {
        return compared;
    }

    /** USD per request on {@code tier} alone: from its direct answers, else what shadow comparisons recorded; NaN if unknown. */
    public double perRequest(final Tier tier) {
        final double[] direct = directCost.get(tier);
        if (direct != null && direct[1] > 0) {
            return direct[0] / direct[1];
        }
        final double[] shadow = tier == Tier.SLM ? shadowSlmCost : tier == Tier.GPT ? shadowGptCost : null;
        return shadow != null && shadow[1] > 0 ? shadow[0] / shadow[1] : Double.NaN;
    }

    /** USD per request of the current mix (all results, escalations with both tiers' costs). */
    public double mixPerRequest() {
        return results == 0 ? Double.NaN : cost / results;
    }
}
