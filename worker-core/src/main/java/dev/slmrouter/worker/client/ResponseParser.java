package dev.slmrouter.worker.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a Chat Completions body by walking the JSON tree rather than binding classes, so the shape
 * checks that matter (choices present, message present, content a string or null) are explicit and
 * every other field a backend adds is ignored.
 */
final class ResponseParser {

    /** The body is not a chat completion; the message says why (no body text in it). */
    static final class MalformedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedException(final String message) {
            super(message);
        }
    }

    private ResponseParser() {
    }

    static ChatResponse parse(final String body, final RateLimits rateLimits, final Duration latency) {
        final JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedException("the body is not JSON");
        }
        require(root != null && root.isObject(), "the body is not a JSON object");
        final JsonNode choicesNode = root.path("choices");
        require(choicesNode.isArray() && !choicesNode.isEmpty(), "the body has no choices");
        final List<Choice> choices = new ArrayList<>();
        for (JsonNode choice : choicesNode) {
            choices.add(choice(choice, choices.size()));
        }
        choices.sort(Comparator.comparingInt(Choice::index));
        return new ChatResponse(text(root, "id"), text(root, "model"), text(root, "system_fingerprint"), choices,
                usage(root.get("usage")), rateLimits, latency);
    }

    private static Choice choice(final JsonNode node, final int position) {
        final JsonNode message = node.path("message");
        require(message.isObject(), "choice " + position + " has no message");
        final JsonNode content = message.path("content");
        require(content.isMissingNode() || content.isNull() || content.isTextual(),
                "choice " + position + " has content that is not text");
        final int index = node.path("index").isInt() ? node.get("index").asInt() : position;
        return new Choice(index, text(message, "content"), text(message, "refusal"), text(node, "finish_reason"),
                tokens(node.path("logprobs").path("content")));
    }

    private static List<TokenLogprob> tokens(final JsonNode content) {
        if (!content.isArray()) {
            return null;
        }
        final List<TokenLogprob> tokens = new ArrayList<>(content.size());
        content.forEach(t -> tokens.add(token(t)));
        return tokens;
    }

    private static TokenLogprob token(final JsonNode node) {
        require(node.isObject(), "a logprobs entry is not an object");
        final JsonNode lp = node.get("logprob");
        // A missing number is NaN, not a failure: the answer is still good; Confidence treats NaN as unknown.
        final double logprob = lp != null && lp.isNumber() ? lp.asDouble() : Double.NaN;
        List<Integer> bytes = null;
        if (node.path("bytes").isArray()) {
            bytes = new ArrayList<>();
            for (JsonNode b : node.get("bytes")) {
                bytes.add(b.asInt());
            }
        }
        final List<TokenLogprob> top = new ArrayList<>();
        node.path("top_logprobs").forEach(t -> top.add(token(t)));
        return new TokenLogprob(text(node, "token"), logprob, bytes, top);
    }

    private static Usage usage(final JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        final int prompt = node.path("prompt_tokens").asInt(0);
        final int completion = node.path("completion_tokens").asInt(0);
        final int total = node.path("total_tokens").asInt(prompt + completion);
        final int cached = node.path("prompt_tokens_details").path("cached_tokens").asInt(0);
        require(prompt >= 0 && completion >= 0 && total >= 0 && cached >= 0, "usage has negative token counts");
        return new Usage(prompt, completion, total, cached);
    }

    private static String text(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void require(final boolean ok, final String reason) {
        if (!ok) {
            throw new MalformedException(reason);
        }
    }
}
