package dev.slmrouter.topics;

import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;

/**
 * A topic name paired with the Avro type of its values, so a topic and its serde are never mismatched.
 * Keys are the request id (a UTF-8 string) everywhere except the dead-letter topic, which keeps the
 * original key bytes.
 */
public record Topic<V extends SpecificRecord>(String name, Class<V> valueType) {

    /** The Confluent-wire-format serde for this topic's values (subject {@code <name>-value}). */
    public ConfluentAvroSerde<V> valueSerde(final SchemaRegistryClient registry) {
        return ConfluentAvroSerde.forValue(valueType, registry);
    }

    @Override
    public String toString() {
        return name;
    }
}
