package dev.slmrouter.simulators.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** A small JDK HTTP client for the simulator tests: JSON in, status + headers + JSON out. */
public final class SimClient {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** One response. */
    public record Reply(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(final String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The simulator's x-sim-confidence header, one value per choice. */
        public List<Double> confidences() {
            return Arrays.stream(header("x-sim-confidence").split(",")).map(Double::valueOf).toList();
        }
    }

    public Reply post(final String url, final String json) throws IOException, InterruptedException {
        return post(url, json, Duration.ofSeconds(20));
    }

    public Reply post(final String url, final String json, final Duration timeout)
            throws IOException, InterruptedException {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return send(request);
    }

    public Reply get(final String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    public Reply send(final HttpRequest request) throws IOException, InterruptedException {
        final HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers(), r.body());
    }

    /** A chat body with one user message; {@code extra} is spliced in as more top-level fields. */
    public static String chat(final String userContent, final String extra) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":" + Json.write(userContent) + "}]"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** Confidence as a client computes it: the geometric-mean token probability of a chat choice. */
    public static double geometricMeanProbability(final JsonNode choice) {
        final JsonNode content = choice.path("logprobs").path("content");
        double sum = 0;
        for (final JsonNode token : content) {
            sum += token.get("logprob").asDouble();
        }
        return Math.exp(sum / content.size());
    }
}
