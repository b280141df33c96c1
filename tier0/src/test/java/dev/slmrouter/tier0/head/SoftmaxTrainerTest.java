package dev.slmrouter.tier0.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxTrainerTest {

    /** n points around K random unit centres in d dimensions, with noise. */
    private static float[][] blobs(final int n, final int k, final int d, final double noise, final long seed, final int[] y) {
        final Random r = new Random(seed);
        final Random centres = new Random(99);
        final double[][] c = new double[k][d];
        for (double[] centre : c) {
            for (int j = 0; j < d; j++) {
                centre[j] = centres.nextGaussian();
            }
        }
        final float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (c[y[i]][j] + noise * r.nextGaussian() + 3.0);
            }
        }
        return x;
    }

    @Test
    void shouldLearnSeparableClassesAndChooseALambdaOnTheHeldOutPart() {
        final int[] y = new int[1_200];
        final float[][] x = blobs(1_200, 6, 24, 1.2, 1, y);
        final SoftmaxTrainer.Training t = SoftmaxTrainer.train(x, y, 6,
                new SoftmaxTrainer.Options(List.of(1e-1, 1e-2, 1e-3), 0.2, 42, 2, 300, 1e-7));
        assertThat(t.holdout()).hasSize(3);
        assertThat(t.holdoutSize()).isEqualTo(240);
        assertThat(t.lambda()).isIn(1e-1, 1e-2, 1e-3);
        final int[] yTest = new int[600];
        final float[][] test = blobs(600, 6, 24, 1.2, 2, yTest);
        int right = 0;
        for (int i = 0; i < test.length; i++) {
            final double[] p = t.head().probabilities(test[i]);
            assertThat(java.util.Arrays.stream(p).sum()).isCloseTo(1.0, offset(1e-9));
            right += SoftmaxHead.argmax(p) == yTest[i] ? 1 : 0;
        }
        assertThat(right / 600.0).isGreaterThan(0.95);
    }

    @Test
    void shouldShrinkConfidenceAsRegularizationGrows() {
        final int[] y = new int[300];
        final float[][] x = blobs(300, 3, 8, 1.0, 3, y);
        final SoftmaxHead weak = SoftmaxTrainer.train(x, y, 3,
                new SoftmaxTrainer.Options(List.of(1e-4), 0, 1, 1, 300, 1e-9)).head();
        final SoftmaxHead strong = SoftmaxTrainer.train(x, y, 3,
                new SoftmaxTrainer.Options(List.of(1.0), 0, 1, 1, 300, 1e-9)).head();
        double weakTop = 0;
        double strongTop = 0;
        for (float[] row : x) {
            weakTop += max(weak.probabilities(row));
            strongTop += max(strong.probabilities(row));
        }
        assertThat(strongTop).isLessThan(weakTop);
    }

    @Test
    void shouldMinimizeAQuadraticExactly() {
        // f(x) = sum (i+1) (x_i - i)^2, minimum at x_i = i.
        final Lbfgs lbfgs = new Lbfgs(5, 200, 1e-10, 0);
        final double[] x = new double[10];
        final Lbfgs.Result r = lbfgs.minimize((p, g) -> {
            double f = 0;
            for (int i = 0; i < p.length; i++) {
                f += (i + 1) * (p[i] - i) * (p[i] - i);
                g[i] = 2 * (i + 1) * (p[i] - i);
            }
            return f;
        }, x);
        assertThat(r.converged()).isTrue();
        for (int i = 0; i < x.length; i++) {
            assertThat(x[i]).isCloseTo(i, offset(1e-6));
        }
    }

    @Test
    void shouldHoldOutEveryLabelButNeverALabelSeenOnce() {
        final int[] y = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2};
        final int[][] split = SoftmaxTrainer.stratifiedSplit(y, 3, 0.2, 1);
        assertThat(split[1]).hasSize(2);
        assertThat(split[0]).hasSize(9).contains(10);
        assertThat(java.util.Arrays.stream(split[1]).map(i -> y[i]).sorted().toArray()).containsExactly(0, 1);
    }

    private static double max(final double[] p) {
        return java.util.Arrays.stream(p).max().orElseThrow();
    }
}
