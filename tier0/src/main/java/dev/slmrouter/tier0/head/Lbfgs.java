package dev.slmrouter.tier0.head;

/**
 * Limited-memory BFGS for smooth convex objectives (here: the L2-regularized softmax loss): two-loop
 * recursion over the last {@code memory} steps, backtracking line search with the Armijo condition, and
 * a curvature check that skips pairs which would break positive definiteness.
 */
public final class Lbfgs {

    /** The objective: writes the gradient at {@code x} into {@code gradient} and returns the value. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    /** How a minimization ended. */
    public record Result(double value, int iterations, int evaluations, boolean converged) {
    }

    private final int memory;
    private final int maxIterations;
    private final double gradientTolerance;
    private final double relativeTolerance;

    public Lbfgs(final int memory, final int maxIterations, final double gradientTolerance,
                 final double relativeTolerance) {
        this.memory = memory;
        this.maxIterations = maxIterations;
        this.gradientTolerance = gradientTolerance;
        this.relativeTolerance = relativeTolerance;
    }

    /** Minimizes {@code f} starting from {@code x}, which holds the minimizer afterwards. */
    public Result minimize(final Objective f, final double[] x) {
        final int n = x.length;
        final double[][] s = new double[memory][n];
        final double[][] y = new double[memory][n];
        final double[] rho = new double[memory];
        final double[] alpha = new double[memory];
        double[] g = new double[n];
        double[] gNew = new double[n];
        final double[] direction = new double[n];
        final double[] xNew = new double[n];
        double value = f.evaluate(x, g);
        int evaluations = 1;
        int stored = 0;
        int head = 0;
        for (int iteration = 1; iteration <= maxIterations; iteration++) {
            if (maxAbs(g) < gradientTolerance) {
                return new Result(value, iteration - 1, evaluations, true);
            }
            // Two-loop recursion: direction = -H g.
            System.arraycopy(g, 0, direction, 0, n);
            for (int i = 0; i < stored; i++) {
                final int k = Math.floorMod(head - 1 - i, memory);
                alpha[k] = rho[k] * dot(s[k], direction);
                axpy(-alpha[k], y[k], direction);
            }
            double gamma = 1;
            if (stored > 0) {
                final int last = Math.floorMod(head - 1, memory);
                gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
            } else {
                gamma = 1 / Math.max(1e-12, Math.sqrt(dot(g, g)));
            }
            scale(direction, gamma);
            for (int i = stored - 1; i >= 0; i--) {
                final int k = Math.floorMod(head - 1 - i, memory);
                final double beta = rho[k] * dot(y[k], direction);
                axpy(alpha[k] - beta, s[k], direction);
            }
            scale(direction, -1);
            double slope = dot(g, direction);
            if (slope >= 0) {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                for (int j = 0; j < n; j++) {
                    direction[j] = -g[j];
                }
                slope = dot(g, direction);
                stored = 0;
            }
            double step = 1;
            double valueNew;
            while (true) {
                for (int j = 0; j < n; j++) {
                    xNew[j] = x[j] + step * direction[j];
                }
                valueNew = f.evaluate(xNew, gNew);
                evaluations++;
                if (valueNew <= value + 1e-4 * step * slope || step < 1e-10) {
                    break;
                }
                step *= 0.5;
            }
            if (step < 1e-10 && valueNew > value) {
                return new Result(value, iteration, evaluations, false);
            }
            final int k = head;
            double sy = 0;
            for (int j = 0; j < n; j++) {
                s[k][j] = xNew[j] - x[j];
                y[k][j] = gNew[j] - g[j];
                sy += s[k][j] * y[k][j];
            }
            if (sy > 1e-12) {
                rho[k] = 1 / sy;
                head = (head + 1) % memory;
                stored = Math.min(stored + 1, memory);
            }
            System.arraycopy(xNew, 0, x, 0, n);
            final double[] swap = g;
            g = gNew;
            gNew = swap;
            final double change = Math.abs(value - valueNew) / Math.max(1, Math.abs(value));
            value = valueNew;
            if (change < relativeTolerance) {
                return new Result(value, iteration, evaluations, true);
            }
        }
        return new Result(value, maxIterations, evaluations, false);
    }

    private static double dot(final double[] a, final double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(final double a, final double[] x, final double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static void scale(final double[] x, final double a) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= a;
        }
    }

    private static double maxAbs(final double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
