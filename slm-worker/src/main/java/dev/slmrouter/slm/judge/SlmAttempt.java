package dev.slmrouter.slm.judge;

import java.util.List;
import java.util.OptionalDouble;

/**
 * What one SLM call produced, reduced to what the judge needs.
 *
 * @param content      the answer text; null when the model gave none
 * @param finishReason the backend's finish_reason (stop, length, content_filter, ...)
 * @param refusal      the model's refusal text, if it refused
 * @param confidence   confidence from token logprobs; empty when the backend sent no logprobs
 * @param shapeErrors  why the answer does not fit the request's response_schema or label set; empty when it fits
 *                     (or nothing constrains it)
 */
public record SlmAttempt(String content, String finishReason, String refusal, OptionalDouble confidence,
                         List<String> shapeErrors) {

    public SlmAttempt {
        shapeErrors = List.copyOf(shapeErrors);
    }
}
