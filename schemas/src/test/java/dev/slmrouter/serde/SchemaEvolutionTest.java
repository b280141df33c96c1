package dev.slmrouter.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.events.TaskType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** InferenceRequest as a first version might have had it: no hints, labels, sampling, metadata. */
    private static final Schema V0 = new Schema.Parser().parse("""
            {"type": "record", "name": "InferenceRequest", "namespace": "dev.slmrouter.events", "fields": [
              {"name": "request_id", "type": "string"},
              {"name": "tenant", "type": "string"},
              {"name": "messages", "type": {"type": "array", "items": {"type": "record", "name": "ChatMessage",
                "fields": [{"name": "role", "type": "string"}, {"name": "content", "type": "string"}]}}},
              {"name": "created_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}""");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final ConfluentAvroSerde<InferenceRequest> serde = ConfluentAvroSerde.forValue(InferenceRequest.class, registry);

    @Test
    void dataWrittenWithAnOlderSchemaIsReadIntoTheCurrentClassWithDefaults() {
        int oldId = registry.register("llm.requests-value", V0);
        GenericRecord chat = new GenericData.Record(V0.getField("messages").schema().getElementType());
        chat.put("role", "user");
        chat.put("content", "hi");
        GenericRecord old = new GenericData.Record(V0);
        old.put("request_id", "r1");
        old.put("tenant", "t");
        old.put("messages", List.of(chat));
        old.put("created_at", TestEvents.T0.toEpochMilli());

        InferenceRequest read = serde.deserializer().deserialize("llm.requests", Frames.frame(oldId, V0, old));

        assertThat(read).isEqualTo(InferenceRequest.newBuilder().setRequestId("r1").setTenant("t")
                .setMessages(List.of(new ChatMessage("user", "hi"))).setCreatedAt(TestEvents.T0).build());
        assertThat(read.getLatencyClass()).isEqualTo(LatencyClass.BATCH);
        assertThat(read.getMetadata()).isEmpty();
        assertThat(read.getTaskType()).isNull();
        // The same deserializer keeps reading the current version too: one reader per writer id.
        byte[] current = serde.serializer().serialize("llm.requests", TestEvents.request());
        assertThat(WireFormat.schemaId(current)).isEqualTo(oldId + 1);
        assertThat(serde.deserializer().deserialize("llm.requests", current)).isEqualTo(TestEvents.request());
        assertThat(serde.deserializer().deserialize("llm.requests", Frames.frame(oldId, V0, old)).getRequestId())
                .isEqualTo("r1");
    }

    @Test
    void dataWrittenWithANewerSchemaDropsUnknownFieldsAndMapsUnknownSymbolsToTheDefault() throws Exception {
        Schema v2 = newerRequestSchema();
        int newId = registry.register("llm.requests-value", v2);
        byte[] currentBytes = serde.serializer().serialize("llm.requests", TestEvents.request());
        GenericRecord newer = Frames.read(currentBytes, InferenceRequest.getClassSchema(), v2);
        newer.put("priority", 9);
        newer.put("task_type", new GenericData.EnumSymbol(v2.getField("task_type").schema().getTypes().get(1), "TRANSLATION"));
        ((GenericRecord) ((List<?>) newer.get("messages")).get(0)).put("name", "bot");

        InferenceRequest read = serde.deserializer().deserialize("llm.requests", Frames.frame(newId, v2, newer));

        InferenceRequest expected = TestEvents.request();
        expected.setTaskType(TaskType.UNKNOWN);
        assertThat(read).isEqualTo(expected);
    }

    @Test
    void aConsumerWithANewerReaderSchemaReadsWhatTheSerializerWrote() throws Exception {
        Schema v2 = newerRequestSchema();
        byte[] bytes = serde.serializer().serialize("llm.requests", TestEvents.request());
        Schema writer = registry.schemaById(WireFormat.schemaId(bytes));

        GenericRecord read = Frames.read(bytes, writer, v2);

        assertThat(read.get("priority")).isEqualTo(0);
        assertThat(read.get("request_id")).hasToString("r1");
        assertThat(read.get("task_type")).hasToString("CLASSIFICATION");
        assertThat(((GenericRecord) ((List<?>) read.get("messages")).get(0)).get("name")).isNull();
    }

    @Test
    void aWriterSchemaTheClassCannotResolveIsAWireFormatErrorNamingTheId() {
        ConfluentAvroSerde<DeadLetter> dlq = ConfluentAvroSerde.forValue(DeadLetter.class, registry);
        byte[] deadLetter = dlq.serializer().serialize("llm.dlq", TestEvents.deadLetter());
        int id = WireFormat.schemaId(deadLetter);

        assertThatThrownBy(() -> serde.deserializer().deserialize("llm.requests", deadLetter))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("schema id " + id)
                .hasMessageContaining("dev.slmrouter.events.InferenceRequest")
                .hasMessageContaining("DeadLetter");
        // A failed resolution is not cached as a usable reader: the next good record still decodes.
        byte[] good = serde.serializer().serialize("llm.requests", TestEvents.request());
        assertThat(serde.deserializer().deserialize("llm.requests", good)).isEqualTo(TestEvents.request());
    }

    @Test
    void anOlderSchemaMissingARequiredFieldWithoutDefaultIsRejected() {
        Schema noTenant = new Schema.Parser().parse(V0.toString().replace(
                "{\"name\":\"tenant\",\"type\":\"string\"},", ""));
        assertThat(noTenant.getField("tenant")).isNull();
        int id = registry.register("llm.requests-value", noTenant);
        GenericRecord rec = new GenericData.Record(noTenant);
        rec.put("request_id", "r1");
        rec.put("messages", List.of());
        rec.put("created_at", 1L);

        assertThatThrownBy(() -> serde.deserializer().deserialize("llm.requests", Frames.frame(id, noTenant, rec)))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("schema id " + id)
                .hasMessageContaining("tenant");
    }

    /** The current InferenceRequest plus a field, an enum symbol and a nested optional field. */
    private static Schema newerRequestSchema() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(InferenceRequest.getClassSchema().toString());
        ArrayNode fields = (ArrayNode) root.get("fields");
        fields.add(JSON.readTree("{\"name\": \"priority\", \"type\": \"int\", \"default\": 0}"));
        Map<String, JsonNode> byName = new HashMap<>();
        fields.forEach(f -> byName.put(f.get("name").asText(), f));
        ((ArrayNode) byName.get("task_type").get("type").get(1).get("symbols")).add("TRANSLATION");
        ((ArrayNode) byName.get("messages").get("type").get("items").get("fields"))
                .add(JSON.readTree("{\"name\": \"name\", \"type\": [\"null\", \"string\"], \"default\": null}"));
        return new Schema.Parser().parse(root.toString());
    }
}
