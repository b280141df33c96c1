package dev.slmrouter.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro record in the Confluent wire format: magic byte 0, the writer schema's
 * registry id (4 bytes, big-endian), the Avro binary encoding. The class's schema is registered
 * under the subject the {@link SubjectNameStrategy} names the first time a topic is seen; after
 * that a record costs one map lookup, the encoding into a per-thread buffer, and one copy into the
 * returned array. Thread-safe; {@link #close()} does not close the shared registry client.
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    // Buffers shared by every serializer on a thread; a buffer grown past this by one huge record is dropped.
    private static final int MAX_RETAINED_BUFFER = 1 << 20;
    private static final ThreadLocal<EncodeBuffer> BUFFERS = ThreadLocal.withInitial(EncodeBuffer::new);

    private final SchemaRegistryClient registry;
    private final SubjectNameStrategy subjects;
    private final boolean isKey;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final ConcurrentMap<String, Integer> idByTopic = new ConcurrentHashMap<>();

    public ConfluentAvroSerializer(Class<T> type, SchemaRegistryClient registry, boolean isKey,
                                   SubjectNameStrategy subjects) {
        SpecificData model = SpecificData.getForClass(type); // carries the class's logical-type conversions
        this.schema = model.getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.registry = registry;
        this.subjects = subjects;
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null; // a tombstone stays a tombstone
        }
        int id = schemaId(topic);
        EncodeBuffer buffer = BUFFERS.get();
        buffer.out.reset();
        WireFormat.writeHeader(buffer.out, id);
        try {
            writer.write(data, buffer.encoder);
            buffer.encoder.flush();
            return buffer.out.toByteArray();
        } catch (IOException | RuntimeException e) {
            // The encoder may still hold part of this record and would flush it into the next one.
            BUFFERS.remove();
            throw new SerdeException("Cannot encode a " + schema.getFullName() + " for topic " + topic
                    + " with schema id " + id + ": " + e, e);
        } finally {
            if (buffer.out.size() > MAX_RETAINED_BUFFER) {
                BUFFERS.remove();
            }
        }
    }

    /** The id this serializer writes for {@code topic}, registering the schema the first time. */
    public int schemaId(String topic) {
        Integer id = idByTopic.get(topic);
        if (id == null) {
            id = registry.register(subjects.subjectName(topic, isKey, schema), schema);
            idByTopic.putIfAbsent(topic, id);
        }
        return id;
    }

    public Schema schema() {
        return schema;
    }

    /**
     * A thread's output stream with an encoder bound to it for good: the encoder is empty after each
     * flush, so the header can go straight into the stream and no encoder is configured per record.
     */
    private static final class EncodeBuffer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    }
}
