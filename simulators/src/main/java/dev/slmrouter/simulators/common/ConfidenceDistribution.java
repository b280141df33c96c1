package dev.slmrouter.simulators.common;

import java.util.SplittableRandom;

/**
 * Where the simulated model's confidence comes from: each unscripted answer draws one value in (0, 1]
 * and its logprobs are shaped so that a client recovers exactly that value ({@link LogprobShaper}).
 * Factories give a fixed value, a Beta distribution and a two-component mixture (a share of confident
 * answers and the rest unconfident), which is what a calibrated small model looks like on a task mix.
 */
@FunctionalInterface
public interface ConfidenceDistribution {

    /** The smallest confidence ever returned, so logprobs stay finite. */
    double FLOOR = 1e-6;

    double draw(SplittableRandom rng);

    /** Always the same value. */
    static ConfidenceDistribution fixed(final double confidence) {
        check(confidence);
        return rng -> confidence;
    }

    /** Beta(alpha, beta); e.g. Beta(99, 1) has mean 0.99, Beta(5, 5) is centered on 0.5. */
    static ConfidenceDistribution beta(final double alpha, final double beta) {
        if (!(alpha > 0 && beta > 0)) {
            throw new IllegalArgumentException("beta parameters must be positive");
        }
        return rng -> {
            final double x = Gamma.sample(rng, alpha);
            final double y = Gamma.sample(rng, beta);
            return clamp(x / (x + y));
        };
    }

    /** With probability {@code confidentShare} draw from {@code confident}, else from {@code unconfident}. */
    static ConfidenceDistribution mixture(final double confidentShare, final ConfidenceDistribution confident,
                                          final ConfidenceDistribution unconfident) {
        if (!(confidentShare >= 0 && confidentShare <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1]");
        }
        return rng -> rng.nextDouble() < confidentShare ? confident.draw(rng) : unconfident.draw(rng);
    }

    /** The default: 85% confident answers (Beta(99, 1), about 0.99) and 15% unsure ones (Beta(5, 5), about 0.5). */
    static ConfidenceDistribution typical() {
        return mixture(0.85, beta(99, 1), beta(5, 5));
    }

    private static void check(final double confidence) {
        if (!(confidence > 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1]: " + confidence);
        }
    }

    private static double clamp(final double value) {
        return Math.min(1.0, Math.max(FLOOR, value));
    }
}
