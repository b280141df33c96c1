package dev.slmrouter.worker.answer;

import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;

/**
 * Refuses to load any schema document from outside: a response schema comes from a producer, and
 * resolving its {@code $ref} to a URL or file would let a request make the worker fetch from the
 * network or read local files. Only the validator's own bundled meta-schemas ({@code classpath:}) load.
 */
final class LocalOnlySchemaLoader implements SchemaLoader {

    @Override
    public InputStreamSource getSchema(final AbsoluteIri iri) {
        final String text = iri == null ? "" : iri.toString();
        if (text.startsWith("classpath:") || text.startsWith("resource:")) {
            return null;
        }
        throw new IllegalArgumentException("refusing to load the external schema " + text
                + " (a response schema may only refer to itself)");
    }
}
