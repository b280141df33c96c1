package dev.slmrouter.worker.client;

/**
 * Token counts of one call, from {@code usage}: what the backend billed. {@code cachedPromptTokens}
 * ({@code usage.prompt_tokens_details.cached_tokens}, 0 when absent) is part of {@code promptTokens}
 * and is kept because OpenAI prices cached input lower.
 */
public record Usage(int promptTokens, int completionTokens, int totalTokens, int cachedPromptTokens) {

    public Usage {
        if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedPromptTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }
}
