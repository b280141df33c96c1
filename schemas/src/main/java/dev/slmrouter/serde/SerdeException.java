package dev.slmrouter.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Base of every error the serde and its schema registry clients throw. It extends Kafka's
 * {@link SerializationException} so that producers, consumers and Kafka Streams' exception handlers
 * treat a failure here exactly like a failure of any other serializer; the subclasses tell a
 * caller which of them can be retried ({@link SchemaRegistryUnavailableException}) and which mean
 * the record itself is bad ({@link WireFormatException}). It is thrown as is for the rare
 * failures that fit no subclass (e.g. the registry answers 401, or sends a schema that does not parse).
 */
public class SerdeException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public SerdeException(String message) {
        super(message);
    }

    public SerdeException(String message, Throwable cause) {
        super(message, cause);
    }
}
