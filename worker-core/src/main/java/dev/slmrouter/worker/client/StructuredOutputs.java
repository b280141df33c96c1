package dev.slmrouter.worker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * vLLM's own {@code structured_outputs} request field (v0.12.0 and later; it replaced
 * {@code guided_choice} / {@code guided_json}): either {@code {"choice": [...]}}, which constrains the
 * answer to exactly one of the labels, or {@code {"json": {...}}}, a JSON Schema. OpenAI does not know
 * this field and answers 400, so only the SLM worker sends it.
 */
public final class StructuredOutputs {

    private final List<String> choice;
    private final JsonNode json;

    private StructuredOutputs(final List<String> choice, final JsonNode json) {
        this.choice = choice;
        this.json = json;
    }

    /** Constrains the answer to one of {@code labels} (at least one). */
    public static StructuredOutputs choice(final List<String> labels) {
        final List<String> copy = List.copyOf(Objects.requireNonNull(labels, "labels"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("structured_outputs.choice needs at least one label");
        }
        return new StructuredOutputs(copy, null);
    }

    /** Constrains the answer to JSON valid against {@code schemaText}. */
    public static StructuredOutputs json(final String schemaText) {
        return new StructuredOutputs(null, Json.parseObject(schemaText, "the structured_outputs schema"));
    }

    /** The labels of a choice constraint, or an empty list for a JSON constraint. */
    public List<String> choices() {
        return choice == null ? List.of() : choice;
    }

    ObjectNode toJson() {
        final ObjectNode node = Json.MAPPER.createObjectNode();
        if (choice != null) {
            final ArrayNode array = node.putArray("choice");
            choice.forEach(array::add);
        } else {
            node.set("json", json.deepCopy());
        }
        return node;
    }

    @Override
    public String toString() {
        return "StructuredOutputs[" + (choice != null ? "choice=" + choice : "json") + "]";
    }
}
