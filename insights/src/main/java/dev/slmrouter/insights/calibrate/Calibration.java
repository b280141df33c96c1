package dev.slmrouter.insights.calibrate;

import dev.slmrouter.common.stats.BinomialBounds;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.TaskType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds, per task type, the lowest confidence threshold whose accepted SLM answers agree with GPT at or
 * above a target rate by a one-sided Clopper-Pearson lower bound, from shadow comparisons. Only compared
 * pairs count (both answers present). An answer is accepted at threshold t when its confidence is at least
 * t and nothing but its confidence stood in the way (no escalation, or LOW_CONFIDENCE): a schema break or
 * a truncation escalates whatever the threshold. Every candidate on the grid is reported with its
 * escalation rate (share of the task type's compared requests not accepted), agreement and cost per million
 * requests (every request pays the SLM; escalated ones pay GPT too).
 */
public final class Calibration {

    private final double target;
    private final double confidence;
    private final double step;

    /**
     * @param target     the agreement the accepted answers must reach (e.g. 0.97)
     * @param confidence the bound's one-sided confidence (e.g. 0.95)
     * @param step       the grid of candidate thresholds (e.g. 0.01: 0.00, 0.01, ..., 1.00)
     */
    public Calibration(final double target, final double confidence, final double step) {
        if (!(target > 0 && target < 1) || !(confidence > 0 && confidence < 1) || !(step > 0 && step <= 0.5)) {
            throw new IllegalArgumentException("target and confidence must be in (0, 1), step in (0, 0.5]");
        }
        this.target = target;
        this.confidence = confidence;
        this.step = step;
    }

    /** One candidate threshold's figures. */
    public record Candidate(double threshold, int accepted, int agreeing, double agreement, double lowerBound,
                            double escalationRate, double costPerMillionUsd, boolean meetsTarget) {
    }

    /** A task type's candidates and the chosen threshold, if one meets the target. */
    public record TaskCalibration(TaskType taskType, int compared, List<Candidate> candidates,
                                  Optional<Candidate> chosen) {
    }

    public Map<TaskType, TaskCalibration> calibrate(final List<ShadowComparison> comparisons) {
        final Map<TaskType, List<ShadowComparison>> byType = new EnumMap<>(TaskType.class);
        for (final ShadowComparison c : comparisons) {
            if (c.getAgreed() != null) {
                byType.computeIfAbsent(c.getTaskType(), t -> new ArrayList<>()).add(c);
            }
        }
        final Map<TaskType, TaskCalibration> out = new EnumMap<>(TaskType.class);
        byType.forEach((type, list) -> out.put(type, calibrate(type, list)));
        return out;
    }

    private TaskCalibration calibrate(final TaskType type, final List<ShadowComparison> list) {
        final List<Candidate> candidates = new ArrayList<>();
        Candidate chosen = null;
        final int steps = (int) Math.round(1 / step);
        for (int i = 0; i <= steps; i++) {
            final double t = Math.min(1.0, Math.round(i * step * 1e6) / 1e6);
            int accepted = 0;
            int agreeing = 0;
            double cost = 0;
            for (final ShadowComparison c : list) {
                cost += c.getSlmCostUsd();
                if (acceptedAt(c, t)) {
                    accepted++;
                    agreeing += c.getAgreed() ? 1 : 0;
                } else {
                    cost += c.getGptCostUsd();
                }
            }
            final double lower = accepted == 0 ? 0 : BinomialBounds.lower(agreeing, accepted, confidence);
            final Candidate candidate = new Candidate(t, accepted, agreeing,
                    accepted == 0 ? Double.NaN : (double) agreeing / accepted, lower,
                    1 - (double) accepted / list.size(), cost / list.size() * 1_000_000, accepted > 0 && lower >= target);
            candidates.add(candidate);
            if (chosen == null && candidate.meetsTarget()) {
                chosen = candidate;
            }
        }
        return new TaskCalibration(type, list.size(), candidates, Optional.ofNullable(chosen));
    }

    static boolean acceptedAt(final ShadowComparison c, final double threshold) {
        final EscalationReason reason = c.getSlmEscalationReason();
        return c.getSlmConfidence() != null && c.getSlmConfidence() >= threshold
                && (reason == null || reason == EscalationReason.LOW_CONFIDENCE);
    }
}
