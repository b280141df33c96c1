package dev.slmrouter.simulators.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a completion request that shape an answer, read from a Chat Completions body (or from one
 * prompt of a legacy Completions body). Labels come from vLLM's {@code structured_outputs.choice}, else
 * from the prompt ({@link LabelFinder}); a schema from {@code response_format} json_schema or
 * {@code structured_outputs.json}. The pre-0.12 {@code guided_*} fields are ignored, as vLLM 0.12+ does.
 */
public record SimRequest(String model, String promptText, int promptTokens, Integer maxTokens,
                         boolean logprobs, int topLogprobs, Long seed, Double temperature, int n,
                         List<String> labels, JsonNode schema, boolean jsonObject, String fingerprint) {

    public SimRequest {
        labels = List.copyOf(labels);
    }

    /** Reads a {@code /v1/chat/completions} body. */
    public static SimRequest fromChat(final JsonNode body) throws BadRequest {
        final JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new BadRequest("'messages' must be a non-empty array", "messages");
        }
        final StringBuilder prompt = new StringBuilder();
        for (final JsonNode message : messages) {
            if (prompt.length() > 0) {
                prompt.append('\n');
            }
            prompt.append(Json.text(message, "role")).append(": ").append(content(message.get("content")));
        }
        final boolean logprobs = body.path("logprobs").asBoolean(false);
        final int top = body.path("top_logprobs").asInt(0);
        if (top > 0 && !logprobs) {
            throw new BadRequest("when using `top_logprobs`, `logprobs` must be set to true", "top_logprobs");
        }
        checkTop(top, "top_logprobs");
        return build(body, prompt.toString(), logprobs, top);
    }

    /** Reads one prompt of a {@code /v1/completions} body, whose {@code logprobs} is the top count. */
    public static SimRequest fromCompletion(final JsonNode body, final String prompt) throws BadRequest {
        final Integer top = Json.integer(body, "logprobs");
        if (top != null) {
            checkTop(top, "logprobs");
        }
        // The legacy API lists the sampled token plus the k most likely ones.
        return build(body, prompt, top != null, top == null ? 0 : top + 1);
    }

    private static void checkTop(final int top, final String param) throws BadRequest {
        if (top < 0 || top > 20) {
            throw new BadRequest(param + " must be between 0 and 20, got " + top, param);
        }
    }

    private static SimRequest build(final JsonNode body, final String prompt, final boolean logprobs,
                                    final int top) throws BadRequest {
        Integer maxTokens = Json.integer(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = Json.integer(body, "max_tokens");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new BadRequest("max_tokens must be at least 1, got " + maxTokens + ".", "max_tokens");
        }
        final int n = body.path("n").asInt(1);
        if (n < 1 || n > 128) {
            throw new BadRequest("n must be between 1 and 128, got " + n, "n");
        }
        final JsonNode structured = body.path("structured_outputs");
        final List<String> labels = structured.path("choice").isArray()
                ? strings(structured.get("choice")) : LabelFinder.find(prompt);
        final JsonNode format = body.path("response_format");
        JsonNode schema = format.path("json_schema").get("schema");
        if (schema == null && structured.has("json")) {
            schema = structured.get("json");
        }
        final boolean jsonObject = "json_object".equals(format.path("type").asText());
        final Long seed = body.hasNonNull("seed") ? body.get("seed").asLong() : null;
        final Double temperature = body.hasNonNull("temperature") ? body.get("temperature").asDouble() : null;
        final String fingerprint = prompt + "|" + labels + "|" + (schema == null ? "" : schema.toString());
        return new SimRequest(Json.text(body, "model"), prompt, Tokens.count(prompt), maxTokens, logprobs, top,
                seed, temperature, n, labels, schema, jsonObject, fingerprint);
    }

    private static String content(final JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (!content.isArray()) {
            return content.asText();
        }
        final StringBuilder text = new StringBuilder();
        for (final JsonNode part : content) {
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }

    private static List<String> strings(final JsonNode array) {
        final List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
