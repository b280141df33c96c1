package dev.slmrouter.worker.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.slmrouter.worker.answer.Confidence.Method;
import dev.slmrouter.worker.client.Fixtures;
import dev.slmrouter.worker.client.TokenLogprob;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ConfidenceTest {

    private static final Confidence LABEL = new Confidence(Method.LABEL);
    private static final Confidence MEAN = new Confidence(Method.GEOMETRIC_MEAN);
    private static final Confidence MIN = new Confidence(Method.MIN_TOKEN);
    private static final double FLOOR = Math.log(1e-6);

    private static double value(final OptionalDouble confidence) {
        assertThat(confidence).isPresent();
        return confidence.getAsDouble();
    }

    @Test
    void labelProbabilityCountsOnlyTheTokensThatSpellTheLabel() {
        final List<TokenLogprob> quoted = Tokens.of("\"", -0.0001, "pos", -0.1, "itive", -0.05, "\"", 0.0);
        final List<TokenLogprob> padded = Tokens.of(" ", -0.3, "Neg", -0.2, "ative", -0.01, "\n", -0.7);
        final List<TokenLogprob> glued = Tokens.of("\"pos", -0.1, "itive\"", -0.05);

        assertThat(value(LABEL.of(quoted))).isCloseTo(Math.exp(-0.1 + -0.05), within(1e-15));
        assertThat(value(LABEL.of(padded))).isCloseTo(Math.exp(-0.2 + -0.01), within(1e-15));
        assertThat(value(LABEL.of(glued))).isCloseTo(Math.exp(-0.1 + -0.05), within(1e-15));
    }

    @Test
    void labelOfTheOwnFixtureBody() {
        final List<TokenLogprob> tokens = Tokens.of(Fixtures.own("openai/chat-logprobs.json"));

        assertThat(value(LABEL.of(tokens))).isCloseTo(Math.exp(-0.15), within(1e-15));
        assertThat(value(MEAN.of(tokens))).isCloseTo(Math.exp((-0.0001 - 0.1 - 0.05 + 0.0) / 4), within(1e-15));
        assertThat(value(MIN.of(tokens))).isCloseTo(Math.exp(-0.1), within(1e-15));
    }

    @Test
    void theNotInTopSentinelIsAVeryLowProbabilityNotZeroAndNotAWreck() {
        final List<TokenLogprob> sentinel = Tokens.of("positive", -9999.0);
        final List<TokenLogprob> mixed = Tokens.of("The", -0.1, " answer", -9999.0);

        assertThat(value(LABEL.of(sentinel))).isCloseTo(1e-6, within(1e-18));
        assertThat(value(MEAN.of(mixed))).isCloseTo(Math.exp((-0.1 + FLOOR) / 2), within(1e-15));
        assertThat(value(MIN.of(mixed))).isCloseTo(1e-6, within(1e-18));
        assertThat(value(new Confidence(Method.LABEL, Math.log(1e-4)).of(sentinel))).isCloseTo(1e-4, within(1e-16));
        // A real log-probability below the floor is floored too, so the order of tokens never inverts.
        assertThat(value(LABEL.of(Tokens.of("x", -20.0)))).isCloseTo(1e-6, within(1e-18));
    }

    @Test
    void vllmsTrailingEmptyTokenIsSkipped() {
        final List<TokenLogprob> tokens = Tokens.of(Fixtures.own("vllm/chat-extra-fields.json"));
        final List<TokenLogprob> withBytes = List.of(TokenLogprob.of("negative", -0.2231435513142097),
                new TokenLogprob("", -9999.0, List.of(), List.of()));

        assertThat(tokens).hasSize(2);
        assertThat(value(MEAN.of(tokens))).isCloseTo(0.8, within(1e-15));
        assertThat(value(MIN.of(withBytes))).isCloseTo(0.8, within(1e-15));
        assertThat(value(LABEL.of(tokens))).isCloseTo(0.8, within(1e-15));
    }

    @Test
    void missingLogprobsAreUnknownNeverCertain() {
        for (Confidence confidence : List.of(LABEL, MEAN, MIN)) {
            assertThat(confidence.of(null)).isEmpty();
            assertThat(confidence.of(List.of())).isEmpty();
            assertThat(confidence.of(Tokens.of("yes", Double.NaN))).isEmpty();
            assertThat(confidence.of(List.of(new TokenLogprob("", -9999.0, List.of(), List.of())))).isEmpty();
        }
        assertThat(LABEL.of(Tokens.of("\"", -0.1, " ", -0.2))).isEmpty();
    }

    @Test
    void roundingNoiseAboveZeroIsCertaintyNotMore() {
        assertThat(value(LABEL.of(Tokens.of("yes", 1e-7)))).isEqualTo(1.0);
        assertThat(value(MEAN.of(Tokens.of("a", 0.0, "b", 3e-8)))).isEqualTo(1.0);
    }

    @Test
    void geometricMeanAndMinDifferOnOneDoubtfulField() {
        final List<TokenLogprob> json = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            json.add(TokenLogprob.of("t" + i, 0.0));
        }
        json.add(TokenLogprob.of("42", Math.log(0.3)));

        assertThat(value(MEAN.of(json))).isCloseTo(Math.exp(Math.log(0.3) / 20), within(1e-15));
        assertThat(value(MIN.of(json))).isCloseTo(0.3, within(1e-15));
    }

    @Test
    void theFloorMustBeAFiniteNegativeLogProbability() {
        for (double bad : new double[] {0.0, 1.0, Double.NaN, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> new Confidence(Method.LABEL, bad))
                    .hasMessage("the floor must be a finite negative log-probability");
        }
        assertThat(new Confidence(Method.MIN_TOKEN).method()).isEqualTo(Method.MIN_TOKEN);
    }

    @Test
    void realVllmBodyWithTheMinus9999Token() {
        final String partial = Fixtures.contractText("vllm/real-bodies/chat-logprobs-top2-guided_json-PR17637.PARTIAL.txt");
        final String line = partial.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        final List<TokenLogprob> tokens = Tokens.of(line.substring(0, line.indexOf(",\"usage\"")) + "}");

        assertThat(tokens).extracting(TokenLogprob::logprob).containsExactly(-0.03710511326789856, 0.0, -9999.0);
        assertThat(value(MEAN.of(tokens))).isCloseTo(Math.exp(-0.03710511326789856 / 2), within(1e-15));
        assertThat(value(MIN.of(tokens))).isCloseTo(Math.exp(-0.03710511326789856), within(1e-15));
        assertThat(value(LABEL.of(tokens))).isCloseTo(Math.exp(-0.03710511326789856), within(1e-15));
    }

    @Test
    void realOpenAiLogprobsExample() {
        final List<TokenLogprob> tokens = Tokens.of(
                Fixtures.contractText("openai/examples/chat-completions-post-logprobs.response.json"));
        final double sum = -0.31725305 - 0.02380986 - 5.4669687e-05 - 0.015801601 - 3.7697225e-06 - 0.04571125
                - 5.4385737e-06 - 0.0040071653 - 0.0008108172;

        assertThat(tokens).hasSize(9);
        assertThat(value(MEAN.of(tokens))).isCloseTo(Math.exp(sum / 9), within(1e-12));
        assertThat(value(LABEL.of(tokens))).isCloseTo(Math.exp(sum), within(1e-12));
        assertThat(value(MIN.of(tokens))).isCloseTo(Math.exp(-0.31725305), within(1e-15));
    }
}
