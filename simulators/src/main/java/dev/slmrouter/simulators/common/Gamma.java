package dev.slmrouter.simulators.common;

import java.util.SplittableRandom;

/**
 * Gamma(shape, 1) sampling by Marsaglia and Tsang's method, the building block of Beta draws. Written
 * out because the simulators must stay deterministic per seed, which rules out library samplers with
 * their own generators.
 */
final class Gamma {

    private Gamma() {
    }

    static double sample(final SplittableRandom rng, final double shape) {
        if (shape < 1.0) {
            // Boost: Gamma(a) = Gamma(a + 1) * U^(1/a)
            return sample(rng, shape + 1.0) * Math.pow(rng.nextDouble(), 1.0 / shape);
        }
        final double d = shape - 1.0 / 3.0;
        final double c = 1.0 / Math.sqrt(9.0 * d);
        while (true) {
            double x;
            double v;
            do {
                x = normal(rng);
                v = 1.0 + c * x;
            } while (v <= 0);
            v = v * v * v;
            final double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    private static double normal(final SplittableRandom rng) {
        // Box-Muller; one value per call is enough here
        final double u1 = 1.0 - rng.nextDouble();
        final double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
