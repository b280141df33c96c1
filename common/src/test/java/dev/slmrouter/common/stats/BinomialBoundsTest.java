package dev.slmrouter.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class BinomialBoundsTest {

    @Test
    void shouldGiveTheClosedFormBoundsAtTheEdges() {
        // k = n: the one-sided lower bound solves p^n = alpha.
        assertThat(BinomialBounds.lower(100, 100, 0.95)).isCloseTo(Math.pow(0.05, 1 / 100.0), offset(1e-9));
        // k = 0: the one-sided upper bound solves (1-p)^n = alpha.
        assertThat(BinomialBounds.upper(0, 50, 0.95)).isCloseTo(1 - Math.pow(0.05, 1 / 50.0), offset(1e-9));
        assertThat(BinomialBounds.lower(0, 50, 0.95)).isZero();
        assertThat(BinomialBounds.upper(50, 50, 0.95)).isEqualTo(1.0);
    }

    @Test
    void shouldMatchPublishedClopperPearsonIntervals() {
        // Reference values (R: binom.test(k, n)$conf.int).
        final BinomialBounds.Interval a = BinomialBounds.interval(5, 10, 0.95);
        assertThat(a.lower()).isCloseTo(0.187086, offset(1e-5));
        assertThat(a.upper()).isCloseTo(0.812914, offset(1e-5));
        final BinomialBounds.Interval b = BinomialBounds.interval(93, 100, 0.95);
        assertThat(b.lower()).isCloseTo(0.861080, offset(1e-5));
        assertThat(b.upper()).isCloseTo(0.971395, offset(1e-5));
    }

    @Test
    void shouldKeepTheOneSidedBoundBelowTheObservedRateAndTightenWithMoreData() {
        final double small = BinomialBounds.lower(197, 200, 0.95);
        final double large = BinomialBounds.lower(1970, 2000, 0.95);
        assertThat(small).isLessThan(0.985).isLessThan(large);
        assertThat(large).isLessThan(0.985).isGreaterThan(0.979);
        // One-sided 95% equals the two-sided 90% interval's lower end.
        assertThat(BinomialBounds.lower(1970, 2000, 0.95))
                .isCloseTo(BinomialBounds.interval(1970, 2000, 0.90).lower(), offset(1e-12));
    }

    @Test
    void shouldRefuseImpossibleCounts() {
        assertThatThrownBy(() -> BinomialBounds.lower(5, 4, 0.95)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinomialBounds.lower(1, 4, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldComputeTheIncompleteBetaFunction() {
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_0.5(a, a) = 0.5.
        assertThat(BinomialBounds.regularizedBeta(0.3, 1, 1)).isCloseTo(0.3, offset(1e-12));
        assertThat(BinomialBounds.regularizedBeta(0.7, 3, 1)).isCloseTo(0.343, offset(1e-12));
        assertThat(BinomialBounds.regularizedBeta(0.5, 40, 40)).isCloseTo(0.5, offset(1e-12));
        assertThat(BinomialBounds.logGamma(10)).isCloseTo(Math.log(362_880), offset(1e-10));
    }
}
