package dev.slmrouter.worker.client;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Settings of a {@link ChatCompletionClient}. Defaults: connect 5 s, read 60 s, whole call 120 s,
 * health probe 2 s, up to 64 idle pooled connections kept 4 s. The short keep-alive is deliberate:
 * vLLM's server closes idle connections after 5 s ({@code VLLM_HTTP_TIMEOUT_KEEP_ALIVE}), and with
 * OkHttp's retry-on-connection-failure off, a POST on a connection the server already closed would
 * fail instead of being silently resent. Header values (an Azure {@code api-key}) are treated as
 * secrets: redacted from messages and never shown by {@code toString()}.
 */
public final class ChatCompletionClientBuilder {

    private final HttpUrl baseUrl;
    private Supplier<String> apiKey;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(60);
    private Duration callTimeout = Duration.ofSeconds(120);
    private Duration healthTimeout = Duration.ofSeconds(2);
    private int maxIdleConnections = 64;
    private Duration keepAlive = Duration.ofSeconds(4);
    private Clock clock = Clock.systemUTC();

    ChatCompletionClientBuilder(final String baseUrl) {
        final HttpUrl parsed = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl"));
        if (parsed == null) {
            // The text is not echoed: a URL can carry credentials.
            throw new IllegalArgumentException("the base URL is not an http(s) URL");
        }
        this.baseUrl = parsed;
    }

    /** The API key, read on every call; absent (the default) sends no Authorization header, as vLLM needs. */
    public ChatCompletionClientBuilder apiKey(final Supplier<String> value) {
        apiKey = value;
        return this;
    }

    /** {@code OpenAI-Organization}. */
    public ChatCompletionClientBuilder organization(final String value) {
        return header("OpenAI-Organization", value);
    }

    /** {@code OpenAI-Project}. */
    public ChatCompletionClientBuilder project(final String value) {
        return header("OpenAI-Project", value);
    }

    /** Bound on opening the TCP (and TLS) connection. */
    public ChatCompletionClientBuilder connectTimeout(final Duration value) {
        connectTimeout = positive(value);
        return this;
    }

    /** Longest silence while reading the answer; a completion arrives in one piece, so this bounds generation. */
    public ChatCompletionClientBuilder readTimeout(final Duration value) {
        readTimeout = positive(value);
        return this;
    }

    /** Bound on the whole call, connect to last byte. */
    public ChatCompletionClientBuilder callTimeout(final Duration value) {
        callTimeout = positive(value);
        return this;
    }

    /** Bound on one {@link ChatCompletionClient#health()} probe; a probe that takes longer says "down". */
    public ChatCompletionClientBuilder healthTimeout(final Duration value) {
        healthTimeout = positive(value);
        return this;
    }

    /** The clock that turns an HTTP-date {@code Retry-After} into a wait (tests). */
    public ChatCompletionClientBuilder clock(final Clock value) {
        clock = Objects.requireNonNull(value);
        return this;
    }

    /** Idle connections kept for reuse; size it to the worker's in-flight limit so bursts do not reconnect. */
    public ChatCompletionClientBuilder connectionPool(final int maxIdle, final Duration keepAliveDuration) {
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must not be negative");
        }
        maxIdleConnections = maxIdle;
        keepAlive = positive(keepAliveDuration);
        return this;
    }

    /** An extra header on every call, for example Azure's {@code api-key}; a null or blank value is ignored. */
    public ChatCompletionClientBuilder header(final String name, final String value) {
        Objects.requireNonNull(name, "name");
        if (value != null && !value.isBlank()) {
            // Checked here because OkHttp's own check would quote the (possibly secret) value in its message.
            if (!value.chars().allMatch(c -> c == '\t' || c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException(
                        "the value of header " + name + " has characters not allowed in HTTP");
            }
            headers.put(name, value);
        }
        return this;
    }

    public ChatCompletionClient build() {
        final OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(callTimeout)
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(maxIdleConnections, keepAlive.toMillis(), TimeUnit.MILLISECONDS))
                .build();
        final OkHttpClient healthHttp = http.newBuilder().callTimeout(healthTimeout).readTimeout(healthTimeout).build();
        return new ChatCompletionClient(this, http, healthHttp);
    }

    HttpUrl baseUrl() {
        return baseUrl;
    }

    Supplier<String> apiKey() {
        return apiKey;
    }

    Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    Clock clock() {
        return clock;
    }

    private static Duration positive(final Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("a timeout must be positive");
        }
        return value;
    }
}
