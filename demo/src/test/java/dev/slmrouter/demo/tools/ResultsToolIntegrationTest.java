package dev.slmrouter.demo.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.Tier;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.serde.ConfluentAvroSerializer;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The results tool against a real broker and the real schema registry, with committed and aborted transactions. */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class ResultsToolIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private Topics topics;
    private ClusterSettings cluster;
    private ConfluentAvroSerializer<InferenceResult> serializer;

    ResultsToolIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @BeforeEach
    void createTopic() {
        final String prefix = KafkaTestClients.uniqueName("results");
        topics = Topics.from((key, name) -> prefix + "." + name);
        broker.createTopics(Map.of(topics.results().name(), 2));
        cluster = new ClusterSettings(Settings.of(Map.of(
                ClusterSettings.BOOTSTRAP, broker.bootstrapServers(),
                ClusterSettings.REGISTRY, registry.confluentApiUrl(),
                Topics.RESULTS_KEY, topics.results().name())));
        serializer = topics.results().valueSerde(new RestSchemaRegistryClient(registry.confluentApiUrl())).serializer();
    }

    private static InferenceResult result(final String id) {
        return InferenceResult.newBuilder().setRequestId(id).setTenant("acme").setStatus(ResultStatus.OK)
                .setAnswer("double_charge").setLabel("double_charge").setTier(Tier.GPT).setModel("gpt-4o")
                .setEscalated(true).setEscalationReason(EscalationReason.LOW_CONFIDENCE).setConfidence(0.93)
                .setPromptTokens(120).setCompletionTokens(3).setCostUsd(0.00033).setEndToEndLatencyMs(850)
                .setMetadata(Map.of("expected_label", "double_charge"))
                .setCompletedAt(Instant.parse("2026-02-03T04:05:06.789Z")).build();
    }

    /** Writes each id in one transaction, committed or aborted, as the workers do. */
    private void produce(final boolean commit, final String... ids) {
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.transactionalProducer(broker.bootstrapServers(),
                KafkaTestClients.uniqueName("results-tx"), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.beginTransaction();
            for (String id : ids) {
                producer.send(new ProducerRecord<>(topics.results().name(), id,
                        serializer.serialize(topics.results().name(), result(id))));
            }
            producer.flush();
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }

    private List<JsonNode> lines(final ByteArrayOutputStream out) throws Exception {
        final List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }

    private static PrintStream stream(final ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void printsOnlyCommittedResultsFromTheBeginningAsPlainJsonLines() throws Exception {
        produce(true, "ok-1", "ok-2");
        produce(false, "aborted-1");
        produce(true, "ok-3");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        final int printed = ResultsTool.print(cluster, new ResultsTool.Options(true, Optional.empty(),
                Optional.of(Duration.ofSeconds(3))), stream(out), stream(new ByteArrayOutputStream()),
                new ResultsTool.ConsumerHolder());

        final List<JsonNode> results = lines(out);
        assertThat(printed).isEqualTo(3);
        assertThat(results).extracting(n -> n.get("request_id").asText())
                .containsExactlyInAnyOrder("ok-1", "ok-2", "ok-3");
        final JsonNode first = results.get(0);
        assertThat(first.get("status").asText()).isEqualTo("OK");
        assertThat(first.get("tier").asText()).isEqualTo("GPT");
        assertThat(first.get("escalation_reason").asText()).isEqualTo("LOW_CONFIDENCE");
        assertThat(first.get("label").asText()).isEqualTo("double_charge");
        assertThat(first.get("confidence").asDouble()).isEqualTo(0.93);
        assertThat(first.get("schema_valid").isNull()).isTrue();
        assertThat(first.get("completed_at").asText()).isEqualTo("2026-02-03T04:05:06.789Z");
        assertThat(first.get("metadata").get("expected_label").asText()).isEqualTo("double_charge");
    }

    @Test
    void stopsAfterMaxResults() throws Exception {
        produce(true, "m-1", "m-2", "m-3", "m-4");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        final int printed = ResultsTool.print(cluster, new ResultsTool.Options(true, Optional.of(2), Optional.empty()),
                stream(out), stream(new ByteArrayOutputStream()), new ResultsTool.ConsumerHolder());

        assertThat(printed).isEqualTo(2);
        assertThat(lines(out)).hasSize(2);
    }

    @Test
    void withoutFromBeginningOnlyNewResultsArePrinted() throws Exception {
        produce(true, "old-1", "old-2");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final CountDownLatch positioned = new CountDownLatch(1);

        final CompletableFuture<Integer> printed = CompletableFuture.supplyAsync(() -> {
            try {
                return ResultsTool.print(cluster, new ResultsTool.Options(false, Optional.of(1),
                                Optional.of(Duration.ofSeconds(30))), stream(out), stream(new ByteArrayOutputStream()),
                        new ResultsTool.ConsumerHolder(), positioned::countDown);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(positioned.await(30, TimeUnit.SECONDS)).isTrue();
        produce(true, "new-1");

        assertThat(printed.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(lines(out)).extracting(n -> n.get("request_id").asText()).containsExactly("new-1");
    }

    @Test
    void aMissingTopicIsNamed() {
        final ClusterSettings missing = new ClusterSettings(Settings.of(Map.of(
                ClusterSettings.BOOTSTRAP, broker.bootstrapServers(),
                ClusterSettings.REGISTRY, registry.confluentApiUrl(),
                Topics.RESULTS_KEY, "no-such-results-topic")));

        assertThatThrownBy(() -> ResultsTool.print(missing, new ResultsTool.Options(true, Optional.of(1),
                Optional.of(Duration.ofSeconds(1))), stream(new ByteArrayOutputStream()),
                stream(new ByteArrayOutputStream()), new ResultsTool.ConsumerHolder()))
                .hasMessageContaining("no-such-results-topic");
    }
}
