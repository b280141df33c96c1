package dev.slmrouter.worker.client;

import java.util.List;

/**
 * One sampled token with its natural-log probability, as in {@code choices[].logprobs.content[]}, and
 * the most likely alternatives at that position ({@code top_logprobs}; empty for an alternative or
 * when none were asked for). {@code logprob} is -9999.0 when the token was outside the top 20
 * (OpenAI) or its probability was minus infinity (vLLM), and NaN when the backend sent none.
 * {@code bytes} is the token's UTF-8 bytes and may be null (special tokens) or empty.
 */
public record TokenLogprob(String token, double logprob, List<Integer> bytes, List<TokenLogprob> topLogprobs) {

    /** The value OpenAI and vLLM write for "not among the top 20" / minus infinity. */
    public static final double NOT_IN_TOP = -9999.0;

    public TokenLogprob {
        token = token == null ? "" : token;
        bytes = bytes == null ? null : List.copyOf(bytes);
        topLogprobs = topLogprobs == null ? List.of() : List.copyOf(topLogprobs);
    }

    /** A token without alternatives (tests, simulators). */
    public static TokenLogprob of(final String token, final double logprob) {
        return new TokenLogprob(token, logprob, null, List.of());
    }

    /** True when the token spells nothing: empty text and no bytes (vLLM's trailing end-of-sequence entry). */
    public boolean isEmpty() {
        return token.isEmpty() && (bytes == null || bytes.isEmpty());
    }
}
