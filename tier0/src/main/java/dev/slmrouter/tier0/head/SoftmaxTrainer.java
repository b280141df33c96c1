package dev.slmrouter.tier0.head;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains a {@link SoftmaxHead} on sentence vectors: multinomial logistic regression with an L2 penalty on
 * the weights (not the biases), minimized by {@link Lbfgs} on standardized features (each dimension scaled
 * to mean 0 and unit variance, which conditions the problem; the scaling is folded back into the weights).
 * The regularization strength is chosen on a stratified held-out part of the training data: every
 * candidate lambda is fitted on the rest, strongest first, each starting from the previous solution; the
 * one with the lowest held-out log-loss (then the best held-out accuracy) is refitted on all the data. Log-loss
 * rather than accuracy because tier 0 acts on the confidence: a proper scoring rule picks the penalty whose
 * probabilities are best calibrated, and held-out accuracies of neighbouring lambdas differ by a few examples.
 * Loss and gradient are computed on {@code threads} threads over slices of the examples.
 */
public final class SoftmaxTrainer {

    /** Candidate lambdas when none are given (penalty {@code lambda/2 * |W|^2} on the mean loss). */
    public static final List<Double> DEFAULT_LAMBDAS = List.of(1e-2, 3e-3, 1e-3, 3e-4);

    /** How to train. */
    public record Options(List<Double> lambdas, double holdoutFraction, long seed, int threads, int maxIterations,
                          double tolerance) {

        public Options {
            lambdas = List.copyOf(lambdas);
            if (lambdas.isEmpty()) {
                throw new IllegalArgumentException("at least one lambda is required");
            }
            if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
                throw new IllegalArgumentException("the held-out fraction must be in [0, 1)");
            }
            if (threads < 1 || maxIterations < 1) {
                throw new IllegalArgumentException("threads and maxIterations must be at least 1");
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_LAMBDAS, 0.2, 42, Math.max(1, Runtime.getRuntime().availableProcessors()), 300,
                    1e-6);
        }
    }

    /** One candidate's held-out score. */
    public record HoldoutScore(double lambda, double accuracy, double logLoss, int iterations) {
    }

    /** The trained head and how it was chosen. */
    public record Training(SoftmaxHead head, double lambda, List<HoldoutScore> holdout, int holdoutSize,
                           int finalIterations, boolean converged, double seconds) {
    }

    private SoftmaxTrainer() {
    }

    public static Training train(final float[][] x, final int[] y, final int labels, final Options options) {
        final long start = System.nanoTime();
        final ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            final Thread t = new Thread(r, "tier0-train");
            t.setDaemon(true);
            return t;
        });
        try {
            final List<Double> lambdas = options.lambdas().stream().sorted((a, b) -> Double.compare(b, a)).toList();
            final List<HoldoutScore> scores = new ArrayList<>();
            double chosen = lambdas.get(0);
            double[] warm = null;
            int holdoutSize = 0;
            if (lambdas.size() > 1 && options.holdoutFraction() > 0) {
                final int[][] split = stratifiedSplit(y, labels, options.holdoutFraction(), options.seed());
                final int[] fitRows = split[0];
                final int[] heldRows = split[1];
                holdoutSize = heldRows.length;
                if (heldRows.length > 0) {
                    final Problem problem = new Problem(rows(x, fitRows), pick(y, fitRows), labels, pool, options.threads(),
                            options.maxIterations());
                    HoldoutScore best = null;
                    double[] bestTheta = null;
                    for (double lambda : lambdas) {
                        final double[] theta = warm != null ? warm.clone() : new double[problem.parameters()];
                        // Ranking the candidates needs less precision than the final fit.
                        final Lbfgs.Result result = problem.fit(theta, lambda, options.tolerance() * 10);
                        warm = theta;
                        final SoftmaxHead head = problem.head(theta);
                        final HoldoutScore score = score(head, x, y, heldRows, lambda, result.iterations());
                        scores.add(score);
                        if (best == null || score.logLoss() < best.logLoss()
                                || score.logLoss() == best.logLoss() && score.accuracy() > best.accuracy()) {
                            best = score;
                            bestTheta = theta;
                        }
                    }
                    chosen = best.lambda();
                    // The final fit on all the data starts from the chosen candidate's solution.
                    warm = bestTheta;
                }
            }
            final Problem all = new Problem(x, y, labels, pool, options.threads(), options.maxIterations());
            final double[] theta = warm != null ? warm : new double[all.parameters()];
            final Lbfgs.Result result = all.fit(theta, chosen, options.tolerance());
            return new Training(all.head(theta), chosen, scores, holdoutSize, result.iterations(), result.converged(),
                    (System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static HoldoutScore score(final SoftmaxHead head, final float[][] x, final int[] y, final int[] rows,
                                      final double lambda, final int iterations) {
        int right = 0;
        double loss = 0;
        for (int i : rows) {
            final double[] p = head.probabilities(x[i]);
            if (SoftmaxHead.argmax(p) == y[i]) {
                right++;
            }
            loss -= Math.log(Math.max(1e-12, p[y[i]]));
        }
        return new HoldoutScore(lambda, (double) right / rows.length, loss / rows.length, iterations);
    }

    /** {fit rows, held-out rows}: {@code fraction} of each label held out (none of a label seen once). */
    static int[][] stratifiedSplit(final int[] y, final int labels, final double fraction, final long seed) {
        final List<List<Integer>> byLabel = new ArrayList<>();
        for (int k = 0; k < labels; k++) {
            byLabel.add(new ArrayList<>());
        }
        for (int i = 0; i < y.length; i++) {
            byLabel.get(y[i]).add(i);
        }
        final Random random = new Random(seed);
        final List<Integer> fit = new ArrayList<>();
        final List<Integer> held = new ArrayList<>();
        for (List<Integer> rows : byLabel) {
            java.util.Collections.shuffle(rows, random);
            final int out = rows.size() < 2 ? 0 : Math.max(1, (int) Math.round(rows.size() * fraction));
            for (int r = 0; r < rows.size(); r++) {
                (r < out ? held : fit).add(rows.get(r));
            }
        }
        return new int[][] {fit.stream().mapToInt(Integer::intValue).sorted().toArray(),
            held.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }

    private static float[][] rows(final float[][] x, final int[] rows) {
        final float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = x[rows[i]];
        }
        return out;
    }

    private static int[] pick(final int[] y, final int[] rows) {
        final int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }

    /** One data set, standardized, with the loss and gradient over it. */
    private static final class Problem {

        private final int n;
        private final int d;
        private final int labels;
        private final float[] xs;
        private final int[] y;
        private final double[] mean;
        private final double[] std;
        private final ExecutorService pool;
        private final int slices;
        private final int maxIterations;

        Problem(final float[][] x, final int[] y, final int labels, final ExecutorService pool, final int threads,
                final int maxIterations) {
            this.maxIterations = maxIterations;
            this.n = x.length;
            this.d = x[0].length;
            this.labels = labels;
            this.y = y;
            this.pool = pool;
            this.slices = Math.max(1, Math.min(threads, n / 64));
            this.mean = new double[d];
            this.std = new double[d];
            for (float[] row : x) {
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            for (float[] row : x) {
                for (int j = 0; j < d; j++) {
                    final double c = row[j] - mean[j];
                    std[j] += c * c;
                }
            }
            for (int j = 0; j < d; j++) {
                std[j] = Math.max(1e-6, Math.sqrt(std[j] / n));
            }
            this.xs = new float[n * d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    xs[i * d + j] = (float) ((x[i][j] - mean[j]) / std[j]);
                }
            }
        }

        int parameters() {
            return d * labels + labels;
        }

        Lbfgs.Result fit(final double[] theta, final double lambda, final double tolerance) {
            final Lbfgs lbfgs = new Lbfgs(10, maxIterations, 1e-5, tolerance);
            return lbfgs.minimize((t, g) -> lossAndGradient(t, g, lambda), theta);
        }

        /** The head in the original feature space: W[k][j] = V[j][k] / std[j], b[k] = c[k] - sum_j W[k][j] mean[j]. */
        SoftmaxHead head(final double[] theta) {
            final float[] w = new float[labels * d];
            final float[] b = new float[labels];
            for (int k = 0; k < labels; k++) {
                double shift = 0;
                for (int j = 0; j < d; j++) {
                    final double wkj = theta[j * labels + k] / std[j];
                    w[k * d + j] = (float) wkj;
                    shift += wkj * mean[j];
                }
                b[k] = (float) (theta[d * labels + k] - shift);
            }
            return new SoftmaxHead(labels, d, w, b);
        }

        double lossAndGradient(final double[] theta, final double[] gradient, final double lambda) {
            final float[] w = new float[d * labels];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) theta[i];
            }
            final float[] b = new float[labels];
            for (int k = 0; k < labels; k++) {
                b[k] = (float) theta[d * labels + k];
            }
            final List<Future<Partial>> parts = new ArrayList<>(slices);
            for (int s = 0; s < slices; s++) {
                final int from = (int) ((long) n * s / slices);
                final int to = (int) ((long) n * (s + 1) / slices);
                parts.add(pool.submit(() -> partial(w, b, from, to)));
            }
            Arrays.fill(gradient, 0);
            double loss = 0;
            try {
                for (Future<Partial> part : parts) {
                    final Partial p = part.get();
                    loss += p.loss;
                    for (int i = 0; i < p.gw.length; i++) {
                        gradient[i] += p.gw[i];
                    }
                    for (int k = 0; k < labels; k++) {
                        gradient[d * labels + k] += p.gb[k];
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while training", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("training failed", e.getCause());
            }
            loss /= n;
            double penalty = 0;
            for (int i = 0; i < d * labels; i++) {
                gradient[i] = gradient[i] / n + lambda * theta[i];
                penalty += theta[i] * theta[i];
            }
            for (int k = 0; k < labels; k++) {
                gradient[d * labels + k] /= n;
            }
            return loss + lambda / 2 * penalty;
        }

        private record Partial(double loss, float[] gw, double[] gb) {
        }

        private Partial partial(final float[] w, final float[] b, final int from, final int to) {
            final int k = labels;
            final float[] gw = new float[d * k];
            final double[] gb = new double[k];
            final float[] z = new float[k];
            final float[] r = new float[k];
            double loss = 0;
            for (int i = from; i < to; i++) {
                final int row = i * d;
                System.arraycopy(b, 0, z, 0, k);
                for (int j = 0; j < d; j++) {
                    final float xj = xs[row + j];
                    final int off = j * k;
                    for (int c = 0; c < k; c++) {
                        z[c] += xj * w[off + c];
                    }
                }
                float max = z[0];
                for (int c = 1; c < k; c++) {
                    max = Math.max(max, z[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    final double e = Math.exp(z[c] - max);
                    r[c] = (float) e;
                    sum += e;
                }
                final int yi = y[i];
                loss -= (z[yi] - max) - Math.log(sum);
                final float inv = (float) (1 / sum);
                for (int c = 0; c < k; c++) {
                    r[c] *= inv;
                }
                r[yi] -= 1f;
                for (int c = 0; c < k; c++) {
                    gb[c] += r[c];
                }
                for (int j = 0; j < d; j++) {
                    final float xj = xs[row + j];
                    final int off = j * k;
                    for (int c = 0; c < k; c++) {
                        gw[off + c] += xj * r[c];
                    }
                }
            }
            return new Partial(loss, gw, gb);
        }
    }
}
