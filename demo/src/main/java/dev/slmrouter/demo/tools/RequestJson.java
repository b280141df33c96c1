package dev.slmrouter.demo.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.events.TaskType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One line of a requests file (JSON Lines) as an {@link InferenceRequest}. Field names are the Avro
 * schema's ({@code request_id}, {@code task_type}, {@code messages}, ...). Only {@code messages} is
 * required; a missing {@code request_id} is generated (a random UUID), a missing {@code tenant} is
 * {@value #DEFAULT_TENANT}, a missing {@code created_at} is now, and every other optional field keeps
 * its schema default. {@code response_schema} may be a JSON object or its text; timestamps may be
 * ISO-8601 text or epoch milliseconds; enum symbols match in any case. Unknown fields are rejected, so
 * a misspelt field is not silently dropped. Semantic checks (roles, label sets, the schema's validity)
 * stay with the router, which dead-letters what breaks them.
 */
public final class RequestJson {

    public static final String DEFAULT_TENANT = "default";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> FIELDS = Set.of("request_id", "tenant", "task_type", "language", "messages",
            "labels", "response_schema", "max_output_tokens", "temperature", "seed", "latency_class", "deadline",
            "metadata", "created_at");

    /** Why a line is not a request, in words fit for "line N: ...". */
    public static final class InvalidLine extends Exception {
        public InvalidLine(final String reason) {
            super(reason);
        }
    }

    private final Supplier<String> requestIds;
    private final Supplier<Instant> clock;

    public RequestJson() {
        this(() -> UUID.randomUUID().toString(), Instant::now);
    }

    RequestJson(final Supplier<String> requestIds, final Supplier<Instant> clock) {
        this.requestIds = requestIds;
        this.clock = clock;
    }

    public InferenceRequest parse(final String line) throws InvalidLine {
        final JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidLine("bad JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidLine("not a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidLine("unknown field \"" + name + "\"");
            }
        }
        final InferenceRequest.Builder request = InferenceRequest.newBuilder()
                .setRequestId(text(node, "request_id", requestIds))
                .setTenant(text(node, "tenant", () -> DEFAULT_TENANT))
                .setMessages(messages(node.get("messages")))
                .setCreatedAt(present(node, "created_at") ? instant(node, "created_at") : clock.get());
        if (present(node, "task_type")) {
            request.setTaskType(symbol(node, "task_type", TaskType.class));
        }
        if (present(node, "language")) {
            request.setLanguage(text(node, "language", () -> null));
        }
        if (present(node, "labels")) {
            request.setLabels(strings(node, "labels"));
        }
        if (present(node, "response_schema")) {
            final JsonNode schema = node.get("response_schema");
            if (schema.isObject()) {
                request.setResponseSchema(schema.toString());
            } else if (schema.isTextual()) {
                request.setResponseSchema(schema.asText());
            } else {
                throw new InvalidLine("response_schema must be a JSON Schema object or its text");
            }
        }
        if (present(node, "max_output_tokens")) {
            final JsonNode tokens = node.get("max_output_tokens");
            if (!tokens.canConvertToInt() || !tokens.isIntegralNumber()) {
                throw new InvalidLine("max_output_tokens must be a whole number");
            }
            request.setMaxOutputTokens(tokens.intValue());
        }
        if (present(node, "temperature")) {
            if (!node.get("temperature").isNumber()) {
                throw new InvalidLine("temperature must be a number");
            }
            request.setTemperature(node.get("temperature").doubleValue());
        }
        if (present(node, "seed")) {
            if (!node.get("seed").isIntegralNumber() || !node.get("seed").canConvertToLong()) {
                throw new InvalidLine("seed must be a whole number");
            }
            request.setSeed(node.get("seed").longValue());
        }
        if (present(node, "latency_class")) {
            request.setLatencyClass(symbol(node, "latency_class", LatencyClass.class));
        }
        if (present(node, "deadline")) {
            request.setDeadline(instant(node, "deadline"));
        }
        if (present(node, "metadata")) {
            request.setMetadata(metadata(node.get("metadata")));
        }
        return request.build();
    }

    private static boolean present(final JsonNode node, final String field) {
        return node.hasNonNull(field);
    }

    /** The field's text, or the fallback's when the field is absent or null. */
    private static String text(final JsonNode node, final String field, final Supplier<String> fallback)
            throws InvalidLine {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback.get();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidLine(field + " must be a non-empty string");
        }
        return value.asText();
    }

    private static List<ChatMessage> messages(final JsonNode messages) throws InvalidLine {
        if (messages == null || messages.isNull() || (messages.isArray() && messages.isEmpty())) {
            throw new InvalidLine("missing messages");
        }
        if (!messages.isArray()) {
            throw new InvalidLine("messages must be a list of {\"role\", \"content\"} objects");
        }
        final List<ChatMessage> list = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            final JsonNode message = messages.get(i);
            if (!message.isObject() || !message.path("role").isTextual() || !message.path("content").isTextual()
                    || message.size() != 2) {
                throw new InvalidLine("messages[" + i + "] must be {\"role\": string, \"content\": string}");
            }
            list.add(new ChatMessage(message.get("role").asText(), message.get("content").asText()));
        }
        return list;
    }

    private static List<String> strings(final JsonNode node, final String field) throws InvalidLine {
        final JsonNode value = node.get(field);
        if (!value.isArray()) {
            throw new InvalidLine(field + " must be a list of strings");
        }
        final List<String> list = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidLine(field + " must be a list of strings");
            }
            list.add(item.asText());
        }
        return list;
    }

    private static <E extends Enum<E>> E symbol(final JsonNode node, final String field, final Class<E> type)
            throws InvalidLine {
        final JsonNode value = node.get(field);
        final List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name)
                .filter(name -> !name.equals("UNKNOWN")).toList();
        if (value.isTextual() && allowed.contains(value.asText().toUpperCase(Locale.ROOT))) {
            return Enum.valueOf(type, value.asText().toUpperCase(Locale.ROOT));
        }
        throw new InvalidLine(field + " must be one of " + allowed + ", not " + value);
    }

    private static Instant instant(final JsonNode node, final String field) throws InvalidLine {
        final JsonNode value = node.get(field);
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Instant.ofEpochMilli(value.longValue());
        }
        if (value.isTextual()) {
            try {
                return Instant.parse(value.asText());
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new InvalidLine(field + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z or epoch"
                + " milliseconds, not " + value);
    }

    private static Map<String, String> metadata(final JsonNode value) throws InvalidLine {
        if (!value.isObject()) {
            throw new InvalidLine("metadata must be an object of strings");
        }
        final Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            final Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw new InvalidLine("metadata." + field.getKey() + " must be a string");
            }
            map.put(field.getKey(), field.getValue().asText());
        }
        return map;
    }
}
