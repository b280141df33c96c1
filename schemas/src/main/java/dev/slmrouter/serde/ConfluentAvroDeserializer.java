package dev.slmrouter.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro into a generated class: it takes the writer schema's id from the
 * header, fetches that schema once from the registry, and decodes with Avro schema resolution, so
 * records written with an older or newer compatible schema arrive as the current class. A null
 * payload (a tombstone) gives null; anything else either decodes completely or throws a
 * {@link SerdeException} saying why, never null. One reader per writer id, one decoder per thread:
 * a record costs a header check and the decoding itself. Thread-safe.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private static final ThreadLocal<BoundedDecoder> DECODERS = ThreadLocal.withInitial(BoundedDecoder::new);

    private final SchemaRegistryClient registry;
    private final SpecificData model;
    private final Schema readerSchema;
    private final ConcurrentMap<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    // A topic nearly always carries one writer id at a time: skip the map (and boxing) for it.
    private volatile CachedReader<T> last;

    public ConfluentAvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this.model = SpecificData.getForClass(type); // carries the class's logical-type conversions
        this.readerSchema = model.getSchema(type);
        this.registry = registry;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : decode(data, 0, data.length);
    }

    @Override
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) { // decode in place instead of Kafka's default copy
            return decode(data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return decode(copy, 0, copy.length);
    }

    private T decode(byte[] buf, int offset, int length) {
        int id = WireFormat.schemaId(buf, offset, length);
        SpecificDatumReader<T> reader = readerFor(id);
        BoundedDecoder decoder = DECODERS.get().reset(buf, offset + WireFormat.HEADER_SIZE,
                length - WireFormat.HEADER_SIZE);
        T record;
        boolean trailing;
        try {
            record = reader.read(null, decoder);
            trailing = !decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            throw WireFormatException.undecodable(id, readerSchema.getFullName(), length, e);
        }
        if (trailing) {
            // A valid record is followed by nothing: extra bytes mean the id and the data do not belong together.
            throw new WireFormatException("Payload of " + length + " bytes written with schema id " + id
                    + " has bytes left after a complete " + readerSchema.getFullName());
        }
        return record;
    }

    private SpecificDatumReader<T> readerFor(int id) {
        CachedReader<T> cached = last;
        if (cached != null && cached.id == id) {
            return cached.reader;
        }
        SpecificDatumReader<T> reader = readers.get(id);
        if (reader == null) {
            // The registry call happens outside any lock; racing threads build equal readers, one is kept.
            Schema writerSchema = registry.schemaById(id);
            SpecificDatumReader<T> created = new SpecificDatumReader<>(writerSchema, readerSchema, model);
            SpecificDatumReader<T> previous = readers.putIfAbsent(id, created);
            reader = previous != null ? previous : created;
        }
        last = new CachedReader<>(id, reader);
        return reader;
    }

    public Schema readerSchema() {
        return readerSchema;
    }

    private record CachedReader<T>(int id, SpecificDatumReader<T> reader) {
    }
}
