package dev.slmrouter.simulators.common;

import java.util.List;

/**
 * One generated choice before it is rendered in an API's shape.
 *
 * @param text         the content (for a refusal: the refusal text)
 * @param refusal      whether the model refused
 * @param tokens       the emitted tokens ({@code completion_tokens} is their number)
 * @param logprobs     per-token logprobs, empty unless the request asked for them
 * @param finishReason {@code stop} or {@code length}
 * @param confidence   the confidence the logprobs encode (drawn or scripted)
 * @param label        the chosen label of a classification, else {@code null}
 * @param schemaBroken whether the answer was made to break the requested schema
 */
public record Answer(String text, boolean refusal, List<String> tokens, List<TokenLogprob> logprobs,
                     String finishReason, double confidence, String label, boolean schemaBroken) {

    public Answer {
        tokens = List.copyOf(tokens);
        logprobs = List.copyOf(logprobs);
    }

    public int completionTokens() {
        return tokens.size();
    }

    public boolean truncated() {
        return "length".equals(finishReason);
    }
}
