package dev.slmrouter.worker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One component of an OpenAPI 3.1 document as a JSON Schema 2020-12 that networknt can validate: the
 * whole {@code components.schemas} map becomes {@code $defs}, every {@code #/components/schemas/X}
 * reference is rewritten to {@code #/$defs/X}, OpenAPI 3.0's {@code nullable: true} becomes a
 * {@code "null"} type, and the keywords JSON Schema does not know ({@code discriminator}, {@code x-*},
 * {@code example}) are dropped. Because OpenAI's request schema allows additional properties, a field
 * the spec does not declare (a typo, or vLLM's {@code structured_outputs}) would pass silently; so
 * {@link #problems(JsonNode)} also reports every top-level field, and every {@code json_schema} field
 * of a {@code response_format}, that the spec does not declare.
 */
public final class OpenApiRequestSchema {

    private static final ObjectMapper YAML = new YAMLMapper();

    private final ObjectNode defs;
    private final JsonSchema schema;
    private final Set<String> topLevel;
    private final Set<String> jsonSchemaFields;

    private OpenApiRequestSchema(final ObjectNode defs, final String component) {
        this.defs = defs;
        final ObjectNode root = YAML.createObjectNode()
                .put("$schema", "https://json-schema.org/draft/2020-12/schema")
                .put("$ref", "#/$defs/" + component);
        root.set("$defs", defs);
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        this.topLevel = properties(defs.get(component));
        this.jsonSchemaFields = properties(defs.path("ResponseFormatJsonSchema").path("properties").path("json_schema"));
    }

    /** Loads {@code component} from the OpenAPI document text. */
    public static OpenApiRequestSchema load(final String openApiYaml, final String component) {
        try {
            final JsonNode document = YAML.readTree(openApiYaml);
            final ObjectNode schemas = (ObjectNode) document.path("components").path("schemas").deepCopy();
            if (!schemas.has(component)) {
                throw new IllegalArgumentException("no component " + component);
            }
            schemas.forEach(OpenApiRequestSchema::convert);
            return new OpenApiRequestSchema(schemas, component);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Schema violations plus undeclared fields; empty when the request matches the spec. */
    public List<String> problems(final JsonNode request) {
        final List<String> problems = new ArrayList<>();
        for (ValidationMessage m : schema.validate(request)) {
            problems.add(m.getMessage());
        }
        request.fieldNames().forEachRemaining(f -> {
            if (!topLevel.contains(f)) {
                problems.add("undeclared field: " + f);
            }
        });
        request.path("response_format").path("json_schema").fieldNames().forEachRemaining(f -> {
            if (!jsonSchemaFields.contains(f)) {
                problems.add("undeclared field: response_format.json_schema." + f);
            }
        });
        return problems;
    }

    Set<String> topLevelFields() {
        return topLevel;
    }

    /** Property names a schema declares, through $ref and allOf/anyOf/oneOf. */
    private Set<String> properties(final JsonNode node) {
        final Set<String> names = new LinkedHashSet<>();
        if (node == null || !node.isObject()) {
            return names;
        }
        if (node.has("$ref")) {
            names.addAll(properties(defs.get(node.get("$ref").asText().substring("#/$defs/".length()))));
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            node.path(combinator).forEach(part -> names.addAll(properties(part)));
        }
        node.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void convert(final JsonNode node) {
        if (node.isArray()) {
            node.forEach(OpenApiRequestSchema::convert);
            return;
        }
        if (!node.isObject()) {
            return;
        }
        final ObjectNode object = (ObjectNode) node;
        final JsonNode ref = object.get("$ref");
        if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
            object.put("$ref", "#/$defs/" + ref.asText().substring("#/components/schemas/".length()));
        }
        if (object.path("nullable").asBoolean(false) && object.path("type").isTextual()) {
            final ArrayNode types = object.arrayNode().add(object.get("type").asText()).add("null");
            object.set("type", types);
        }
        final Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final String name = field.getKey();
            if (name.equals("discriminator") || name.equals("nullable") || name.equals("example") || name.startsWith("x-")) {
                fields.remove();
            } else if (name.equals("properties") || name.equals("$defs")) {
                // Maps of names to schemas: the names are data (a property may be called "example"), the values schemas.
                field.getValue().forEach(OpenApiRequestSchema::convert);
            } else {
                convert(field.getValue());
            }
        }
    }
}
