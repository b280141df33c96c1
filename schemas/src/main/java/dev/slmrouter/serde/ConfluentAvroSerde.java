package dev.slmrouter.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The Kafka {@link Serde} for a generated Avro class in the Confluent wire format, readable and
 * writable by Confluent's own serializers. Build it with {@link #forValue} or {@link #forKey}
 * around a shared {@link SchemaRegistryClient}; it is created ready, so Kafka's
 * {@code configure} is a no-op, and {@code close} leaves the shared client open.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final ConfluentAvroSerializer<T> serializer;
    private final ConfluentAvroDeserializer<T> deserializer;

    public ConfluentAvroSerde(Class<T> type, SchemaRegistryClient registry, boolean isKey,
                              SubjectNameStrategy subjects) {
        this.serializer = new ConfluentAvroSerializer<>(type, registry, isKey, subjects);
        this.deserializer = new ConfluentAvroDeserializer<>(type, registry);
    }

    /** A value serde registering under {@code <topic>-value}. */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forValue(Class<T> type,
                                                                            SchemaRegistryClient registry) {
        return new ConfluentAvroSerde<>(type, registry, false, SubjectNameStrategy.TOPIC_NAME);
    }

    /** A key serde registering under {@code <topic>-key}. */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forKey(Class<T> type,
                                                                          SchemaRegistryClient registry) {
        return new ConfluentAvroSerde<>(type, registry, true, SubjectNameStrategy.TOPIC_NAME);
    }

    @Override
    public ConfluentAvroSerializer<T> serializer() {
        return serializer;
    }

    @Override
    public ConfluentAvroDeserializer<T> deserializer() {
        return deserializer;
    }
}
