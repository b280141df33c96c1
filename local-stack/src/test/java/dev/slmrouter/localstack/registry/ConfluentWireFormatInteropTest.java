package dev.slmrouter.localstack.registry;

import static dev.slmrouter.localstack.registry.RegistryHttp.JSON;
import static dev.slmrouter.localstack.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.localstack.registry.RegistryHttp.Answer;
import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our serde and the Confluent wire format agree in both directions against a real registry: what the
 * serde writes, plain Avro can read with nothing but the schema the registry serves for the id in the
 * header (as Confluent's deserializer does); and bytes framed by hand around an id registered over raw
 * HTTP (as Confluent's serializer writes them) decode with the serde. {@link DeadLetter} is the event
 * used because it has unions, bytes and a timestamp logical type.
 */
@ExtendWith(SchemaRegistryExtension.class)
class ConfluentWireFormatInteropTest {

    private static final Instant REJECTED_AT = Instant.parse("2026-11-27T10:15:30.123Z");

    private final LocalSchemaRegistry registry;
    private final RegistryHttp http;

    ConfluentWireFormatInteropTest(LocalSchemaRegistry registry) {
        this.registry = registry;
        this.http = new RegistryHttp(registry.confluentApiUrl());
    }

    @Test
    void shouldWriteBytesThatPlainAvroDecodesWithTheSchemaServedForTheHeaderId() throws IOException {
        ConfluentAvroSerde<DeadLetter> serde = ConfluentAvroSerde.forValue(DeadLetter.class,
                new RestSchemaRegistryClient(registry.confluentApiUrl()));

        byte[] bytes = serde.serializer().serialize("interop.serde-written", deadLetter());

        assertThat(bytes[0]).isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        // The id in the header is the one the registry holds for the topic's value subject.
        Answer latest = http.get("/subjects/interop.serde-written-value/versions/latest");
        assertThat(latest.status()).isEqualTo(200);
        assertThat(JSON.readTree(latest.body()).get("id").intValue()).isEqualTo(id);

        Schema writerSchema = schemaServedFor(id);
        assertThat(writerSchema).isEqualTo(DeadLetter.getClassSchema());
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writerSchema).read(null, decoder);
        assertThat(decoder.isEnd()).isTrue();
        assertThat(decoded.get("source_topic")).hasToString("llm.requests");
        assertThat(decoded.get("source_partition")).isEqualTo(3);
        assertThat(decoded.get("source_offset")).isEqualTo(42L);
        assertThat(decoded.get("original_key")).isEqualTo(ByteBuffer.wrap(bytes("r-1")));
        assertThat(decoded.get("original_value")).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(decoded.get("request_id")).isNull();
        assertThat(decoded.get("stage")).hasToString("router.decode");
        assertThat(decoded.get("reason")).hasToString("UNDECODABLE");
        assertThat(decoded.get("error_class")).hasToString("dev.slmrouter.serde.WireFormatException");
        assertThat(decoded.get("message")).hasToString("Unknown magic byte 7");
        assertThat(decoded.get("rejected_at")).isEqualTo(REJECTED_AT.toEpochMilli());
    }

    @Test
    void shouldDecodeBytesFramedByHandAroundAnIdRegisteredOverRawHttp() throws IOException {
        Schema schema = DeadLetter.getClassSchema();
        Answer registered = http.post("/subjects/interop.hand-framed-value/versions", schemaBody(schema.toString()));
        assertThat(registered.status()).isEqualTo(200);
        int id = registered.id();

        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        framed.write(0);
        framed.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(framed, null);
        new GenericDatumWriter<GenericRecord>(schema).write(genericDeadLetter(schema), encoder);
        encoder.flush();

        ConfluentAvroSerde<DeadLetter> serde = ConfluentAvroSerde.forValue(DeadLetter.class,
                new RestSchemaRegistryClient(registry.confluentApiUrl()));
        DeadLetter decoded = serde.deserializer().deserialize("interop.hand-framed", framed.toByteArray());

        assertThat(decoded).isEqualTo(deadLetter());
    }

    private Schema schemaServedFor(int id) throws JsonProcessingException {
        Answer fetched = http.get("/schemas/ids/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        return new Schema.Parser().parse(JSON.readTree(fetched.body()).get("schema").asText());
    }

    private static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("llm.requests")
                .setSourcePartition(3)
                .setSourceOffset(42L)
                .setOriginalKey(ByteBuffer.wrap(bytes("r-1")))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setRequestId(null)
                .setStage("router.decode")
                .setReason("UNDECODABLE")
                .setErrorClass("dev.slmrouter.serde.WireFormatException")
                .setMessage("Unknown magic byte 7")
                .setRejectedAt(REJECTED_AT)
                .build();
    }

    /** The same record built without generated code, as a producer that only has the schema would. */
    private static GenericRecord genericDeadLetter(Schema schema) {
        GenericData.Record record = new GenericData.Record(schema);
        record.put("source_topic", "llm.requests");
        record.put("source_partition", 3);
        record.put("source_offset", 42L);
        record.put("original_key", ByteBuffer.wrap(bytes("r-1")));
        record.put("original_value", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        record.put("request_id", null);
        record.put("stage", "router.decode");
        record.put("reason", "UNDECODABLE");
        record.put("error_class", "dev.slmrouter.serde.WireFormatException");
        record.put("message", "Unknown magic byte 7");
        record.put("rejected_at", REJECTED_AT.toEpochMilli());
        return record;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
