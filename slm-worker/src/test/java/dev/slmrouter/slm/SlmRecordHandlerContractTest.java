package dev.slmrouter.slm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.serde.InMemorySchemaRegistry;
import dev.slmrouter.slm.health.CircuitBreaker;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.client.ChatCompletionClient;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SLM handler against a MockWebServer answering with the shapes vLLM and OpenAI really send: each
 * body ends in exactly the outcome it should. Bodies written for this test always run; the real bodies
 * in ../shared/contracts run where that folder exists and say SKIPPED elsewhere.
 */
class SlmRecordHandlerContractTest {

    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"}},"
            + "\"required\":[\"total\"]}";
    private static final Path CONTRACTS = Path.of(System.getProperty("shared.dir", "../../shared"), "contracts");

    private final Topics topics = Topics.defaults();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private MockWebServer server;
    private SlmRecordHandler handler;
    private ChatCompletionClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        final SlmWorkerConfig config = SlmWorkerConfig.from(Settings.of(Map.of(
                "kafka.bootstrap.servers", "unused:9092", "schema.registry.url", "http://unused",
                "slm.base.url", server.url("/v1").toString(), "slm.call.retries", "0", "slm.schema.retries", "0")));
        client = ChatCompletionClient.builder(config.baseUrl()).build();
        final CircuitBreaker breaker = new CircuitBreaker(5, Duration.ofSeconds(1), client::health, Clock.systemUTC());
        handler = new SlmRecordHandler(config, topics.slmRequests().valueSerde(registry).deserializer(), client, breaker,
                new OutcomeWriter(topics, registry), new SlmMetrics(new SimpleMeterRegistry(), breaker, () -> 0),
                Runnable::run, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    private ProducerRecord<byte[], byte[]> answer(final InferenceRequest request, final int status, final String body)
            throws Exception {
        server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .body(body).build());
        final RoutedRequest routed = new RoutedRequest(request, RoutingDecision.newBuilder().setTier(Tier.SLM)
                .setTaskType(request.getTaskType()).setTaskTypeSource(DecisionSource.HINT).setTaskTypeConfidence(1)
                .setLanguage("en").setLanguageSource(DecisionSource.HINT).setLanguageConfidence(1).setTokenEstimate(9)
                .setDailyVolume(0).setVolumeBand(0).setMatrixScore(3).setRule(RoutingRule.MATRIX_TIE)
                .setExplanation("t").setPolicyVersion("p").setDecidedAt(Instant.now()).build());
        final byte[] value = topics.slmRequests().valueSerde(registry).serializer()
                .serialize(topics.slmRequests().name(), routed);
        final List<ProducerRecord<byte[], byte[]>> out = handler.handle(new ConsumerRecord<>(topics.slmRequests().name(),
                0, 0L, request.getRequestId().getBytes(StandardCharsets.UTF_8), value)).get();
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private Escalation escalation(final ProducerRecord<byte[], byte[]> record) {
        assertThat(record.topic()).isEqualTo(topics.escalations().name());
        return topics.escalations().valueSerde(registry).deserializer().deserialize(record.topic(), record.value());
    }

    private static InferenceRequest request(final TaskType type) {
        return InferenceRequest.newBuilder().setRequestId("r1").setTenant("t").setTaskType(type).setLanguage("en")
                .setMessages(List.of(new ChatMessage("user", "Ticket: my card was declined")))
                .setCreatedAt(Instant.now()).build();
    }

    private static String chat(final String content, final String finish, final String logprobs) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"qwen-7b\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + content
                + ",\"reasoning_content\":null,\"tool_calls\":[]},\"logprobs\":" + logprobs + ",\"finish_reason\":\""
                + finish + "\",\"stop_reason\":null}],\"usage\":{\"prompt_tokens\":20,\"total_tokens\":22,"
                + "\"completion_tokens\":2},\"prompt_logprobs\":null,\"kv_transfer_params\":null}";
    }

    @Test
    void shouldAcceptAConfidentLabelAndIgnoreVllmsExtraFields() throws Exception {
        final ProducerRecord<byte[], byte[]> out = answer(InferenceRequest.newBuilder(request(TaskType.CLASSIFICATION))
                .setLabels(List.of("card_declined", "refund")).build(), 200, chat("\"card_declined\"", "stop",
                "{\"content\":[{\"token\":\"card_declined\",\"logprob\":-0.01,\"bytes\":null,\"top_logprobs\":[]}]}"));

        assertThat(out.topic()).isEqualTo(topics.results().name());
        final InferenceResult result = topics.results().valueSerde(registry).deserializer()
                .deserialize(out.topic(), out.value());
        assertThat(result.getLabel()).isEqualTo("card_declined");
        assertThat(result.getConfidence()).isCloseTo(Math.exp(-0.01), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(result.getPromptTokens()).isEqualTo(20);
    }

    @Test
    void shouldTreatANotInTopTwentyLogprobAsUnconfident() throws Exception {
        final Escalation e = escalation(answer(InferenceRequest.newBuilder(request(TaskType.CLASSIFICATION))
                .setLabels(List.of("card_declined", "refund")).build(), 200, chat("\"card_declined\"", "stop",
                "{\"content\":[{\"token\":\"card_declined\",\"logprob\":-9999.0,\"bytes\":null,\"top_logprobs\":[]}]}")));

        assertThat(e.getReason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
        assertThat(e.getDraft()).isEqualTo("card_declined");
        assertThat(e.getConfidence()).isLessThan(0.001);
    }

    @Test
    void shouldEscalateMissingLogprobsAsLowConfidence() throws Exception {
        assertThat(escalation(answer(request(TaskType.SUMMARIZATION), 200, chat("\"A summary.\"", "stop", "null")))
                .getReason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
    }

    @Test
    void shouldEscalateTruncatedJsonAsTruncated() throws Exception {
        final Escalation e = escalation(answer(InferenceRequest.newBuilder(request(TaskType.EXTRACTION))
                .setResponseSchema(SCHEMA).build(), 200, chat("\"{\\\"total\\\": 12\"", "length",
                "{\"content\":[{\"token\":\"{\",\"logprob\":-0.01,\"bytes\":null,\"top_logprobs\":[]}]}")));

        assertThat(e.getReason()).isEqualTo(EscalationReason.TRUNCATED);
        assertThat(e.getDraft()).isEqualTo("{\"total\": 12");
    }

    @Test
    void shouldEscalateASchemaBreakingAnswerAfterItsRetries() throws Exception {
        final Escalation e = escalation(answer(InferenceRequest.newBuilder(request(TaskType.EXTRACTION))
                .setResponseSchema(SCHEMA).build(), 200, chat("\"{\\\"sum\\\": 12}\"", "stop",
                "{\"content\":[{\"token\":\"{\",\"logprob\":-0.01,\"bytes\":null,\"top_logprobs\":[]}]}")));

        assertThat(e.getReason()).isEqualTo(EscalationReason.SCHEMA_FAIL);
        assertThat(e.getDetail()).contains("total");
    }

    @Test
    void shouldEscalateARefusal() throws Exception {
        final String body = "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{"
                + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help with"
                + " that.\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":5,\"total_tokens\":10}}";

        assertThat(escalation(answer(request(TaskType.SUMMARIZATION), 200, body)).getReason())
                .isEqualTo(EscalationReason.REFUSAL);
    }

    @Test
    void shouldEscalateBothVllmErrorEnvelopesAsBackendErrors() throws Exception {
        final String flat = "{\"object\":\"error\",\"message\":\"max_tokens is too large\",\"type\":"
                + "\"BadRequestError\",\"param\":null,\"code\":400}";
        final String nested = "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"BadRequestError\","
                + "\"param\":null,\"code\":400}}";

        for (String body : List.of(flat, nested)) {
            final Escalation e = escalation(answer(request(TaskType.SUMMARIZATION), 400, body));
            assertThat(e.getReason()).isEqualTo(EscalationReason.BACKEND_ERROR);
            assertThat(e.getDetail()).contains("max_tokens is too large");
        }
    }

    @Test
    void shouldEscalateTheRealVllmErrorBodiesAsBackendErrors() throws Exception {
        final Path bodies = CONTRACTS.resolve("vllm/real-bodies");
        Assumptions.assumeTrue(Files.isDirectory(bodies), "SKIPPED: " + bodies + " not present (../shared is absent)");
        for (String file : List.of("error-flat-pre-v0.10.1.json", "error-nested-v0.10.1-plus.json")) {
            final Escalation e = escalation(answer(request(TaskType.SUMMARIZATION), 400,
                    Files.readString(bodies.resolve(file))));
            assertThat(e.getReason()).as(file).isEqualTo(EscalationReason.BACKEND_ERROR);
        }
    }

    @Test
    void shouldEscalateTheRealOpenAiRefusalAndMaxTokensBodies() throws Exception {
        final Path recorded = CONTRACTS.resolve("openai/recorded");
        Assumptions.assumeTrue(Files.isDirectory(recorded), "SKIPPED: " + recorded + " not present (../shared is absent)");
        assertThat(escalation(answer(request(TaskType.EXTRACTION), 200,
                Files.readString(recorded.resolve("test_parse_pydantic_model_refusal.response.json")))).getReason())
                .isEqualTo(EscalationReason.REFUSAL);
        assertThat(escalation(answer(request(TaskType.EXTRACTION), 200,
                Files.readString(recorded.resolve("test_parse_max_tokens_reached.response.json")))).getReason())
                .isEqualTo(EscalationReason.TRUNCATED);
    }
}
