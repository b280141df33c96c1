package dev.slmrouter.serde;

/**
 * The schema registry refused a schema for a subject: HTTP 409 (incompatible with the subject's
 * compatibility rule), 422 (invalid schema), or 404 on a lookup (not registered under that subject).
 * It carries the registry's own {@code error_code} and message, because they say which rule was
 * broken; Confluent uses codes such as 409, 42201 and 40403, Apicurio's ccompat API may send 0.
 */
public class SchemaRegistrationException extends SerdeException {

    private static final long serialVersionUID = 1L;

    private final String subject;
    private final int httpStatus;
    private final int errorCode;
    private final String registryMessage;

    public SchemaRegistrationException(String subject, int httpStatus, int errorCode, String registryMessage,
                                       String registry) {
        super("Schema registry at " + registry + " refused the schema for subject '" + subject + "': HTTP "
                + httpStatus + ", error_code " + errorCode + ": " + registryMessage);
        this.subject = subject;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    public String subject() {
        return subject;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code}, or the HTTP status when its answer had none. */
    public int errorCode() {
        return errorCode;
    }

    public String registryMessage() {
        return registryMessage;
    }
}
