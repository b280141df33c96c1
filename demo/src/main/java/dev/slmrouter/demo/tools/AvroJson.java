package dev.slmrouter.demo.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * An Avro record as plain JSON, the way people read it: field names as in the schema, nullable unions
 * as the value or {@code null} (not Avro's {@code {"string": ...}} wrapping), enums as their symbol,
 * timestamps as ISO-8601 text, bytes as Base64. The same field names the requests file uses.
 */
final class AvroJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {
    }

    static String toJsonLine(final IndexedRecord record) {
        try {
            return JSON.writeValueAsString(toJson(record, record.getSchema()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + record.getSchema().getFullName() + " as JSON", e);
        }
    }

    static JsonNode toJson(final Object value, final Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        return switch (schema.getType()) {
            case RECORD -> {
                final IndexedRecord record = (IndexedRecord) value;
                final ObjectNode node = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    node.set(field.name(), toJson(record.get(field.pos()), field.schema()));
                }
                yield node;
            }
            case UNION -> toJson(value, branch(value, schema));
            case ENUM, STRING -> NODES.textNode(value.toString());
            case BYTES, FIXED -> NODES.textNode(Base64.getEncoder().encodeToString(bytes(value)));
            case INT -> NODES.numberNode(((Number) value).intValue());
            case LONG -> value instanceof Instant instant ? NODES.textNode(instant.toString())
                    : isTimestamp(schema.getLogicalType())
                    ? NODES.textNode(Instant.ofEpochMilli(((Number) value).longValue()).toString())
                    : NODES.numberNode(((Number) value).longValue());
            case FLOAT, DOUBLE -> NODES.numberNode(((Number) value).doubleValue());
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case ARRAY -> {
                final ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    array.add(toJson(item, schema.getElementType()));
                }
                yield array;
            }
            case MAP -> {
                final ObjectNode map = NODES.objectNode();
                ((Map<?, ?>) value).forEach((k, v) -> map.set(k.toString(), toJson(v, schema.getValueType())));
                yield map;
            }
            case NULL -> NODES.nullNode();
        };
    }

    /** The union branch a non-null value belongs to; the project's unions are all {@code [null, T]}. */
    private static Schema branch(final Object value, final Schema union) {
        final List<Schema> nonNull = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (nonNull.size() == 1) {
            return nonNull.get(0);
        }
        return union.getTypes().get(GenericData.get().resolveUnion(union, value));
    }

    private static boolean isTimestamp(final LogicalType type) {
        return type instanceof LogicalTypes.TimestampMillis;
    }

    private static byte[] bytes(final Object value) {
        if (value instanceof ByteBuffer buffer) {
            final ByteBuffer copy = buffer.duplicate();
            final byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes;
        }
        if (value instanceof GenericData.Fixed fixed) {
            return fixed.bytes();
        }
        return (byte[]) value;
    }
}
