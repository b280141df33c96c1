package dev.slmrouter.slm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.events.ShadowRequest;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.serde.InMemorySchemaRegistry;
import dev.slmrouter.slm.health.CircuitBreaker;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.client.ChatCompletionClient;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SLM handler's shadow paths against a MockWebServer: a sampled answer is the user's result plus a
 * shadow request in the same outcome; in the shadow-only stage the SLM's answer or draft only goes to the
 * shadow requests, and a down vLLM hands the request to GPT at once instead of holding it.
 */
class SlmShadowHandlerTest {

    private final Topics topics = Topics.defaults();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private MockWebServer server;
    private ChatCompletionClient client;
    private CircuitBreaker breaker;
    private SlmRecordHandler handler;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        final SlmWorkerConfig config = SlmWorkerConfig.from(Settings.of(Map.of(
                "kafka.bootstrap.servers", "unused:9092", "schema.registry.url", "http://unused",
                "slm.base.url", server.url("/v1").toString(), "slm.call.retries", "0",
                "slm.shadow.sample.rate", "1", "slm.shadow.only", "CLASSIFICATION")));
        client = ChatCompletionClient.builder(config.baseUrl()).build();
        // Its probe never succeeds: once open, the breaker stays open.
        breaker = new CircuitBreaker(1, Duration.ofSeconds(30), () -> false, Clock.systemUTC());
        handler = new SlmRecordHandler(config, topics.slmRequests().valueSerde(registry).deserializer(), client, breaker,
                new OutcomeWriter(topics, registry), new SlmMetrics(new SimpleMeterRegistry(), breaker, () -> 0),
                Runnable::run, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    private List<ProducerRecord<byte[], byte[]>> handle(final InferenceRequest request) throws Exception {
        final RoutedRequest routed = new RoutedRequest(request, RoutingDecision.newBuilder().setTier(Tier.SLM)
                .setTaskType(request.getTaskType()).setTaskTypeSource(DecisionSource.HINT).setTaskTypeConfidence(1)
                .setLanguage("en").setLanguageSource(DecisionSource.HINT).setLanguageConfidence(1).setTokenEstimate(9)
                .setDailyVolume(0).setVolumeBand(0).setMatrixScore(2).setRule(RoutingRule.MATRIX_SLM_PREFERRED)
                .setExplanation("t").setPolicyVersion("p").setDecidedAt(Instant.now()).build());
        final byte[] value = topics.slmRequests().valueSerde(registry).serializer().serialize(topics.slmRequests().name(), routed);
        return handler.handle(new ConsumerRecord<>(topics.slmRequests().name(), 0, 0L,
                request.getRequestId().getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private void answer(final String content, final double logprob) {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(
                "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"qwen\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"logprobs\":{\"content\":"
                        + "[{\"token\":\"" + content + "\",\"logprob\":" + logprob + ",\"top_logprobs\":[]}]},"
                        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":2,\"total_tokens\":22}}")
                .build());
    }

    private static InferenceRequest request(final TaskType type) {
        final InferenceRequest.Builder b = InferenceRequest.newBuilder().setRequestId("r1").setTenant("t").setTaskType(type)
                .setLanguage("en").setMessages(List.of(new ChatMessage("user", "Ticket: refund please")))
                .setCreatedAt(Instant.now());
        return type == TaskType.CLASSIFICATION ? b.setLabels(List.of("billing", "refund")).build() : b.build();
    }

    private ShadowRequest shadow(final ProducerRecord<byte[], byte[]> record) {
        assertThat(record.topic()).isEqualTo(topics.shadowRequests().name());
        return topics.shadowRequests().valueSerde(registry).deserializer().deserialize(record.topic(), record.value());
    }

    @Test
    void aSampledAnswerIsTheUsersResultAndAShadowRequest() throws Exception {
        answer("The refund was sent", -0.01);
        final List<ProducerRecord<byte[], byte[]>> out = handle(request(TaskType.SUMMARIZATION));

        assertThat(out).hasSize(2);
        assertThat(out.get(0).topic()).isEqualTo(topics.results().name());
        final ShadowRequest s = shadow(out.get(1));
        assertThat(s.getMode()).isEqualTo(ShadowMode.SAMPLE);
        assertThat(s.getSlmAnswer()).isEqualTo("The refund was sent");
        assertThat(s.getSlmThreshold()).isEqualTo(0.85);
        assertThat(s.getSlmEscalationReason()).isNull();
        assertThat(s.getSlmCostUsd()).isPositive();
    }

    @Test
    void theShadowOnlyStageSendsTheAnswerOrTheDraftOnlyToTheShadow() throws Exception {
        answer("refund", -0.01);
        final List<ProducerRecord<byte[], byte[]>> confident = handle(request(TaskType.CLASSIFICATION));
        answer("refund", -2.0);
        final List<ProducerRecord<byte[], byte[]>> unsure = handle(request(TaskType.CLASSIFICATION));

        assertThat(confident).hasSize(1);
        assertThat(shadow(confident.get(0)).getMode()).isEqualTo(ShadowMode.SHADOW_ONLY);
        assertThat(shadow(confident.get(0)).getSlmAnswer()).isEqualTo("refund");
        assertThat(shadow(confident.get(0)).getSlmEscalationReason()).isNull();
        assertThat(unsure).hasSize(1);
        assertThat(shadow(unsure.get(0)).getSlmEscalationReason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
        assertThat(shadow(unsure.get(0)).getSlmConfidence()).isLessThan(0.85);
    }

    @Test
    void theShadowOnlyStageNeverHoldsARequestForADownVllm() throws Exception {
        breaker.onFailure();
        assertThat(breaker.allowsCalls()).isFalse();
        final long start = System.nanoTime();
        final List<ProducerRecord<byte[], byte[]>> out = handle(request(TaskType.CLASSIFICATION));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(out).hasSize(1);
        final ShadowRequest s = shadow(out.get(0));
        assertThat(s.getSlmEscalationReason()).isEqualTo(EscalationReason.BACKEND_DOWN);
        assertThat(s.getSlmAnswer()).isNull();
        assertThat(server.getRequestCount()).isZero();
    }
}
