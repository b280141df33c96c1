package dev.slmrouter.worker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code response_format} of a Chat Completions request: {@code json_schema} (the answer must
 * satisfy a JSON Schema; understood by OpenAI and by every recent vLLM) or {@code json_object}. The
 * schema text is parsed when the format is made, so a broken schema fails before any call is paid
 * for. With {@code strict} OpenAI enforces the schema, but only a subset of JSON Schema is accepted
 * then (every property required, {@code additionalProperties: false}); that is the caller's choice.
 */
public final class ResponseFormat {

    /** OpenAI's rule for {@code json_schema.name}; anything else is a 400. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String type;
    private final String name;
    private final String schemaText;
    private final JsonNode schema;
    private final Boolean strict;

    private ResponseFormat(final String type, final String name, final String schemaText, final Boolean strict) {
        this.type = type;
        this.name = name;
        this.schemaText = schemaText;
        this.schema = schemaText == null ? null : Json.parseObject(schemaText, "the response_format schema");
        this.strict = strict;
    }

    /** {@code {"type":"json_schema","json_schema":{"name","schema","strict"}}}; strict may be null (omitted). */
    public static ResponseFormat jsonSchema(final String name, final String schemaText, final Boolean strict) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("json_schema name must match [A-Za-z0-9_-]{1,64}: " + name);
        }
        return new ResponseFormat("json_schema", name, Objects.requireNonNull(schemaText, "schemaText"), strict);
    }

    /** {@code {"type":"json_object"}}: any JSON object (the prompt must ask for JSON). */
    public static ResponseFormat jsonObject() {
        return new ResponseFormat("json_object", null, null, null);
    }

    public String type() {
        return type;
    }

    /** The schema as given, or null for {@code json_object}. */
    public String schemaText() {
        return schemaText;
    }

    ObjectNode toJson() {
        final ObjectNode node = Json.MAPPER.createObjectNode().put("type", type);
        if (schema != null) {
            final ObjectNode jsonSchema = node.putObject("json_schema").put("name", name);
            jsonSchema.set("schema", schema.deepCopy());
            if (strict != null) {
                jsonSchema.put("strict", strict);
            }
        }
        return node;
    }

    @Override
    public String toString() {
        return "ResponseFormat[" + type + (name == null ? "" : ", name=" + name + ", strict=" + strict) + "]";
    }
}
