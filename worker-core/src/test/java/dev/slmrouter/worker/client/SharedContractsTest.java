package dev.slmrouter.worker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slmrouter.worker.client.BackendException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client against the real bodies in ../shared/contracts (read in place; each test is skipped with
 * "SKIPPED: ..." when they are absent). The same behaviours are covered on own fixtures in
 * ChatCompletionClientTest, BackendFailureTest and BackendErrorTest.
 */
class SharedContractsTest {

    private static final ChatRequest REQUEST = ChatRequest.builder("m").messages(ChatMessage.user("x")).build();
    private static final String VLLM_CONTEXT = "This model's maximum context length is 32768 tokens. However, you"
            + " requested 39197 tokens in the messages, Please reduce the length of the messages. None";

    private final MockBackend backend = new MockBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    private ChatResponse answerWith(final String body) {
        backend.answer(200, body);
        return backend.client().complete(REQUEST);
    }

    private BackendException failWith(final int status, final String body) {
        backend.answer(status, body);
        return catchThrowableOfType(BackendException.class, () -> backend.client().complete(REQUEST));
    }

    @Test
    void openAiLogprobsExample() {
        final ChatResponse r = answerWith(Fixtures.contractText("openai/examples/chat-completions-post-logprobs.response.json"));

        assertThat(r.content()).isEqualTo("Hello! How can I assist you today?");
        assertThat(r.usage()).contains(new Usage(9, 9, 18, 0));
        assertThat(r.logprobs()).hasSize(9);
        assertThat(r.logprobs().get(0)).extracting(TokenLogprob::token, TokenLogprob::logprob, TokenLogprob::bytes)
                .containsExactly("Hello", -0.31725305, List.of(72, 101, 108, 108, 111));
        final TokenLogprob end = r.logprobs().get(2).topLogprobs().get(1);
        assertThat(end.token()).isEqualTo("<|end|>");
        assertThat(end.bytes()).isNull();
    }

    @Test
    void vllmLogprobsWithTheMinus9999TrailingToken() {
        // The stored body is cut inside "usage"; the test closes the JSON before it, leaving the real choices intact.
        final String partial = Fixtures.contractText("vllm/real-bodies/chat-logprobs-top2-guided_json-PR17637.PARTIAL.txt");
        final String line = partial.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        final String body = line.substring(0, line.indexOf(",\"usage\"")) + "}";

        final ChatResponse r = answerWith(body);

        assertThat(r.content()).isEqualTo("{}");
        assertThat(r.usage()).isEmpty();
        assertThat(r.logprobs()).extracting(TokenLogprob::token, TokenLogprob::logprob)
                .containsExactly(tuple("{", -0.03710511326789856), tuple("}", 0.0), tuple("", -9999.0));
        assertThat(r.logprobs().get(2).bytes()).isEmpty();
        assertThat(r.logprobs().get(2).isEmpty()).isTrue();
        assertThat(r.logprobs().get(0).topLogprobs()).extracting(TokenLogprob::token).containsExactly("{", "{}");
    }

    @Test
    void openAiDefaultExampleWithUsageDetailsAndServiceTier() {
        final ChatResponse r = answerWith(Fixtures.contractText("openai/examples/chat-completions-post-default.response.json"));

        assertThat(r.content()).isEqualTo("Hello! How can I assist you today?");
        assertThat(r.finishReason()).isEqualTo("stop");
        assertThat(r.usage()).contains(new Usage(19, 10, 29, 0));
        assertThat(r.logprobs()).isNull();
    }

    @Test
    void recordedTruncatedRefusalAndThreeChoices() {
        final ChatResponse truncated = answerWith(Fixtures.contractText("openai/recorded/test_parse_max_tokens_reached.response.json"));
        final ChatResponse refusal = answerWith(Fixtures.contractText("openai/recorded/test_parse_pydantic_model_refusal.response.json"));
        final ChatResponse three = answerWith(Fixtures.contractText("openai/recorded/test_parse_pydantic_model_multiple_choices.response.json"));

        assertThat(truncated.finishReason()).isEqualTo("length");
        assertThat(truncated.content()).isEqualTo("{\"");
        assertThat(truncated.usage()).contains(new Usage(79, 1, 80, 0));
        assertThat(truncated.systemFingerprint()).isEqualTo("fp_7568d46099");
        assertThat(refusal.content()).isNull();
        assertThat(refusal.refusal()).isEqualTo("I'm very sorry, but I can't assist with that.");
        assertThat(three.choices()).extracting(Choice::index, Choice::content).containsExactly(
                tuple(0, "{\"city\":\"San Francisco\",\"temperature\":64,\"units\":\"f\"}"),
                tuple(1, "{\"city\":\"San Francisco\",\"temperature\":65,\"units\":\"f\"}"),
                tuple(2, "{\"city\":\"San Francisco\",\"temperature\":63.0,\"units\":\"f\"}"));
    }

    @Test
    void everyRecordedResponseParses() throws IOException {
        final Path dir = Fixtures.contract("openai/recorded/test_parse_nothing.response.json").getParent();
        final List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".response.json")).sorted().toList();
        }

        assertThat(files).hasSize(14);
        for (Path file : files) {
            final ChatResponse r = answerWith(Files.readString(file));
            assertThat(r.finishReason()).as(file.toString()).isIn("stop", "length", "tool_calls");
            assertThat(r.usage()).as(file.toString()).isPresent();
        }
    }

    @Test
    void vllmErrorEnvelopesBothGenerations() {
        final BackendException flat = failWith(400, Fixtures.contractText("vllm/real-bodies/error-flat-pre-v0.10.1.json"));
        final BackendException nested = failWith(400, Fixtures.contractText("vllm/real-bodies/error-nested-v0.10.1-plus.json"));
        final BackendException issue = failWith(400, Fixtures.contractText("vllm/real-bodies/error-flat-issue12886.json"));

        for (BackendException e : List.of(flat, nested)) {
            assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
            assertThat(e.retryable()).isFalse();
            assertThat(e.error()).contains(new BackendError(VLLM_CONTEXT, "BadRequestError", null, "400"));
            assertThat(e.getMessage()).isEqualTo("BAD_REQUEST: HTTP 400: " + VLLM_CONTEXT);
        }
        assertThat(issue.error().orElseThrow().message()).startsWith("This model's maximum context length is 2048 tokens.");
    }

    @Test
    void realQuotaBodiesAreNotRetryable() {
        final BackendException withCode = failWith(429, Fixtures.contractText("openai/real-error-bodies/429-insufficient_quota-2024.json"));
        final BackendException withNull = failWith(429, Fixtures.contractText("openai/real-error-bodies/429-insufficient_quota-2023-code-null.json"));

        assertThat(List.of(withCode, withNull)).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
            assertThat(e.retryable()).isFalse();
        });
        assertThat(withCode.error().orElseThrow().code()).isEqualTo("insufficient_quota");
        assertThat(withNull.error().orElseThrow().code()).isNull();
    }

    @Test
    void realBadRequestBodies() {
        final BackendException unknown = failWith(400,
                Fixtures.contractText("openai/real-error-bodies/400-unknown_parameter-response_format.schema.json"));
        final String pyRepr = Fixtures.contractText("openai/real-error-bodies/400-json_object-invalid-schema.PYREPR.txt");
        final BackendException notJson = failWith(400, pyRepr);

        assertThat(unknown.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(unknown.error()).contains(new BackendError("Unknown parameter: 'response_format.schema'.",
                "invalid_request_error", "response_format.schema", "unknown_parameter"));
        assertThat(notJson.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(notJson.error()).isEmpty();
        assertThat(notJson.getMessage()).isEqualTo("BAD_REQUEST: HTTP 400: " + pyRepr.strip());
    }

    @Test
    void theClientSendsWhatTheDocumentedExamplesSend() throws IOException {
        final JsonNode openAi = Json.MAPPER.readTree(Fixtures.contractText("openai/examples/chat-completions-post-logprobs.request.json"));
        final JsonNode choice = Json.MAPPER.readTree(Fixtures.contractText("vllm/requests/chat-structured_outputs-choice.v0.12plus.request.json"));
        final JsonNode schema = Json.MAPPER.readTree(Fixtures.contractText("vllm/requests/chat-response_format-json_schema.request.json"));
        final String carSchema = schema.path("response_format").path("json_schema").path("schema").toString();

        final ObjectNode mine1 = ChatRequest.builder("VAR_chat_model_id").messages(ChatMessage.user("Hello!"))
                .logprobs(true, 2).build().toJson();
        final ObjectNode mine2 = ChatRequest.builder("<served-model-name>")
                .messages(ChatMessage.user("Classify this sentiment: vLLM is wonderful!"))
                .structuredOutputs(StructuredOutputs.choice(List.of("positive", "negative"))).build().toJson();
        final ObjectNode mine3 = ChatRequest.builder("<served-model-name>")
                .messages(ChatMessage.user(schema.path("messages").get(0).path("content").asText()))
                .responseFormat(ResponseFormat.jsonSchema("car-description", carSchema, null)).build().toJson();

        assertThat(mine1).isEqualTo(openAi);
        assertThat(mine2).isEqualTo(choice);
        assertThat(mine3).isEqualTo(schema);
    }
}
