package dev.slmrouter.router;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.TaskType;
import java.time.Instant;
import java.util.List;

/** Builders of requests for router tests. */
public final class TestRequests {

    private TestRequests() {
    }

    /** A request with both hints given: the fast path. */
    public static InferenceRequest.Builder hinted(final String id, final TaskType type, final String language) {
        return InferenceRequest.newBuilder()
                .setRequestId(id)
                .setTenant("acme")
                .setTaskType(type)
                .setLanguage(language)
                .setMessages(List.of(new ChatMessage("user", "Classify this ticket: my card was charged twice")))
                .setCreatedAt(Instant.parse("2026-11-28T10:00:00Z"));
    }

    /** A request without hints: the router classifies and detects. */
    public static InferenceRequest.Builder unhinted(final String id, final String prompt) {
        return InferenceRequest.newBuilder()
                .setRequestId(id)
                .setTenant("acme")
                .setMessages(List.of(new ChatMessage("user", prompt)))
                .setCreatedAt(Instant.parse("2026-11-28T10:00:00Z"));
    }
}
