package dev.slmrouter.gpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.Alert;
import dev.slmrouter.events.AlertKind;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.gpt.limit.RateLimiter;
import dev.slmrouter.serde.InMemorySchemaRegistry;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.client.ChatCompletionClient;
import dev.slmrouter.worker.client.Fixtures;
import dev.slmrouter.worker.client.OpenApiRequestSchema;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GPT handler against a MockWebServer replaying OpenAI's real bodies (../shared/contracts/openai,
 * read in place; those tests say SKIPPED where the folder is absent) and bodies of this project's own:
 * a refusal or a truncated answer is never OK, the first of several choices is used, insufficient_quota
 * and 400 are not retried, a 429 is, and the rate-limit headers reach the limiter. Every request shape the
 * worker sends validates against OpenAI's official CreateChatCompletionRequest schema.
 */
class GptRecordHandlerContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"}},"
            + "\"required\":[\"total\"],\"additionalProperties\":false}";

    private final Topics topics = Topics.defaults();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private MockWebServer server;
    private ChatCompletionClient client;
    private RateLimiter limiter;
    private GptRecordHandler handler;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        final GptWorkerConfig config = GptWorkerConfig.from(Settings.of(Map.of(
                "kafka.bootstrap.servers", "unused:9092", "schema.registry.url", "http://unused",
                "gpt.base.url", server.url("/v1").toString(), "gpt.api.key", "sk-test-contract",
                "gpt.backoff.min", "1ms", "gpt.backoff.max", "2ms")));
        client = GptWorkerApp.client(config);
        limiter = new RateLimiter(0, 0, Duration.ofMinutes(1), System::nanoTime);
        handler = new GptRecordHandler(config, topics.gptRequests().valueSerde(registry).deserializer(),
                topics.escalations().valueSerde(registry).deserializer(), client, new OutcomeWriter(topics, registry),
                new GptMetrics(new SimpleMeterRegistry()), Runnable::run, Clock.systemUTC(), limiter, null);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    private void enqueue(final int status, final String body, final Map<String, String> headers) {
        final MockResponse.Builder response = new MockResponse.Builder().code(status)
                .addHeader("Content-Type", "application/json").body(body);
        headers.forEach(response::addHeader);
        server.enqueue(response.build());
    }

    private List<ProducerRecord<byte[], byte[]>> handle(final InferenceRequest request) throws Exception {
        final RoutedRequest routed = GptStack.routed(request);
        final byte[] value = topics.gptRequests().valueSerde(registry).serializer().serialize(topics.gptRequests().name(), routed);
        return handler.handle(new ConsumerRecord<>(topics.gptRequests().name(), 0, 0L,
                request.getRequestId().getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private InferenceResult result(final List<ProducerRecord<byte[], byte[]>> out) {
        final ProducerRecord<byte[], byte[]> record = out.get(0);
        assertThat(record.topic()).isEqualTo(topics.results().name());
        return topics.results().valueSerde(registry).deserializer().deserialize(record.topic(), record.value());
    }

    private InferenceResult answer(final InferenceRequest request, final int status, final String body) throws Exception {
        enqueue(status, body, Map.of());
        final List<ProducerRecord<byte[], byte[]>> out = handle(request);
        assertThat(out).hasSize(1);
        return result(out);
    }

    private static InferenceRequest request() {
        return GptStack.request("r1", "acme");
    }

    private static String chat(final String content, final String finish) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-2024-08-06\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + content
                + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"" + finish + "\"}],"
                + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":2,\"total_tokens\":22},"
                + "\"system_fingerprint\":\"fp_test\"}";
    }

    @Test
    void recordedRefusalIsAFailedResultNotAnAnswer() throws Exception {
        final InferenceResult result = answer(request(), 200,
                Fixtures.contractText("openai/recorded/test_parse_pydantic_model_refusal.response.json"));

        assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.getError()).isEqualTo("REFUSAL: I'm very sorry, but I can't assist with that.");
        assertThat(result.getPromptTokens()).isEqualTo(79);
        assertThat(result.getCostUsd()).isEqualTo((79 * 2.50 + 12 * 10.00) / 1_000_000);
        assertThat(result.getAudit().getModelRevision()).isEqualTo("fp_5050236cbd");
    }

    @Test
    void recordedTruncatedJsonIsAFailedResult() throws Exception {
        final InferenceResult result = answer(InferenceRequest.newBuilder(request()).setResponseSchema(SCHEMA).build(), 200,
                Fixtures.contractText("openai/recorded/test_parse_max_tokens_reached.response.json"));

        assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.getError()).startsWith("TRUNCATED");
        assertThat(result.getAnswer()).isEqualTo("{\"");
    }

    @Test
    void recordedSeveralChoicesUseTheFirst() throws Exception {
        final String body = Fixtures.contractText("openai/recorded/test_parse_pydantic_model_multiple_choices.response.json");
        final String first = JSON.readTree(body).path("choices").get(0).path("message").path("content").asText();

        final InferenceResult result = answer(request(), 200, body);

        assertThat(result.getStatus()).isEqualTo(ResultStatus.OK);
        assertThat(result.getAnswer()).isEqualTo(first);
    }

    @Test
    void ownTruncatedAndSchemaBreakingAnswersAreNeverOk() throws Exception {
        final InferenceRequest structured = InferenceRequest.newBuilder(request()).setResponseSchema(SCHEMA).build();
        assertThat(answer(structured, 200, chat("\"{\\\"tot\"", "length")).getError()).startsWith("TRUNCATED");
        final InferenceResult broken = answer(structured, 200, chat("\"{\\\"sum\\\": 3}\"", "stop"));
        assertThat(broken.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(broken.getError()).startsWith("SCHEMA_FAIL");
        assertThat(broken.getSchemaValid()).isFalse();
        final InferenceResult valid = answer(structured, 200, chat("\"{\\\"total\\\": 3}\"", "stop"));
        assertThat(valid.getStatus()).isEqualTo(ResultStatus.OK);
        assertThat(valid.getSchemaValid()).isTrue();
    }

    @Test
    void realInsufficientQuotaBodiesFailAtOnceWithOneAlert() throws Exception {
        enqueue(429, Fixtures.contractText("openai/real-error-bodies/429-insufficient_quota-2024.json"), Map.of());
        enqueue(429, Fixtures.contractText("openai/real-error-bodies/429-insufficient_quota-2023-code-null.json"), Map.of());

        final List<ProducerRecord<byte[], byte[]>> first = handle(request());
        final List<ProducerRecord<byte[], byte[]>> second = handle(GptStack.request("r2", "acme"));

        assertThat(result(first).getError()).startsWith("QUOTA_EXHAUSTED after 1 call(s)");
        assertThat(result(second).getError()).startsWith("QUOTA_EXHAUSTED after 1 call(s)");
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(first).hasSize(2);
        final Alert alert = topics.alerts().valueSerde(registry).deserializer()
                .deserialize(topics.alerts().name(), first.get(1).value());
        assertThat(alert.getKind()).isEqualTo(AlertKind.QUOTA_EXHAUSTED);
        assertThat(second).as("one alert an hour").hasSize(1);
    }

    @Test
    void realBadRequestBodyIsNotRetried() throws Exception {
        final InferenceResult result = answer(request(), 400,
                Fixtures.contractText("openai/real-error-bodies/400-unknown_parameter-response_format.schema.json"));

        assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.getError()).startsWith("BAD_REQUEST after 1 call(s)")
                .contains("Unknown parameter: 'response_format.schema'.");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRateLimited429IsRetriedAndTheHeadersReachTheLimiter() throws Exception {
        enqueue(429, "{\"error\":{\"message\":\"Rate limit reached for gpt-4o on requests per min (RPM): Limit 500\","
                + "\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}", Map.of("retry-after-ms", "5"));
        enqueue(200, chat("\"Rayleigh scattering\"", "stop"), Map.of("x-ratelimit-limit-requests", "500",
                "x-ratelimit-limit-tokens", "30000", "x-ratelimit-remaining-requests", "499",
                "x-ratelimit-remaining-tokens", "29900", "x-ratelimit-reset-requests", "120ms",
                "x-ratelimit-reset-tokens", "200ms"));

        final InferenceResult result = result(handle(request()));

        assertThat(result.getStatus()).isEqualTo(ResultStatus.OK);
        assertThat(result.getAttempts()).isEqualTo(2);
        assertThat(limiter.requestsPerMinute()).isEqualTo(475);
        assertThat(limiter.tokensPerMinute()).isEqualTo(28_500);
        assertThat(limiter.requestsInWindow()).as("the answered call; the refused one ended before a limit was known")
                .isEqualTo(1);
    }

    @Test
    void anAzureStyleKeyGoesInTheApiKeyHeader() throws Exception {
        final GptWorkerConfig azure = GptWorkerConfig.from(Settings.of(Map.of(
                "kafka.bootstrap.servers", "unused:9092", "schema.registry.url", "http://unused",
                "gpt.base.url", server.url("/openai/v1").toString(), "gpt.api.key", "azure-secret-key",
                "gpt.api.key.header", "api-key")));
        try (ChatCompletionClient azureClient = GptWorkerApp.client(azure)) {
            enqueue(200, chat("\"ok\"", "stop"), Map.of());
            azureClient.complete(dev.slmrouter.worker.client.ChatRequest.builder("gpt-4o")
                    .messages(dev.slmrouter.worker.client.ChatMessage.user("hi")).build());
        }
        final RecordedRequest sent = server.takeRequest();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/v1/chat/completions");
        assertThat(sent.getHeaders().get("api-key")).isEqualTo("azure-secret-key");
        assertThat(sent.getHeaders().get("Authorization")).isNull();
        assertThat(azure.toString()).doesNotContain("azure-secret-key");
    }

    @Test
    void everyRequestShapeTheWorkerSendsMatchesOpenAisOfficialSpec() throws Exception {
        final OpenApiRequestSchema spec = OpenApiRequestSchema.load(
                Fixtures.contractText("openai/subset-chat-batch-errors.yaml"), "CreateChatCompletionRequest");
        final Map<String, InferenceRequest> shapes = new LinkedHashMap<>();
        shapes.put("plain", request());
        shapes.put("labels", InferenceRequest.newBuilder(request()).setLabels(List.of("refund", "card_declined")).build());
        shapes.put("schema", InferenceRequest.newBuilder(request()).setResponseSchema(SCHEMA).build());
        shapes.put("sampling", InferenceRequest.newBuilder(request()).setSeed(-7L).setTemperature(1.3)
                .setMaxOutputTokens(64).build());
        final List<String> problems = new ArrayList<>();
        for (final Map.Entry<String, InferenceRequest> shape : shapes.entrySet()) {
            answer(shape.getValue(), 200, chat("\"{\\\"total\\\": 1}\"", "stop"));
            final RecordedRequest sent = server.takeRequest();
            assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-contract");
            final JsonNode body = JSON.readTree(sent.getBody().utf8());
            spec.problems(body).forEach(p -> problems.add(shape.getKey() + ": " + p));
            if (shape.getKey().equals("schema")) {
                assertThat(body.path("response_format").path("json_schema").path("strict").asBoolean()).isTrue();
            }
            if (shape.getKey().equals("sampling")) {
                assertThat(body.path("seed").asLong()).isEqualTo(-7L);
                assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
            }
        }
        assertThat(problems).isEmpty();
    }
}
