package dev.slmrouter.worker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.slmrouter.worker.client.BackendException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a call can fail, typed (own fixtures). */
class BackendFailureTest {

    private static final ChatRequest REQUEST = ChatRequest.builder("m").messages(ChatMessage.user("x")).build();
    private static final String QUOTA = "You exceeded your current quota, please check your plan and billing details.";
    private static final String CONTEXT = "This model's maximum context length is 4096 tokens. However, you requested"
            + " 5120 tokens (4096 in the messages, 1024 in the completion). Please reduce the length of the messages"
            + " or completion.";

    private final MockBackend backend = new MockBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    private BackendException fail(final ChatCompletionClient client) {
        return catchThrowableOfType(BackendException.class, () -> client.complete(REQUEST));
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of(429, "openai/error-429-rate-limit.json", Kind.RATE_LIMITED, true, "tokens", "rate_limit_exceeded"),
                Arguments.of(429, "openai/error-429-quota-code.json", Kind.QUOTA_EXHAUSTED, false, "insufficient_quota", "insufficient_quota"),
                Arguments.of(429, "openai/error-429-quota-null.json", Kind.QUOTA_EXHAUSTED, false, "insufficient_quota", null),
                Arguments.of(400, "openai/error-400-unknown-parameter.json", Kind.BAD_REQUEST, false, "invalid_request_error", "unknown_parameter"),
                Arguments.of(400, "vllm/error-flat.json", Kind.BAD_REQUEST, false, "BadRequestError", "400"),
                Arguments.of(400, "vllm/error-nested.json", Kind.BAD_REQUEST, false, "BadRequestError", "400"),
                Arguments.of(503, "vllm/error-nested-503.json", Kind.SERVER_ERROR, true, "ServiceUnavailableError", "503"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("statuses")
    void errorBodiesAreTyped(final int status, final String fixture, final Kind kind, final boolean retryable,
                             final String type, final String code) {
        backend.answer(status, Fixtures.own(fixture));

        final BackendException e = fail(backend.client());

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.retryable()).isEqualTo(retryable);
        assertThat(e.httpStatus()).hasValue(status);
        assertThat(e.error()).hasValueSatisfying(error -> {
            assertThat(error.type()).isEqualTo(type);
            assertThat(error.code()).isEqualTo(code);
        });
        assertThat(e.getMessage()).startsWith(kind + ": HTTP " + status + ": ");
    }

    @Test
    void messagesCarryTheBackendsOwnWords() {
        backend.answer(429, Fixtures.own("openai/error-429-quota-null.json"));
        backend.answer(400, Fixtures.own("vllm/error-flat.json"));
        backend.answer(400, Fixtures.own("openai/error-400-unknown-parameter.json"));

        assertThat(fail(backend.client()).getMessage()).isEqualTo("QUOTA_EXHAUSTED: HTTP 429: " + QUOTA);
        assertThat(fail(backend.client()).getMessage()).isEqualTo("BAD_REQUEST: HTTP 400: " + CONTEXT);
        assertThat(fail(backend.client()).error()).contains(new BackendError("Unknown parameter: 'structured_outputs'.",
                "invalid_request_error", "structured_outputs", "unknown_parameter"));
    }

    static Stream<Arguments> bareStatuses() {
        return Stream.of(Arguments.of(401, Kind.AUTHENTICATION, false), Arguments.of(403, Kind.AUTHENTICATION, false),
                Arguments.of(404, Kind.NOT_FOUND, false), Arguments.of(408, Kind.TIMEOUT, true),
                Arguments.of(409, Kind.CONFLICT, true), Arguments.of(413, Kind.BAD_REQUEST, false),
                Arguments.of(422, Kind.BAD_REQUEST, false), Arguments.of(500, Kind.SERVER_ERROR, true),
                Arguments.of(502, Kind.SERVER_ERROR, true), Arguments.of(504, Kind.SERVER_ERROR, true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("bareStatuses")
    void statusesWithoutAKnownBodyAreTypedByStatus(final int status, final Kind kind, final boolean retryable) {
        backend.answer(status, "<html><body>upstream says no</body></html>");

        final BackendException e = fail(backend.client());

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.retryable()).isEqualTo(retryable);
        assertThat(e.error()).isEmpty();
        assertThat(e.getMessage()).isEqualTo(kind + ": HTTP " + status + ": <html><body>upstream says no</body></html>");
    }

    @Test
    void fastApiValidationDetailIsTheMessage() {
        backend.answer(422, "{\"detail\":[{\"loc\":[\"body\",\"messages\"],\"msg\":\"field required\"}]}");

        final BackendException e = fail(backend.client());

        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.getMessage())
                .isEqualTo("BAD_REQUEST: HTTP 422: [{\"loc\":[\"body\",\"messages\"],\"msg\":\"field required\"}]");
    }

    @Test
    void retryAfterMillisecondsWinOverSecondsAndAnHttpDateCounts() {
        backend.answer(429, Fixtures.own("openai/error-429-rate-limit.json"), "retry-after-ms: 500", "retry-after: 1");
        backend.answer(503, "", "Retry-After: 2");
        backend.answer(429, Fixtures.own("openai/error-429-rate-limit.json"),
                "Retry-After: Wed, 21 Oct 2015 07:28:30 GMT");
        backend.answer(429, Fixtures.own("openai/error-429-rate-limit.json"));
        final Clock clock = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);
        final ChatCompletionClient client = ChatCompletionClient.builder(backend.baseUrl()).clock(clock).build();

        assertThat(fail(client).retryAfter()).contains(Duration.ofMillis(500));
        assertThat(fail(client).retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(fail(client).retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(fail(client).retryAfter()).isEmpty();
    }

    @Test
    void quotaExhaustionIsNotRetryableEvenWithRetryAfter() {
        backend.answer(429, Fixtures.own("openai/error-429-quota-code.json"), "retry-after: 20");

        final BackendException e = fail(backend.client());

        assertThat(e.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
        assertThat(e.retryable()).isFalse();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
    }

    @Test
    void aSlowBackendIsATimeout() {
        backend.enqueue(new MockResponse.Builder().body(Fixtures.own("openai/chat-refusal.json"))
                .headersDelay(3, TimeUnit.SECONDS).build());
        final ChatCompletionClient client = ChatCompletionClient.builder(backend.baseUrl())
                .readTimeout(Duration.ofMillis(200)).build();

        final BackendException e = fail(client);

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).isEmpty();
        assertThat(e.getMessage()).startsWith("TIMEOUT: ");
    }

    @Test
    void theWholeCallTimeoutCountsToo() {
        backend.enqueue(new MockResponse.Builder().body(Fixtures.own("openai/chat-refusal.json"))
                .bodyDelay(3, TimeUnit.SECONDS).build());
        final ChatCompletionClient client = ChatCompletionClient.builder(backend.baseUrl())
                .callTimeout(Duration.ofMillis(300)).build();

        assertThat(fail(client).kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void aRefusedConnectionIsAConnectionFailure() throws IOException {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final ChatCompletionClient client = ChatCompletionClient.builder("http://127.0.0.1:" + port + "/v1").build();

        final BackendException e = fail(client);

        assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
        assertThat(e.httpStatus()).isEmpty();
    }

    @Test
    void aConnectionDroppedBeforeTheAnswerIsAConnectionFailureAndNotSilentlyRetried() {
        backend.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        backend.answer(200, Fixtures.own("openai/chat-refusal.json"));

        final BackendException e = fail(backend.client());

        assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(backend.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aSuccessStatusWithoutACompletionIsMalformed() {
        backend.answer(200, "<html>maintenance</html>");
        backend.answer(200, "{\"id\":\"x\",\"choices\":[]}");
        backend.answer(200, Fixtures.own("vllm/error-flat.json"));
        backend.answer(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":[1]}}]}");
        backend.answer(200, "{\"choices\":[{\"index\":0,\"text\":\"completions shape\"}]}");
        backend.answer(200, "");
        final ChatCompletionClient client = backend.client();

        assertThat(Stream.generate(() -> fail(client)).limit(6)).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
            assertThat(e.retryable()).isFalse();
            assertThat(e.httpStatus()).hasValue(200);
        }).extracting(Throwable::getMessage).containsExactly(
                "MALFORMED_RESPONSE: HTTP 200, the body is not JSON",
                "MALFORMED_RESPONSE: HTTP 200, the body has no choices",
                "MALFORMED_RESPONSE: HTTP 200, the body has no choices: the backend says: " + CONTEXT,
                "MALFORMED_RESPONSE: HTTP 200, choice 0 has content that is not text",
                "MALFORMED_RESPONSE: HTTP 200, choice 0 has no message",
                "MALFORMED_RESPONSE: HTTP 200, the body is not a JSON object");
    }
}
