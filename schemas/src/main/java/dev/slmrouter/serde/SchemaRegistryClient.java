package dev.slmrouter.serde;

import org.apache.avro.Schema;

/**
 * The part of a schema registry the serde needs: register a schema under a subject, look up a
 * schema's id without registering it, and fetch a schema by id. Implementations cache, so that
 * after the first call for a given subject and schema (or id) no call leaves the process; they
 * must be safe to share between threads and between serdes.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (a no-op in the registry when it is already
     * there) and returns its global id.
     *
     * @throws SchemaRegistrationException when the registry refuses it (incompatible, invalid)
     * @throws SchemaRegistryUnavailableException when the registry cannot be reached
     */
    int register(String subject, Schema schema);

    /**
     * The id of {@code schema} under {@code subject}, without registering it.
     *
     * @throws SchemaRegistrationException when it is not registered under that subject
     * @throws SchemaRegistryUnavailableException when the registry cannot be reached
     */
    int idOf(String subject, Schema schema);

    /**
     * The schema with global id {@code id}.
     *
     * @throws UnknownSchemaIdException when the registry has no such id
     * @throws SchemaRegistryUnavailableException when the registry cannot be reached
     */
    Schema schemaById(int id);
}
