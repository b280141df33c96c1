package dev.slmrouter.worker.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The error a backend described in its body, whichever envelope it used: OpenAI's
 * {@code {"error":{"message","type","param","code"}}} (code a string or null), vLLM's flat
 * {@code {"object":"error","message","type","param","code":400}} (before v0.10.1) or its nested form
 * (v0.10.1 and later; code an integer, the HTTP status), plus a bare {@code {"error":"text"}} and
 * FastAPI's {@code {"detail": ...}}. A numeric code is kept as its decimal text. Any field may be null.
 */
public record BackendError(String message, String type, String param, String code) {

    /** Parses an error body; empty when the body is not JSON or has none of the known shapes. */
    public static Optional<BackendError> parse(final String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        final JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return Optional.empty();
        }
        return root == null ? Optional.empty() : fromNode(root);
    }

    static Optional<BackendError> fromNode(final JsonNode root) {
        if (!root.isObject()) {
            return Optional.empty();
        }
        final JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            return Optional.of(of(error));
        }
        if (error != null && error.isTextual()) {
            return Optional.of(new BackendError(error.asText(), null, null, null));
        }
        if ("error".equals(text(root.get("object"))) || root.has("message") && root.has("type")) {
            return Optional.of(of(root));
        }
        final JsonNode detail = root.get("detail");
        if (detail != null && !detail.isNull()) {
            return Optional.of(new BackendError(detail.isTextual() ? detail.asText() : detail.toString(),
                    null, null, null));
        }
        return Optional.empty();
    }

    /** True when OpenAI says the account is out of credit (type or code {@code insufficient_quota}). */
    public boolean insufficientQuota() {
        return "insufficient_quota".equals(type) || "insufficient_quota".equals(code);
    }

    private static BackendError of(final JsonNode node) {
        return new BackendError(text(node.get("message")), text(node.get("type")), text(node.get("param")),
                text(node.get("code")));
    }

    private static String text(final JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
