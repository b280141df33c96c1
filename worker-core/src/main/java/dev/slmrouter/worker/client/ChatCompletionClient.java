package dev.slmrouter.worker.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The one OpenAI-compatible Chat Completions client of both workers: vLLM's OpenAI server, OpenAI,
 * Azure OpenAI or any compatible endpoint, over one OkHttp client with explicit timeouts. Calls are
 * blocking (the workers run them on their own bounded executors) and never retried here: OkHttp's
 * silent retry on connection failure is off, because retries belong to exactly one layer, the worker.
 * The API key is read from its supplier on every call (so a rotated key file is picked up), sent as
 * {@code Authorization: Bearer}, and appears in no log, exception message or {@link #toString()}.
 * Build with {@link #builder(String)}; thread-safe; {@link #close()} releases pooled connections.
 */
public final class ChatCompletionClient implements ChatBackend, AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");

    private final Endpoints endpoints;
    private final Supplier<String> apiKey;
    private final Map<String, String> headers;
    private final OkHttpClient http;
    private final OkHttpClient healthHttp;
    private final Clock clock;

    ChatCompletionClient(final ChatCompletionClientBuilder b, final OkHttpClient http, final OkHttpClient healthHttp) {
        this.endpoints = new Endpoints(b.baseUrl());
        this.apiKey = b.apiKey();
        this.headers = b.headers();
        this.http = http;
        this.healthHttp = healthHttp;
        this.clock = b.clock();
    }

    /** A builder for {@code baseUrl}, for example {@code http://vllm:8000/v1} or {@code https://api.openai.com/v1}. */
    public static ChatCompletionClientBuilder builder(final String baseUrl) {
        return new ChatCompletionClientBuilder(baseUrl);
    }

    @Override
    public ChatResponse complete(final ChatRequest request) {
        final byte[] body = serialize(request);
        final String key = currentKey();
        final Failures failures = failures(key);
        final Request call = authorized(endpoints.api("chat/completions"), key)
                .post(RequestBody.create(body, JSON)).build();
        final long start = System.nanoTime();
        try (Response response = http.newCall(call).execute()) {
            // Bytes, not a String: the parser reads UTF-8 itself, and the text is decoded only when needed.
            final ResponseBody responseBody = response.body();
            final byte[] bytes = responseBody.bytes();
            final MediaType type = responseBody.contentType();
            final Duration latency = Duration.ofNanos(System.nanoTime() - start);
            final RateLimits limits = RateLimits.parse(response::header, clock.instant());
            if (!response.isSuccessful()) {
                throw failures.status(response.code(), ResponseParser.text(bytes, type), limits);
            }
            try {
                return ResponseParser.parse(bytes, type, limits, latency);
            } catch (ResponseParser.MalformedException e) {
                throw failures.malformed(response.code(), e.getMessage(), ResponseParser.text(bytes, type), limits);
            }
        } catch (IOException e) {
            throw failures.io(e);
        }
    }

    /**
     * GET {@code /health} at the server root (the base URL without its {@code /v1}): vLLM answers 200
     * when the engine is alive and 503 when it is dead. Any other status or no answer counts as down.
     * The port opens only after the model loaded, but a real completion is the only proof of readiness.
     */
    @Override
    public boolean health() {
        final Request probe = new Request.Builder().url(endpoints.health()).get().build();
        try (Response response = healthHttp.newCall(probe).execute()) {
            return response.code() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The ids of the models the backend serves ({@code GET /models}). */
    public List<String> models() {
        final String key = currentKey();
        final Failures failures = failures(key);
        try (Response response = http.newCall(authorized(endpoints.api("models"), key).get().build()).execute()) {
            final String text = response.body().string();
            final RateLimits limits = RateLimits.parse(response::header, clock.instant());
            if (!response.isSuccessful()) {
                throw failures.status(response.code(), text, limits);
            }
            final List<String> ids = new ArrayList<>();
            try {
                Json.MAPPER.readTree(text).path("data").forEach(m -> ids.add(m.path("id").asText()));
            } catch (IOException e) {
                throw failures.malformed(response.code(), "the model list is not JSON", text, limits);
            }
            return ids;
        } catch (IOException e) {
            throw failures.io(e);
        }
    }

    private static byte[] serialize(final ChatRequest request) {
        try {
            return Json.MAPPER.writeValueAsBytes(request.toJson());
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a chat request", e);
        }
    }

    private String currentKey() {
        final String key;
        try {
            key = apiKey == null ? null : apiKey.get();
        } catch (RuntimeException e) {
            // The supplier's own message is not copied: it is not ours to vouch for.
            throw new BackendException(BackendException.Kind.AUTHENTICATION, 0,
                    "AUTHENTICATION: the API key supplier failed with " + e.getClass().getSimpleName(), null, null, e);
        }
        if (key == null || key.isBlank()) {
            return null;
        }
        final String trimmed = key.strip();
        // Checked here because OkHttp's own header check would quote the offending value in its message.
        if (!trimmed.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new BackendException(BackendException.Kind.AUTHENTICATION,
                    "AUTHENTICATION: the API key contains characters not allowed in an HTTP header");
        }
        return trimmed;
    }

    private Failures failures(final String key) {
        final List<String> secrets = new ArrayList<>(headers.values());
        secrets.add(key);
        return new Failures(secrets);
    }

    private Request.Builder authorized(final HttpUrl url, final String key) {
        final Request.Builder builder = new Request.Builder().url(url).header("Accept", "application/json");
        headers.forEach(builder::header);
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    @Override
    public void close() {
        http.connectionPool().evictAll();
        http.dispatcher().executorService().shutdown();
    }

    @Override
    public String toString() {
        return "ChatCompletionClient[" + endpoints + ", apiKey="
                + (apiKey == null ? "none" : "supplied") + ", headers=" + headers.keySet() + "]";
    }
}
