package dev.slmrouter.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * One HTTP answer of a schema registry, read leniently: the body as a JSON tree (a missing node
 * when it is not JSON, e.g. a proxy's HTML error page), so callers pick the fields they know and
 * ignore the rest, whatever registry sent it.
 */
record RegistryAnswer(int status, JsonNode json, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUOTED = 500;

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The registry's {@code message}, else the (abbreviated) raw body. */
    String message() {
        JsonNode m = json.path("message");
        return m.isTextual() ? m.asText() : abbreviate(body);
    }

    static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    static String abbreviate(String body) {
        return body.length() <= MAX_QUOTED ? body : body.substring(0, MAX_QUOTED) + "...";
    }
}
