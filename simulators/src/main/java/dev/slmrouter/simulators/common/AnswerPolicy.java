package dev.slmrouter.simulators.common;

/**
 * How unscripted answers come out: the confidence distribution, the share of answers that break the
 * requested schema or get truncated (applied only to requests with no script directive), and the mean
 * length of free-text answers (each draws uniformly from 0.5x to 1.5x of it).
 */
public record AnswerPolicy(ConfidenceDistribution confidence, double schemaBreakRate, double truncateRate,
                           int meanOutputTokens) {

    public AnswerPolicy {
        if (schemaBreakRate < 0 || schemaBreakRate > 1 || truncateRate < 0 || truncateRate > 1) {
            throw new IllegalArgumentException("rates must be in [0, 1]");
        }
        if (meanOutputTokens < 1) {
            throw new IllegalArgumentException("meanOutputTokens must be positive");
        }
    }

    public static AnswerPolicy defaults() {
        return new AnswerPolicy(ConfidenceDistribution.typical(), 0.0, 0.0, 48);
    }
}
