package dev.slmrouter.worker.answer;

import dev.slmrouter.worker.client.TokenLogprob;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How sure the model was of its answer, as a probability in [0, 1], computed from the sampled tokens'
 * log-probabilities. Three methods ({@link Method}): {@code LABEL}, the probability that the model
 * spells exactly this answer (meant for a classification label); {@code GEOMETRIC_MEAN}, the
 * per-token average probability of free text or JSON; {@code MIN_TOKEN}, the probability of the least
 * likely token, which catches one doubtful field in an otherwise certain JSON answer. Every log-probability
 * is clamped to [{@code floor}, 0] first: -9999.0 ("not among the top 20" at OpenAI, minus infinity at
 * vLLM) is not a real number, and the floor (default ln 1e-6) treats it as "very unlikely" without
 * letting one token decide a geometric mean by itself. Tokens that spell nothing (empty text and
 * bytes, like vLLM's trailing end-of-sequence entry) are skipped. Missing log-probabilities (null, an
 * empty list, or any NaN among the counted tokens) give an empty result, never 1.0: the caller decides.
 * Note: vLLM's default logprobs are the model's raw distribution, before a structured-output mask,
 * so under {@code structured_outputs} they measure what the model would have said unconstrained.
 */
public final class Confidence {

    /** The aggregate to compute; see the class comment. */
    public enum Method { LABEL, GEOMETRIC_MEAN, MIN_TOKEN }

    /** ln(1e-6): the lowest per-token log-probability counted by default. */
    public static final double DEFAULT_FLOOR = Math.log(1e-6);

    private final Method method;
    private final double floor;

    public Confidence(final Method method) {
        this(method, DEFAULT_FLOOR);
    }

    /** {@code floorLogprob} must be finite and negative (for example {@code Math.log(1e-4)}). */
    public Confidence(final Method method, final double floorLogprob) {
        this.method = Objects.requireNonNull(method, "method");
        if (!(floorLogprob < 0) || Double.isInfinite(floorLogprob)) {
            throw new IllegalArgumentException("the floor must be a finite negative log-probability");
        }
        this.floor = floorLogprob;
    }

    public Method method() {
        return method;
    }

    /** The confidence of an answer by this instance's method; empty when it cannot be computed. */
    public OptionalDouble of(final List<TokenLogprob> tokens) {
        if (tokens == null || tokens.isEmpty()) {
            return OptionalDouble.empty();
        }
        return switch (method) {
            case LABEL -> label(tokens);
            case GEOMETRIC_MEAN -> geometricMean(tokens);
            case MIN_TOKEN -> minToken(tokens);
        };
    }

    /**
     * exp(sum of the log-probabilities of the tokens that spell the answer), where the answer is the
     * concatenated token text without leading and trailing whitespace and quotes ({@code " ' `}); a token
     * that holds both a quote and part of the label counts, a token of only whitespace or quotes outside
     * the label does not. So {@code "positive"} split as {@code "}, {@code pos}, {@code itive}, {@code "}
     * scores P(pos) x P(itive).
     */
    OptionalDouble label(final List<TokenLogprob> tokens) {
        final StringBuilder text = new StringBuilder();
        final int[] starts = new int[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            starts[i] = text.length();
            text.append(tokens.get(i).token());
        }
        int from = 0;
        int to = text.length();
        while (from < to && isPadding(text.charAt(from))) {
            from++;
        }
        while (to > from && isPadding(text.charAt(to - 1))) {
            to--;
        }
        if (from == to) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (int i = 0; i < tokens.size(); i++) {
            final int end = starts[i] + tokens.get(i).token().length();
            if (starts[i] < to && end > from) {
                final double lp = tokens.get(i).logprob();
                if (Double.isNaN(lp)) {
                    return OptionalDouble.empty();
                }
                sum += clamp(lp);
            }
        }
        return OptionalDouble.of(Math.exp(sum));
    }

    /** exp(mean log-probability) over the tokens that spell something. */
    OptionalDouble geometricMean(final List<TokenLogprob> tokens) {
        double sum = 0;
        int count = 0;
        for (TokenLogprob t : tokens) {
            if (!t.isEmpty()) {
                if (Double.isNaN(t.logprob())) {
                    return OptionalDouble.empty();
                }
                sum += clamp(t.logprob());
                count++;
            }
        }
        return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.exp(sum / count));
    }

    /** exp(smallest log-probability) over the tokens that spell something. */
    OptionalDouble minToken(final List<TokenLogprob> tokens) {
        double min = 0;
        boolean any = false;
        for (TokenLogprob t : tokens) {
            if (!t.isEmpty()) {
                if (Double.isNaN(t.logprob())) {
                    return OptionalDouble.empty();
                }
                min = Math.min(min, clamp(t.logprob()));
                any = true;
            }
        }
        return any ? OptionalDouble.of(Math.exp(min)) : OptionalDouble.empty();
    }

    /** Clamped to [floor, 0]: a tiny positive value is rounding noise, anything below the floor is "very unlikely". */
    private double clamp(final double logprob) {
        return Math.min(0.0, Math.max(floor, logprob));
    }

    private static boolean isPadding(final char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '`';
    }
}
