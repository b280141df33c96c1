package dev.slmrouter.worker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.slmrouter.worker.client.BackendException.Kind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API key (and secret header values) must appear in no exception message, stack trace or toString. */
class ApiKeyLeakTest {

    private static final String KEY = "sk-proj-LEAKCANARY0123456789abcdef";
    private static final String AZURE_KEY = "azure0123456789LEAKCANARY";
    private static final ChatRequest REQUEST = ChatRequest.builder("m").messages(ChatMessage.user("x")).build();

    private final MockBackend backend = new MockBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    private ChatCompletionClient client(final String baseUrl) {
        return ChatCompletionClient.builder(baseUrl).apiKey(() -> KEY).header("api-key", AZURE_KEY)
                .readTimeout(Duration.ofMillis(300)).build();
    }

    /** Everything a log line could print about the failure: messages, toStrings and traces of the whole chain. */
    private static String everything(final Throwable failure) {
        final List<String> parts = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            parts.add(String.valueOf(t.getMessage()));
            parts.add(t.toString());
        }
        final StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        parts.add(trace.toString());
        return String.join("\n", parts);
    }

    @Test
    void aServerThatEchoesTheKeysCannotLeakThem() {
        backend.answer(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + " (header " + AZURE_KEY
                + ").\",\"type\":\"invalid_request_error\",\"param\":\"" + KEY + "\",\"code\":\"invalid_api_key\"}}");
        backend.answer(500, "Bad key " + KEY + " / " + AZURE_KEY);
        backend.answer(200, "{\"object\":\"error\",\"message\":\"key " + KEY + "\",\"type\":\"x\"}");
        final ChatCompletionClient client = client(backend.baseUrl());

        final List<BackendException> failures = List.of(
                catchThrowableOfType(BackendException.class, () -> client.complete(REQUEST)),
                catchThrowableOfType(BackendException.class, () -> client.complete(REQUEST)),
                catchThrowableOfType(BackendException.class, () -> client.complete(REQUEST)));

        assertThat(failures).extracting(BackendException::kind)
                .containsExactly(Kind.AUTHENTICATION, Kind.SERVER_ERROR, Kind.MALFORMED_RESPONSE);
        assertThat(failures.get(0).getMessage())
                .isEqualTo("AUTHENTICATION: HTTP 401: Incorrect API key provided: *** (header ***).");
        assertThat(failures.get(0).error().orElseThrow().param()).isEqualTo("***");
        for (BackendException failure : failures) {
            assertThat(everything(failure)).doesNotContain(KEY, AZURE_KEY);
            assertThat(failure.error().map(Object::toString).orElse("")).doesNotContain(KEY, AZURE_KEY);
        }
    }

    @Test
    void timeoutsAndConnectionFailuresDoNotLeakTheKey() throws IOException {
        backend.enqueue(new MockResponse.Builder().body("{}").headersDelay(2, TimeUnit.SECONDS).build());
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        final BackendException timeout = catchThrowableOfType(BackendException.class,
                () -> client(backend.baseUrl()).complete(REQUEST));
        final BackendException refused = catchThrowableOfType(BackendException.class,
                () -> client("http://127.0.0.1:" + port + "/v1").complete(REQUEST));

        assertThat(timeout.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(refused.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(everything(timeout)).doesNotContain(KEY, AZURE_KEY);
        assertThat(everything(refused)).doesNotContain(KEY, AZURE_KEY);
    }

    @Test
    void aKeyWithCharactersHttpForbidsFailsWithoutQuotingIt() {
        final String badKey = "sk-LEAKCANARY\nInjected: header";
        final ChatCompletionClient client = ChatCompletionClient.builder(backend.baseUrl()).apiKey(() -> badKey).build();

        final BackendException e = catchThrowableOfType(BackendException.class, () -> client.complete(REQUEST));
        final IllegalArgumentException header = catchThrowableOfType(IllegalArgumentException.class,
                () -> ChatCompletionClient.builder(backend.baseUrl()).header("api-key", badKey));

        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(e.getMessage())
                .isEqualTo("AUTHENTICATION: the API key contains characters not allowed in an HTTP header");
        assertThat(everything(e)).doesNotContain("LEAKCANARY");
        assertThat(header.getMessage()).isEqualTo("the value of header api-key has characters not allowed in HTTP");
        assertThat(backend.server.getRequestCount()).isZero();
    }

    @Test
    void aFailingKeySupplierIsAnAuthenticationFailureAndNothingIsSent() {
        final ChatCompletionClient client = ChatCompletionClient.builder(backend.baseUrl())
                .apiKey(() -> {
                    throw new IllegalStateException("cannot read /run/secrets/openai");
                }).build();

        final BackendException e = catchThrowableOfType(BackendException.class, () -> client.complete(REQUEST));

        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).isEqualTo("AUTHENTICATION: the API key supplier failed with IllegalStateException");
        assertThat(backend.server.getRequestCount()).isZero();
    }

    @Test
    void toStringsShowNoSecret() {
        final ChatCompletionClient client = client(backend.baseUrl());

        assertThat(client.toString()).doesNotContain(KEY, AZURE_KEY).contains("apiKey=supplied", "headers=[api-key]");
        assertThat(REQUEST.toString()).doesNotContain(KEY);
    }
}
