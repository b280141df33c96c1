package dev.slmrouter.simulators.common;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP answer of a simulator: status, headers and body bytes. Endpoints return values of this type
 * instead of writing to the exchange themselves, so the answer logic is a plain function that can be read
 * and tested without sockets, and all socket handling lives in {@link SimServer}.
 */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    /** A JSON body (already serialized). */
    public static HttpReply json(final int status, final String json) {
        return new HttpReply(status, Map.of("content-type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON body serialized from a tree or a plain object. */
    public static HttpReply json(final int status, final Object body) {
        return json(status, Json.write(body));
    }

    /** No body at all, like vLLM's {@code /health}. */
    public static HttpReply empty(final int status) {
        return new HttpReply(status, Map.of(), new byte[0]);
    }

    /** A plain-text body, e.g. Prometheus exposition format. */
    public static HttpReply text(final int status, final String contentType, final String text) {
        return new HttpReply(status, Map.of("content-type", contentType), text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy with more headers; later values win. */
    public HttpReply withHeaders(final Map<String, String> more) {
        final Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(more);
        return new HttpReply(status, merged, body);
    }

    /** The body as UTF-8 text (for logs and tests). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
