package dev.slmrouter.router.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that a request's {@code response_schema} is a valid JSON Schema (draft 2020-12 meta-schema),
 * so a schema no worker could enforce is rejected at the door. Producers tend to reuse a handful of
 * schemas, so verdicts are cached by schema text (bounded LRU): the check costs microseconds after the
 * first sight of a schema.
 */
final class ResponseSchemaChecker {

    private static final int CACHE_SIZE = 1_024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonSchema metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of(SchemaId.V202012));
    private final Map<String, Optional<String>> verdicts = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(final Map.Entry<String, Optional<String>> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    /** Empty when the schema is valid, else what is wrong with it. */
    Optional<String> problemWith(final String schemaText) {
        final Optional<String> cached = verdicts.get(schemaText);
        if (cached != null) {
            return cached;
        }
        final Optional<String> verdict = check(schemaText);
        verdicts.put(schemaText, verdict);
        return verdict;
    }

    private Optional<String> check(final String schemaText) {
        final JsonNode node;
        try {
            node = JSON.readTree(schemaText);
        } catch (JsonProcessingException e) {
            return Optional.of("response_schema is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !(node.isObject() || node.isBoolean())) {
            return Optional.of("response_schema must be a JSON object (a JSON Schema)");
        }
        final Set<ValidationMessage> errors = metaSchema.validate(node);
        if (!errors.isEmpty()) {
            return Optional.of("response_schema is not a valid JSON Schema: " + errors.stream()
                    .map(ValidationMessage::getMessage).sorted().limit(3).collect(Collectors.joining("; ")));
        }
        return Optional.empty();
    }
}
