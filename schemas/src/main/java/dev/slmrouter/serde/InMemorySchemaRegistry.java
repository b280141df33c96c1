package dev.slmrouter.serde;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, for unit tests and tools that need no shared registry. Like
 * Confluent's, ids are global and increasing from 1, the same schema gets the same id under every
 * subject, and registering twice returns the first id. It checks no compatibility. All methods
 * are synchronized: it is not meant for a hot path, only for being correct from several threads.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private static final String NAME = "in-memory";

    private final Map<Schema, Integer> idBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemaById = new HashMap<>();
    private final Map<String, Set<Integer>> idsBySubject = new HashMap<>();
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, Schema schema) {
        Integer id = idBySchema.get(schema);
        if (id == null) {
            id = nextId++;
            idBySchema.put(schema, id);
            schemaById.put(id, schema);
        }
        idsBySubject.computeIfAbsent(subject, s -> new HashSet<>()).add(id);
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        Integer id = idBySchema.get(schema);
        if (id == null || !idsBySubject.getOrDefault(subject, Set.of()).contains(id)) {
            throw new SchemaRegistrationException(subject, 404, 40403, "Schema not found", NAME);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemaById.get(id);
        if (schema == null) {
            throw new UnknownSchemaIdException(id, NAME);
        }
        return schema;
    }

    /** The subjects registered so far, for assertions in tests. */
    public synchronized Set<String> subjects() {
        return Set.copyOf(idsBySubject.keySet());
    }
}
