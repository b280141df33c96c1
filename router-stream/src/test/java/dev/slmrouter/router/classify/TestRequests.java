package dev.slmrouter.router.classify;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the request a producer would send for a test prompt. */
final class TestRequests {

    private TestRequests() {
    }

    static InferenceRequest user(String text) {
        return request(List.of(new ChatMessage("user", text)), null, null);
    }

    /** The request an example stands for: its prompt as the only user message, plus labels/schema if flagged. */
    static InferenceRequest of(TaskExample example) {
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 1; i < example.messageCount(); i++) {
            messages.add(new ChatMessage(i % 2 == 1 ? "user" : "assistant", "..."));
        }
        messages.add(new ChatMessage("user", example.prompt()));
        return request(messages,
                example.hasLabels() ? List.of("a", "b", "c") : null,
                example.hasSchema() ? "{\"type\":\"object\"}" : null);
    }

    static InferenceRequest request(List<ChatMessage> messages, List<String> labels, String schema) {
        return InferenceRequest.newBuilder()
                .setRequestId("r1")
                .setTenant("t")
                .setMessages(messages)
                .setLabels(labels)
                .setResponseSchema(schema)
                .setCreatedAt(Instant.now())
                .build();
    }
}
