package dev.slmrouter.serde;

/**
 * The schema registry answered that it has no schema with the id a payload's header names (HTTP
 * 404 on {@code GET /schemas/ids/{id}}). This usually means the record was written against another
 * registry (a different environment, a registry that lost its storage topic) or the header is
 * garbage that happened to start with the magic byte; either way retrying will not help.
 */
public class UnknownSchemaIdException extends SerdeException {

    private static final long serialVersionUID = 1L;

    private final int schemaId;

    public UnknownSchemaIdException(int schemaId, String registry) {
        super("Schema id " + schemaId + " is not known to the schema registry at " + registry);
        this.schemaId = schemaId;
    }

    /** The id the registry does not know. */
    public int schemaId() {
        return schemaId;
    }
}
