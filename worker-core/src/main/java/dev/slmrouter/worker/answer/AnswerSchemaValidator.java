package dev.slmrouter.worker.answer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that an answer (JSON text) satisfies a request's JSON Schema (text), with networknt's
 * validator. Draft 2020-12 unless the schema names another draft in {@code $schema}; {@code format}
 * is an annotation, as the draft says. Compiled schemas are cached by their exact text in a bounded
 * LRU, because one tenant's pipeline sends the same schema thousands of times. A schema may only
 * refer inside itself: loading a {@code $ref} from a URL or file is refused, so a request cannot make
 * the worker fetch from the network. An answer that is not JSON (often: cut at the token limit) is
 * invalid with a message that says so; a schema that is not usable is an {@link IllegalArgumentException},
 * since no answer could ever pass it. Thread-safe.
 */
public final class AnswerSchemaValidator {

    /** The outcome of one check: valid, or the validator's messages (at most {@value #MAX_ERRORS}). */
    public record Result(boolean valid, List<String> errors) {
        public Result {
            errors = List.copyOf(errors);
        }

        static Result ok() {
            return new Result(true, List.of());
        }

        static Result invalid(final List<String> errors) {
            return new Result(false, errors);
        }
    }

    static final int MAX_ERRORS = 20;

    private static final String TRUNCATED =
            "the answer is not complete JSON (it ends early, as a truncated answer does): ";

    /** Strict on purpose: trailing text or a repeated key make an answer ambiguous, so not valid JSON. */
    private static final ObjectMapper ANSWERS = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.add(new LocalOnlySchemaLoader())));
    private final Map<String, JsonSchema> cache;

    /** A validator caching up to 256 compiled schemas. */
    public AnswerSchemaValidator() {
        this(256);
    }

    public AnswerSchemaValidator(final int maxCachedSchemas) {
        if (maxCachedSchemas < 1) {
            throw new IllegalArgumentException("the cache must hold at least one schema");
        }
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, JsonSchema> eldest) {
                return size() > maxCachedSchemas;
            }
        };
    }

    /** Validates {@code answerJson} against {@code schemaText}; throws IllegalArgumentException for a bad schema. */
    public Result validate(final String answerJson, final String schemaText) {
        final JsonSchema schema = compiled(schemaText);
        if (answerJson == null || answerJson.isBlank()) {
            return Result.invalid(List.of("the answer is empty, not JSON"));
        }
        final JsonNode answer;
        try {
            answer = ANSWERS.readTree(answerJson);
        } catch (JsonEOFException e) {
            return Result.invalid(List.of(TRUNCATED + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            return Result.invalid(List.of("the answer is not valid JSON: " + e.getOriginalMessage()));
        }
        final Set<ValidationMessage> messages = schema.validate(answer);
        if (messages.isEmpty()) {
            return Result.ok();
        }
        return Result.invalid(messages.stream().map(ValidationMessage::getMessage).limit(MAX_ERRORS).toList());
    }

    /** The first 16 hex digits of the SHA-256 of the schema text (UTF-8): the schema id in audit blocks. */
    public static String schemaId(final String schemaText) {
        try {
            final byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(schemaText.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** How many compiled schemas are cached now. */
    public int cachedSchemas() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private JsonSchema compiled(final String schemaText) {
        if (schemaText == null) {
            throw new IllegalArgumentException("the response schema is missing");
        }
        synchronized (cache) {
            final JsonSchema cached = cache.get(schemaText);
            if (cached != null) {
                return cached;
            }
        }
        // Compiled outside the lock: two threads may compile the same schema once each, which is harmless.
        final JsonSchema schema = compile(schemaText);
        synchronized (cache) {
            cache.put(schemaText, schema);
        }
        return schema;
    }

    private JsonSchema compile(final String schemaText) {
        final JsonNode node;
        try {
            node = ANSWERS.readTree(schemaText);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the response schema is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !(node.isObject() || node.isBoolean())) {
            throw new IllegalArgumentException("the response schema must be a JSON object or boolean");
        }
        try {
            final JsonSchema schema = factory.getSchema(node);
            // Resolves every $ref now, so a schema that cannot work fails here and validation is lock-free later.
            schema.initializeValidators();
            return schema;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the response schema cannot be used: " + e.getMessage(), e);
        }
    }
}
