package dev.slmrouter.worker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One Chat Completions request, immutable and checked when built, so a request that OpenAI would
 * refuse with a 400 (top_logprobs without logprobs, out-of-range sampling values, both token limits)
 * never leaves the process. Null fields are omitted from the JSON body, letting the backend apply its
 * default. {@code n} is never sent: the workers always want exactly one answer. {@code extra} holds
 * backend-specific top-level fields (for example vLLM's {@code top_k}); they may not shadow a field
 * this type already knows. Build with {@link #builder(String)}.
 */
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        Double temperature,
        Double topP,
        Long seed,
        Integer maxTokens,
        Integer maxCompletionTokens,
        boolean logprobs,
        Integer topLogprobs,
        ResponseFormat responseFormat,
        StructuredOutputs structuredOutputs,
        Map<String, JsonNode> extra) {

    private static final Set<String> KNOWN = Set.of("model", "messages", "temperature", "top_p", "seed",
            "max_tokens", "max_completion_tokens", "logprobs", "top_logprobs", "response_format",
            "structured_outputs", "n", "stream");

    public ChatRequest {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        check(temperature == null || (temperature >= 0 && temperature <= 2), "temperature must be in [0, 2]");
        check(topP == null || (topP >= 0 && topP <= 1), "top_p must be in [0, 1]");
        check(maxTokens == null || maxTokens >= 1, "max_tokens must be >= 1");
        check(maxCompletionTokens == null || maxCompletionTokens >= 1, "max_completion_tokens must be >= 1");
        check(maxTokens == null || maxCompletionTokens == null, "give max_tokens or max_completion_tokens, not both");
        check(topLogprobs == null || (topLogprobs >= 0 && topLogprobs <= 20), "top_logprobs must be in [0, 20]");
        check(topLogprobs == null || logprobs, "top_logprobs requires logprobs=true");
        final Map<String, JsonNode> copy = new LinkedHashMap<>();
        if (extra != null) {
            extra.forEach((key, value) -> {
                check(!KNOWN.contains(key), "extra field '" + key + "' shadows a known field");
                copy.put(key, Objects.requireNonNull(value, key).deepCopy());
            });
        }
        extra = Collections.unmodifiableMap(copy);
    }

    private static void check(final boolean ok, final String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder for {@code model}. */
    public static ChatRequestBuilder builder(final String model) {
        return new ChatRequestBuilder(model);
    }

    /** A builder holding this request's values (to retry with another seed, for example). */
    public ChatRequestBuilder toBuilder() {
        final ChatRequestBuilder b = new ChatRequestBuilder(model).messages(messages).temperature(temperature).topP(topP).seed(seed)
                .maxTokens(maxTokens).maxCompletionTokens(maxCompletionTokens).logprobs(logprobs, topLogprobs)
                .responseFormat(responseFormat).structuredOutputs(structuredOutputs);
        extra.forEach(b::extra);
        return b;
    }

    /** The JSON body, field names as the API spells them, nulls omitted. */
    public ObjectNode toJson() {
        final ObjectNode node = Json.MAPPER.createObjectNode().put("model", model);
        final ArrayNode array = node.putArray("messages");
        messages.forEach(m -> array.addObject().put("role", m.role()).put("content", m.content()));
        putIfSet(node, "temperature", temperature);
        putIfSet(node, "top_p", topP);
        putIfSet(node, "seed", seed);
        putIfSet(node, "max_tokens", maxTokens);
        putIfSet(node, "max_completion_tokens", maxCompletionTokens);
        if (logprobs) {
            node.put("logprobs", true);
        }
        putIfSet(node, "top_logprobs", topLogprobs);
        if (responseFormat != null) {
            node.set("response_format", responseFormat.toJson());
        }
        if (structuredOutputs != null) {
            node.set("structured_outputs", structuredOutputs.toJson());
        }
        extra.forEach((k, v) -> node.set(k, v.deepCopy()));
        return node;
    }

    private static void putIfSet(final ObjectNode node, final String field, final Object value) {
        if (value != null) {
            node.set(field, Json.MAPPER.valueToTree(value));
        }
    }
}
