package dev.slmrouter.worker.client;

import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * The URLs of one backend, derived from its base URL: the API paths hang below it (its query, such as
 * Azure's {@code api-version}, is kept), while vLLM's {@code /health} sits at the server root, the
 * base without its trailing {@code /v1}.
 */
final class Endpoints {

    private final HttpUrl base;

    Endpoints(final HttpUrl base) {
        this.base = base;
    }

    HttpUrl api(final String path) {
        return base.newBuilder().addPathSegments(path).build();
    }

    HttpUrl health() {
        final List<String> segments = new ArrayList<>(base.pathSegments());
        segments.removeIf(String::isEmpty);
        if (!segments.isEmpty() && "v1".equals(segments.get(segments.size() - 1))) {
            segments.remove(segments.size() - 1);
        }
        final HttpUrl.Builder root = base.newBuilder().encodedPath("/").query(null);
        segments.forEach(root::addPathSegment);
        return root.addPathSegment("health").build();
    }

    /** Scheme, host, port and path only: user info and query can carry credentials. */
    @Override
    public String toString() {
        return base.scheme() + "://" + base.host() + ":" + base.port() + base.encodedPath();
    }
}
