package dev.slmrouter.insights.drift;

import dev.slmrouter.common.config.Settings;
import java.time.Duration;

/**
 * The drift monitor's bounds and windows, each a documented setting. A bound is the largest move of a
 * metric, in its bad direction, from its baseline that raises no alert: agreement and confidence falling,
 * escalation and schema-fail rates rising (absolute, e.g. 0.05 = 5 points).
 */
public record DriftSettings(double agreementBound, double escalationRateBound, double schemaFailRateBound,
                            double confidenceMeanBound, long minSamples, int baselineHours, int baselineDays,
                            Duration grace, Duration alertLookback) {

    public static DriftSettings from(final Settings s) {
        return new DriftSettings(
                s.doubleValue("drift.bound.shadow.agreement", 0.05, 0, 1),
                s.doubleValue("drift.bound.escalation.rate", 0.05, 0, 1),
                s.doubleValue("drift.bound.schema.fail.rate", 0.02, 0, 1),
                s.doubleValue("drift.bound.confidence.mean", 0.05, 0, 1),
                s.longValue("drift.min.samples", 100, 1, Long.MAX_VALUE),
                s.intValue("drift.baseline.hours", 24, 1, 24 * 31),
                s.intValue("drift.baseline.days", 7, 1, 366),
                s.duration("drift.grace", Duration.ofMinutes(5)),
                s.duration("drift.alert.lookback", Duration.ofHours(2)));
    }

    /** How far back the monitor must read at start to have every baseline. */
    public Duration history() {
        return Duration.ofDays(baselineDays + 1L).plus(Duration.ofHours(baselineHours)).plus(grace);
    }
}
