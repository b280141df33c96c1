package dev.slmrouter.insights.drift;

import dev.slmrouter.events.EscalationReason;
import java.util.ArrayList;
import java.util.List;

/**
 * One watched metric: how it is computed from a window's figures (value and the count it rests on), which
 * direction is bad and its bound. Escalation rates are one metric per reason except SCHEMA_FAIL, which is
 * the schema-fail rate, so one move raises one alert.
 */
record DriftMetric(String name, boolean badWhenRising, double bound, Reading reading) {

    /** The metric's value over some figures, and its denominator. */
    interface Reading {
        double value(WindowStats s);

        long samples(WindowStats s);
    }

    static List<DriftMetric> all(final DriftSettings settings) {
        final List<DriftMetric> metrics = new ArrayList<>();
        metrics.add(new DriftMetric("shadow_agreement", false, settings.agreementBound(), new Reading() {
            public double value(final WindowStats s) {
                return (double) s.agreed / s.compared;
            }

            public long samples(final WindowStats s) {
                return s.compared;
            }
        }));
        metrics.add(new DriftMetric("confidence_mean", false, settings.confidenceMeanBound(), new Reading() {
            public double value(final WindowStats s) {
                return s.confidenceSum / s.confidenceCount;
            }

            public long samples(final WindowStats s) {
                return s.confidenceCount;
            }
        }));
        // The low end of the distribution: a model update that makes a tenth of answers unsure barely moves the mean.
        metrics.add(new DriftMetric("confidence_p10", false, settings.confidenceMeanBound(), new Reading() {
            public double value(final WindowStats s) {
                return s.confidenceP10();
            }

            public long samples(final WindowStats s) {
                return s.confidenceCount;
            }
        }));
        for (final EscalationReason reason : EscalationReason.values()) {
            if (reason == EscalationReason.UNKNOWN) {
                continue;
            }
            final boolean schema = reason == EscalationReason.SCHEMA_FAIL;
            metrics.add(new DriftMetric(schema ? "schema_fail_rate" : "escalation_rate/" + reason.name(), true,
                    schema ? settings.schemaFailRateBound() : settings.escalationRateBound(), new Reading() {
                public double value(final WindowStats s) {
                    return (double) s.escalations[reason.ordinal()] / s.handled;
                }

                public long samples(final WindowStats s) {
                    return s.handled;
                }
            }));
        }
        return metrics;
    }
}
