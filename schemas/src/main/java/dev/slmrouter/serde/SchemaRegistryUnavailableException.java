package dev.slmrouter.serde;

/**
 * The schema registry could not be reached or failed to answer: connection refused, a timeout,
 * an HTTP 5xx (or 408/429). Unlike the other {@link SerdeException}s this says nothing about the
 * record, so a caller should retry or stop rather than dead-letter the record.
 */
public class SchemaRegistryUnavailableException extends SerdeException {

    private static final long serialVersionUID = 1L;

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public SchemaRegistryUnavailableException(String message) {
        super(message);
    }
}
