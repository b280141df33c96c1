package dev.slmrouter.worker.client;

import java.util.List;

/**
 * One choice of a chat completion: the assistant's {@code content} (null when the model refused or
 * only called tools), its {@code refusal} (OpenAI structured outputs; null otherwise), the
 * {@code finish_reason} ({@code stop}, {@code length}, {@code content_filter}, {@code tool_calls}; null
 * if the backend sent none) and the sampled tokens' log-probabilities (null when not requested or not
 * returned; an empty list is kept as empty). Only {@code stop} means the answer is complete.
 */
public record Choice(int index, String content, String refusal, String finishReason, List<TokenLogprob> logprobs) {

    public Choice {
        logprobs = logprobs == null ? null : List.copyOf(logprobs);
    }

    /** True when generation ended naturally ({@code finish_reason: stop}). */
    public boolean stopped() {
        return "stop".equals(finishReason);
    }

    /** True when the answer was cut at the token limit ({@code finish_reason: length}). */
    public boolean truncated() {
        return "length".equals(finishReason);
    }
}
