package dev.slmrouter.localstack.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/**
 * Raw HTTP against a registry's Confluent API, with no client library in between, so the tests see
 * exactly the status codes and bodies any Confluent client would.
 */
final class RegistryHttp {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    RegistryHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** One answer: status code and body text. */
    record Answer(int status, String body) {
        int id() {
            try {
                return JSON.readTree(body).get("id").intValue();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Not JSON: " + body, e);
            }
        }
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer post(String path, String json) {
        return send(request(path).header("Content-Type", CONTENT_TYPE).POST(BodyPublishers.ofString(json)));
    }

    Answer put(String path, String json) {
        return send(request(path).header("Content-Type", CONTENT_TYPE).PUT(BodyPublishers.ofString(json)));
    }

    /** The registration body {@code {"schema":"<the schema as an escaped string>"}}. */
    static String schemaBody(String schemaJson) {
        return JSON.createObjectNode().put("schema", schemaJson).toString();
    }

    /** A string as a JSON string literal, quotes and escapes included. */
    static String quoted(String text) {
        return JSON.getNodeFactory().textNode(text).toString();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Accept", CONTENT_TYPE);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            var response = http.send(request.build(), BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
