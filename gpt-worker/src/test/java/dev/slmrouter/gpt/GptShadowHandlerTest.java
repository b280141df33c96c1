package dev.slmrouter.gpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.events.ShadowRequest;
import dev.slmrouter.events.Tier;
import dev.slmrouter.gpt.limit.RateLimiter;
import dev.slmrouter.serde.InMemorySchemaRegistry;
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
 * The GPT handler's shadow paths against a MockWebServer: what each kind of shadow work produces (a
 * comparison only, or a result and a comparison), on which topics, with which costs, also when GPT fails.
 */
class GptShadowHandlerTest {

    private final Topics topics = Topics.defaults();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private MockWebServer server;
    private ChatCompletionClient client;
    private GptRecordHandler handler;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        final GptWorkerConfig config = GptWorkerConfig.from(Settings.of(Map.of(
                "kafka.bootstrap.servers", "unused:9092", "schema.registry.url", "http://unused",
                "gpt.base.url", server.url("/v1").toString(), "gpt.api.key", "sk-test-shadow",
                "gpt.shadow.model", "gpt-4o-mini", "gpt.retries", "0")));
        client = GptWorkerApp.client(config);
        handler = new GptRecordHandler(config, topics.gptRequests().valueSerde(registry).deserializer(),
                topics.escalations().valueSerde(registry).deserializer(),
                topics.shadowRequests().valueSerde(registry).deserializer(), client, new OutcomeWriter(topics, registry),
                new GptMetrics(new SimpleMeterRegistry()), Runnable::run, Clock.systemUTC(),
                new RateLimiter(0, 0, Duration.ofMinutes(1), System::nanoTime), null, null);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    private void answer(final String content) {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(
                "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100,\"total_tokens\":1100}}").build());
    }

    private static InferenceRequest ticket() {
        return InferenceRequest.newBuilder(GptStack.request("s1", "acme")).setLabels(List.of("billing", "refund")).build();
    }

    private static ShadowRequest shadow(final ShadowMode mode, final String slmAnswer) {
        return ShadowRequest.newBuilder().setRouted(GptStack.routed(ticket())).setMode(mode).setSlmAnswer(slmAnswer)
                .setSlmConfidence(0.93).setSlmThreshold(0.85).setSlmModel("qwen").setSlmPromptTokens(40)
                .setSlmCompletionTokens(2).setSlmCostUsd(0.000004).setCreatedAt(Instant.now()).build();
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<ProducerRecord<byte[], byte[]>> handle(
            final dev.slmrouter.topics.Topic<T> topic, final T value) throws Exception {
        final byte[] bytes = topic.valueSerde(registry).serializer().serialize(topic.name(), value);
        return handler.handle(new ConsumerRecord<>(topic.name(), 0, 0L, "s1".getBytes(StandardCharsets.UTF_8), bytes))
                .get();
    }

    private ShadowComparison comparison(final ProducerRecord<byte[], byte[]> record) {
        assertThat(record.topic()).isEqualTo(topics.shadowComparisons().name());
        return topics.shadowComparisons().valueSerde(registry).deserializer().deserialize(record.topic(), record.value());
    }

    private InferenceResult result(final ProducerRecord<byte[], byte[]> record) {
        assertThat(record.topic()).isEqualTo(topics.results().name());
        return topics.results().valueSerde(registry).deserializer().deserialize(record.topic(), record.value());
    }

    @Test
    void aSampleProducesOnlyAComparisonAnsweredByTheShadowModel() throws Exception {
        answer("billing");
        final List<ProducerRecord<byte[], byte[]>> out = handle(topics.shadowRequests(), shadow(ShadowMode.SAMPLE, "billing"));

        assertThat(out).hasSize(1);
        final ShadowComparison c = comparison(out.get(0));
        assertThat(c.getAgreed()).isTrue();
        assertThat(c.getGptModel()).isEqualTo("gpt-4o-mini");
        assertThat(server.takeRequest().getBody().utf8()).contains("\"model\":\"gpt-4o-mini\"");
        // gpt-4o-mini at $0.15 / $0.60 per million tokens.
        assertThat(c.getGptCostUsd()).isEqualTo((1000 * 0.15 + 100 * 0.60) / 1e6);
        assertThat(c.getShadowCostUsd()).isEqualTo(c.getGptCostUsd());
    }

    @Test
    void aFailedShadowCallIsAComparisonWithoutAVerdictNeverAResult() throws Exception {
        server.enqueue(new MockResponse.Builder().code(400).addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}").build());
        final List<ProducerRecord<byte[], byte[]>> out = handle(topics.shadowRequests(), shadow(ShadowMode.SAMPLE, "billing"));

        assertThat(out).hasSize(1);
        final ShadowComparison c = comparison(out.get(0));
        assertThat(c.getAgreed()).isNull();
        assertThat(c.getGptAnswer()).isNull();
        assertThat(c.getGptError()).isNotBlank();
    }

    @Test
    void theShadowOnlyStageAnswersTheUserWithGptAndComparesTheSlm() throws Exception {
        answer("refund");
        final List<ProducerRecord<byte[], byte[]>> out = handle(topics.shadowRequests(),
                shadow(ShadowMode.SHADOW_ONLY, "billing"));

        assertThat(out).hasSize(2);
        final InferenceResult r = result(out.get(0));
        assertThat(r.getTier()).isEqualTo(Tier.GPT);
        assertThat(r.getEscalated()).isFalse();
        assertThat(r.getLabel()).isEqualTo("refund");
        assertThat(r.getPromptTokens()).isEqualTo(1000); // the SLM's 40 shadow tokens are not the user's
        final ShadowComparison c = comparison(out.get(1));
        assertThat(c.getMode()).isEqualTo(ShadowMode.SHADOW_ONLY);
        assertThat(c.getAgreed()).isFalse();
        assertThat(c.getGptCostUsd()).isEqualTo(r.getCostUsd());
        assertThat(c.getShadowCostUsd()).isEqualTo(0.000004);
    }

    @Test
    void aSampledEscalationIsComparedAtNoExtraCallAndAnUnsampledOneIsNot() throws Exception {
        final Escalation.Builder escalation = Escalation.newBuilder().setRouted(GptStack.routed(ticket()))
                .setReason(EscalationReason.LOW_CONFIDENCE).setDraft(" Billing.").setConfidence(0.6).setCostUsd(0.000004)
                .setEscalatedAt(Instant.now());
        answer("billing");
        final List<ProducerRecord<byte[], byte[]>> sampled = handle(topics.escalations(), escalation.setShadow(true).build());
        answer("billing");
        final List<ProducerRecord<byte[], byte[]>> unsampled = handle(topics.escalations(), escalation.setShadow(false).build());

        assertThat(sampled).hasSize(2);
        assertThat(result(sampled.get(0)).getEscalated()).isTrue();
        final ShadowComparison c = comparison(sampled.get(1));
        assertThat(c.getMode()).isEqualTo(ShadowMode.ESCALATED);
        assertThat(c.getSlmAnswer()).isEqualTo("billing"); // the draft's label, as the SLM worker would match it
        assertThat(c.getAgreed()).isTrue();
        assertThat(c.getShadowCostUsd()).isZero();
        assertThat(unsampled).hasSize(1);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }
}
