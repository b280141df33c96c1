package dev.slmrouter.worker.client;

import java.util.Objects;

/**
 * One message of a chat: a role ({@code system}, {@code developer}, {@code user}, {@code assistant})
 * and its text. Only plain-text content is supported because every request the workers send is text;
 * multi-part content (images, audio) would be a new type, not a loosening of this one.
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank");
        }
    }

    /** A system message (the per-task instructions). */
    public static ChatMessage system(final String content) {
        return new ChatMessage("system", content);
    }

    /** A developer message (OpenAI's name for system instructions on newer models). */
    public static ChatMessage developer(final String content) {
        return new ChatMessage("developer", content);
    }

    /** A user message. */
    public static ChatMessage user(final String content) {
        return new ChatMessage("user", content);
    }

    /** An assistant message (a previous turn, or a few-shot example). */
    public static ChatMessage assistant(final String content) {
        return new ChatMessage("assistant", content);
    }
}
