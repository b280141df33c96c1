package dev.slmrouter.insights.drift;

import dev.slmrouter.events.EscalationReason;

/** What one window saw for one task type and tenant; baselines add several of them up. */
final class WindowStats {

    /** Requests the SLM handled: answered plus escalated. */
    long handled;
    final long[] escalations = new long[EscalationReason.values().length];
    double confidenceSum;
    long confidenceCount;
    /** Confidences in 20 buckets of 0.05, for the distribution's low quantile. */
    final long[] confidenceBuckets = new long[20];
    long compared;
    long agreed;
    boolean evaluated;

    void answered(final Double confidence) {
        handled++;
        confidence(confidence);
    }

    void escalated(final EscalationReason reason, final Double confidence) {
        handled++;
        escalations[reason.ordinal()]++;
        confidence(confidence);
    }

    void compared(final boolean agreedWithGpt) {
        compared++;
        agreed += agreedWithGpt ? 1 : 0;
    }

    private void confidence(final Double confidence) {
        if (confidence != null) {
            confidenceSum += confidence;
            confidenceCount++;
            confidenceBuckets[Math.min(19, Math.max(0, (int) (confidence * 20)))]++;
        }
    }

    void add(final WindowStats other) {
        handled += other.handled;
        for (int i = 0; i < escalations.length; i++) {
            escalations[i] += other.escalations[i];
        }
        confidenceSum += other.confidenceSum;
        confidenceCount += other.confidenceCount;
        for (int i = 0; i < confidenceBuckets.length; i++) {
            confidenceBuckets[i] += other.confidenceBuckets[i];
        }
        compared += other.compared;
        agreed += other.agreed;
    }

    /** The upper edge of the bucket holding the 10th percentile of the confidences, NaN without any. */
    double confidenceP10() {
        if (confidenceCount == 0) {
            return Double.NaN;
        }
        long seen = 0;
        for (int i = 0; i < confidenceBuckets.length; i++) {
            seen += confidenceBuckets[i];
            if (seen >= Math.ceil(0.1 * confidenceCount)) {
                return (i + 1) / 20.0;
            }
        }
        return 1.0;
    }
}
