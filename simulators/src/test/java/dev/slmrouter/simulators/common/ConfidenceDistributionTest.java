package dev.slmrouter.simulators.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class ConfidenceDistributionTest {

    private static double[] draws(final ConfidenceDistribution d, final int n) {
        final SplittableRandom rng = new SplittableRandom(11);
        return DoubleStream.generate(() -> d.draw(rng)).limit(n).toArray();
    }

    @Test
    void shouldDrawBetaValuesWithTheRightMeanInsideTheUnitInterval() {
        final double[] values = draws(ConfidenceDistribution.beta(2, 6), 20_000);
        assertThat(DoubleStream.of(values).average().orElseThrow()).isCloseTo(0.25, within(0.01));
        assertThat(DoubleStream.of(values).min().orElseThrow()).isGreaterThan(0);
        assertThat(DoubleStream.of(values).max().orElseThrow()).isLessThanOrEqualTo(1);
    }

    @Test
    void shouldDrawSmallShapesToo() {
        final double[] values = draws(ConfidenceDistribution.beta(0.5, 0.5), 20_000);
        assertThat(DoubleStream.of(values).average().orElseThrow()).isCloseTo(0.5, within(0.02));
    }

    @Test
    void shouldMixConfidentAndUnconfidentAnswersInTheConfiguredShare() {
        final ConfidenceDistribution mix = ConfidenceDistribution.mixture(0.8,
                ConfidenceDistribution.fixed(0.99), ConfidenceDistribution.fixed(0.5));
        final double[] values = draws(mix, 10_000);
        final long confident = DoubleStream.of(values).filter(v -> v == 0.99).count();
        assertThat(confident / 10_000.0).isCloseTo(0.8, within(0.02));
    }

    @Test
    void shouldRejectConfidenceOutsideTheUnitInterval() {
        assertThatThrownBy(() -> ConfidenceDistribution.fixed(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfidenceDistribution.fixed(1.2)).isInstanceOf(IllegalArgumentException.class);
    }
}
