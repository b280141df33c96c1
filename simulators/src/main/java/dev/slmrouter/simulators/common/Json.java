package dev.slmrouter.simulators.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson mapper of the simulators and a few helpers around it. Responses are built as trees
 * ({@link ObjectNode}) because the point of a simulator is to control the exact field set and order of
 * the real APIs, including the {@code null} fields real servers send.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses a request body; a malformed body raises {@link IOException} so callers can answer 400. */
    public static JsonNode parse(final byte[] body) throws IOException {
        final JsonNode node = MAPPER.readTree(body);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty request body");
        }
        return node;
    }

    public static String write(final Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text field, or {@code null} when absent or JSON null. */
    public static String text(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** An integer field, or {@code null} when absent or JSON null. */
    public static Integer integer(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asInt();
    }
}
