package dev.slmrouter.simulators.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogprobShaperTest {

    @Test
    void shouldMakeTheGeometricMeanProbabilityEqualTheConfidence() {
        final SplittableRandom rng = new SplittableRandom(7);
        for (final double c : new double[] {1.0, 0.999, 0.97, 0.85, 0.5, 0.2, 0.01}) {
            for (final int n : new int[] {1, 2, 5, 40, 300}) {
                final List<String> tokens = Tokens.split(TextAnswers.sentence(n, rng));
                final List<TokenLogprob> lps = LogprobShaper.sequence(tokens, c, 3, rng);
                final double mean = lps.stream().mapToDouble(TokenLogprob::logprob).average().orElseThrow();
                assertThat(Math.exp(mean)).as("c=%s n=%s", c, n).isCloseTo(c, within(1e-9));
                assertThat(lps).allSatisfy(lp -> assertThat(lp.logprob()).isLessThanOrEqualTo(0.0));
            }
        }
    }

    @Test
    void shouldVaryTokensAroundTheMeanRatherThanRepeatOneValue() {
        final List<String> tokens = Tokens.split(TextAnswers.sentence(30, new SplittableRandom(1)));
        final List<TokenLogprob> lps = LogprobShaper.sequence(tokens, 0.6, 0, new SplittableRandom(2));
        assertThat(lps.stream().mapToDouble(TokenLogprob::logprob).distinct().count()).isGreaterThan(10);
    }

    @Test
    void shouldListTheChosenTokenAmongSortedAlternatives() {
        final List<TokenLogprob> lps = LogprobShaper.sequence(List.of("Hello", "!"), 0.9, 3, new SplittableRandom(3));
        for (final TokenLogprob lp : lps) {
            assertThat(lp.top()).hasSize(3).extracting(TokenLogprob.Alternative::token).contains(lp.token());
            assertThat(lp.top()).isSortedAccordingTo((a, b) -> Double.compare(b.logprob(), a.logprob()));
            final double mass = lp.top().stream().mapToDouble(a -> Math.exp(a.logprob())).sum();
            assertThat(mass).isLessThanOrEqualTo(1.0 + 1e-9);
        }
    }

    @Test
    void shouldGiveALabelTheConfidenceAndShareTheRestAmongTheOtherLabels() {
        final TokenLogprob lp = LogprobShaper.label("billing", List.of("billing", "technical", "other"), 0.7, 5);
        assertThat(Math.exp(lp.logprob())).isCloseTo(0.7, within(1e-12));
        assertThat(lp.top()).extracting(TokenLogprob.Alternative::token)
                .containsExactly("billing", "technical", "other");
        final double mass = lp.top().stream().mapToDouble(a -> Math.exp(a.logprob())).sum();
        assertThat(mass).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void shouldKeepAnUnsureLabelAheadOfTheOtherLabelsAsGreedyDecodingWould() {
        final TokenLogprob lp = LogprobShaper.label("yes", List.of("yes", "no"), 0.3, 5);
        assertThat(Math.exp(lp.logprob())).isCloseTo(0.3, within(1e-12));
        final double no = lp.top().stream().filter(a -> a.token().equals("no")).findFirst().orElseThrow().logprob();
        assertThat(no).isLessThan(lp.logprob());
        final double mass = lp.top().stream().mapToDouble(a -> Math.exp(a.logprob())).sum();
        assertThat(mass).isCloseTo(1.0, within(1e-9));
    }
}
