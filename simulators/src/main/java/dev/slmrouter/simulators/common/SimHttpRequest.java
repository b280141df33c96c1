package dev.slmrouter.simulators.common;

import java.util.Locale;
import java.util.Map;

/**
 * The parts of an HTTP request the simulators look at: method, path, headers (names lower-cased, first
 * value only) and the raw body.
 */
public record SimHttpRequest(String method, String path, Map<String, String> headers, byte[] body) {

    public SimHttpRequest {
        headers = Map.copyOf(headers);
    }

    /** A header value by case-insensitive name, or {@code null}. */
    public String header(final String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
