package dev.slmrouter.simulators.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Produces a JSON value that satisfies a JSON Schema of the kind extraction tasks use: objects with
 * {@code properties} and {@code required}, the types string (with a few {@code format}s), number,
 * integer (honoring {@code minimum}/{@code maximum}), boolean, null, arrays (honoring
 * {@code minItems}/{@code maxItems}), {@code enum}, {@code const}, local {@code $ref}s into
 * {@code $defs}/{@code definitions}, and the first branch of {@code anyOf}/{@code oneOf}/{@code allOf}.
 * Every declared property is filled. {@code pattern} and string length limits are not honored.
 */
public final class SchemaAnswers {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 6;

    private SchemaAnswers() {
    }

    public static JsonNode instance(final JsonNode root, final SplittableRandom rng) {
        return value(root, root, rng, 0, "value");
    }

    /** A schema-breaking variant: a required property removed when there is one, else invalid JSON. */
    public static String broken(final JsonNode root, final JsonNode valid, final SplittableRandom rng) {
        final List<String> required = new ArrayList<>();
        resolve(root, root).path("required").forEach(r -> required.add(r.asText()));
        if (valid.isObject() && !required.isEmpty() && rng.nextBoolean()) {
            final ObjectNode copy = ((ObjectNode) valid).deepCopy();
            copy.remove(required.get(rng.nextInt(required.size())));
            return copy.toString();
        }
        final String text = valid.toString();
        return text.substring(0, Math.max(1, text.length() - 1)); // drops the closing brace or bracket
    }

    private static JsonNode value(final JsonNode root, final JsonNode schema0, final SplittableRandom rng,
                                  final int depth, final String name) {
        final JsonNode schema = resolve(root, schema0);
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.path("enum").isArray() && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(rng.nextInt(schema.get("enum").size()));
        }
        for (final String combinator : new String[] {"anyOf", "oneOf", "allOf"}) {
            if (schema.path(combinator).isArray() && !schema.get(combinator).isEmpty()) {
                return value(root, firstNonNull(schema.get(combinator), root), rng, depth, name);
            }
        }
        switch (type(schema)) {
            case "object":
                return depth >= MAX_DEPTH ? F.objectNode() : object(root, schema, rng, depth);
            case "array":
                return depth >= MAX_DEPTH ? F.arrayNode() : array(root, schema, rng, depth, name);
            case "integer":
                return F.numberNode(Math.round(number(schema, rng, 0, 1000)));
            case "number":
                return F.numberNode(Math.round(number(schema, rng, 0, 1000) * 100) / 100.0);
            case "boolean":
                return F.booleanNode(rng.nextBoolean());
            case "null":
                return F.nullNode();
            default:
                return F.textNode(TextAnswers.stringValue(name, schema.path("format").asText(""), rng));
        }
    }

    private static ObjectNode object(final JsonNode root, final JsonNode schema, final SplittableRandom rng,
                                     final int depth) {
        final ObjectNode out = F.objectNode();
        schema.path("properties").fields().forEachRemaining(p ->
                out.set(p.getKey(), value(root, p.getValue(), rng, depth + 1, p.getKey())));
        return out;
    }

    private static ArrayNode array(final JsonNode root, final JsonNode schema, final SplittableRandom rng,
                                   final int depth, final String name) {
        final int min = schema.path("minItems").asInt(1);
        final int max = Math.max(min, schema.path("maxItems").asInt(Math.max(min, 3)));
        final int count = min + rng.nextInt(max - min + 1);
        final ArrayNode out = F.arrayNode();
        final JsonNode items = schema.path("items");
        for (int i = 0; i < count; i++) {
            out.add(items.isObject() ? value(root, items, rng, depth + 1, name) : F.textNode("item " + (i + 1)));
        }
        return out;
    }

    private static double number(final JsonNode schema, final SplittableRandom rng, final double lo,
                                 final double hi) {
        final double min = schema.path("minimum").asDouble(schema.path("exclusiveMinimum").asDouble(lo));
        final double max = schema.path("maximum").asDouble(schema.path("exclusiveMaximum").asDouble(Math.max(hi, min + 1)));
        // Stay strictly inside so exclusive bounds and rounding both hold.
        return min + (max - min) * (0.05 + 0.9 * rng.nextDouble());
    }

    private static String type(final JsonNode schema) {
        final JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (final JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        if (type.isTextual()) {
            return type.asText();
        }
        return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
    }

    private static JsonNode firstNonNull(final JsonNode branches, final JsonNode root) {
        for (final JsonNode branch : branches) {
            if (!"null".equals(resolve(root, branch).path("type").asText())) {
                return branch;
            }
        }
        return branches.get(0);
    }

    private static JsonNode resolve(final JsonNode root, final JsonNode schema) {
        JsonNode current = schema;
        for (int hops = 0; hops < 16 && current.has("$ref"); hops++) {
            final String ref = current.get("$ref").asText();
            current = ref.startsWith("#") ? root.at(ref.substring(1)) : F.objectNode();
            if (current.isMissingNode()) {
                return F.objectNode();
            }
        }
        return current;
    }
}
