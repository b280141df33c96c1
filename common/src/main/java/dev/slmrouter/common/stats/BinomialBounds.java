package dev.slmrouter.common.stats;

/**
 * Exact (Clopper-Pearson) confidence bounds for a binomial proportion, e.g. the accuracy of the answers a
 * threshold accepts: {@code k} right out of {@code n}. One-sided bounds answer "with 95% confidence the
 * accuracy is at least ..."; the two-sided interval puts half the error on each side. No dependencies, so
 * any module (tier 0's evaluation, the shadow-mode calibration) can use it.
 */
public final class BinomialBounds {

    private BinomialBounds() {
    }

    /** An interval [lower, upper]. */
    public record Interval(double lower, double upper) {
    }

    /**
     * The one-sided lower bound: the smallest p such that seeing {@code k} or more successes in {@code n}
     * has probability at least {@code 1 - confidence}; 0 when k = 0 (and for n = 0).
     */
    public static double lower(final long k, final long n, final double confidence) {
        check(k, n, confidence);
        if (k == 0) {
            return 0.0;
        }
        return betaQuantile(1 - confidence, k, n - k + 1);
    }

    /** The one-sided upper bound; 1 when k = n (and for n = 0). */
    public static double upper(final long k, final long n, final double confidence) {
        check(k, n, confidence);
        if (k == n) {
            return 1.0;
        }
        return betaQuantile(confidence, k + 1, n - k);
    }

    /** The two-sided interval at {@code confidence} (each bound one-sided at (1 + confidence) / 2). */
    public static Interval interval(final long k, final long n, final double confidence) {
        final double oneSided = (1 + confidence) / 2;
        return new Interval(lower(k, n, oneSided), upper(k, n, oneSided));
    }

    private static void check(final long k, final long n, final double confidence) {
        if (n < 0 || k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n, got k=" + k + ", n=" + n);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
    }

    /** The p-quantile of Beta(a, b): the x with I_x(a, b) = p, by bisection (I is increasing in x). */
    public static double betaQuantile(final double p, final double a, final double b) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
            final double mid = (lo + hi) / 2;
            if (regularizedBeta(mid, a, b) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** The regularized incomplete beta function I_x(a, b), by its continued fraction (Lentz's method). */
    public static double regularizedBeta(final double x, final double a, final double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        final double logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(logFront) * continuedFraction(x, a, b) / a;
        }
        return 1 - Math.exp(logFront) * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(final double x, final double a, final double b) {
        final double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = Math.abs(d) < tiny ? tiny : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            final int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            final double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return h;
    }

    private static double logBeta(final double a, final double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-15). */
    public static double logGamma(final double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        final double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        final double z = x - 1;
        double sum = g[0];
        for (int i = 1; i < g.length; i++) {
            sum += g[i] / (z + i);
        }
        final double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
