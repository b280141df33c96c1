package dev.slmrouter.demo.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The produce tool against a real broker and the real schema registry. */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class ProduceToolIntegrationTest {

    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private Topics topics;
    private ClusterSettings cluster;

    ProduceToolIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @BeforeEach
    void createTopics() {
        final String prefix = KafkaTestClients.uniqueName("produce");
        topics = Topics.from((key, name) -> prefix + "." + name);
        broker.createTopics(Map.of(topics.requests().name(), 2));
        cluster = new ClusterSettings(Settings.of(Map.of(
                ClusterSettings.BOOTSTRAP, broker.bootstrapServers(),
                ClusterSettings.REGISTRY, registry.confluentApiUrl(),
                Topics.REQUESTS_KEY, topics.requests().name())));
    }

    private Map<String, ConsumerRecord<String, InferenceRequest>> read(final int expected) {
        final var deserializer = topics.requests().valueSerde(new RestSchemaRegistryClient(registry.confluentApiUrl()))
                .deserializer();
        return KafkaTestClients.drain(broker.bootstrapServers(), topics.requests().name(), expected,
                        Duration.ofSeconds(30), new StringDeserializer(), deserializer).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
    }

    @Test
    void producesTheValidLinesThroughTheRegistryAndReportsEachRejectedLineWithItsReason(@TempDir final Path dir)
            throws Exception {
        final Path file = dir.resolve("requests.jsonl");
        Files.write(file, List.of(
                "{\"request_id\": \"p-1\", \"tenant\": \"acme\", \"task_type\": \"EXTRACTION\", \"messages\": "
                        + "[{\"role\": \"user\", \"content\": \"Extract the total: 12 EUR\"}], \"response_schema\": "
                        + "{\"type\": \"object\"}}",
                "{\"messages\": [",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"no id, no tenant\"}]}",
                "",
                "{\"tenant\": \"acme\"}",
                "{\"request_id\": \"p-9\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                        + "\"created_at\": 1767225600000}"));
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Instant before = Instant.now().minusSeconds(1);

        final ProduceTool.Summary summary = ProduceTool.produce(file, cluster, new RequestJson(),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(summary.produced()).isEqualTo(3);
        assertThat(summary.topic()).isEqualTo(topics.requests().name());
        assertThat(summary.rejected()).extracting(ProduceTool.Rejected::line).containsExactly(2, 5);
        assertThat(summary.rejected().get(0).reason()).startsWith("bad JSON");
        assertThat(summary.rejected().get(1).reason()).isEqualTo("missing messages");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 2: bad JSON").contains("line 5: missing messages");

        final Map<String, ConsumerRecord<String, InferenceRequest>> records = read(3);
        assertThat(records).hasSize(3).containsKeys("p-1", "p-9");
        final InferenceRequest first = records.get("p-1").value();
        assertThat(first.getTenant()).isEqualTo("acme");
        assertThat(first.getTaskType()).isEqualTo(TaskType.EXTRACTION);
        assertThat(first.getResponseSchema()).isEqualTo("{\"type\":\"object\"}");
        assertThat(records.get("p-9").value().getCreatedAt()).isEqualTo(Instant.ofEpochMilli(1767225600000L));
        final InferenceRequest generated = records.values().stream().map(ConsumerRecord::value)
                .filter(r -> !r.getRequestId().startsWith("p-")).findFirst().orElseThrow();
        assertThat(generated.getRequestId()).matches("[0-9a-f-]{36}");
        assertThat(generated.getTenant()).isEqualTo("default");
        assertThat(generated.getCreatedAt()).isAfter(before);
        // Confluent wire format: magic byte 0 and a schema id the registry knows.
        final byte[] raw = KafkaTestClients.drain(broker.bootstrapServers(), topics.requests().name(), 3,
                Duration.ofSeconds(30), new StringDeserializer(), new ByteArrayDeserializer()).get(0).value();
        assertThat(raw[0]).isZero();
    }

    @Test
    void theExampleFileInTheRepositoryProducesEveryLine() throws URISyntaxException, Exception {
        final Path example = Path.of(ProduceToolIntegrationTest.class.getResource("/examples/requests.jsonl").toURI());

        final ProduceTool.Summary summary = ProduceTool.produce(example, cluster, new RequestJson(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        final long lines = Files.readAllLines(example).stream().filter(l -> !l.isBlank()).count();
        assertThat(summary.rejected()).isEmpty();
        assertThat(summary.produced()).isEqualTo((int) lines);
        assertThat(read((int) lines)).hasSize((int) lines);
    }

    @Test
    void aMissingTopicStopsTheRunWithTheTopicNamed(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("one.jsonl");
        Files.writeString(file, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n");
        final ClusterSettings missing = new ClusterSettings(Settings.of(Map.of(
                ClusterSettings.BOOTSTRAP, broker.bootstrapServers(),
                ClusterSettings.REGISTRY, registry.confluentApiUrl(),
                "kafka.max.block.ms", "2000",
                Topics.REQUESTS_KEY, KafkaTestClients.uniqueName("absent"))));

        assertThatThrownBy(() -> ProduceTool.produce(file, missing, new RequestJson(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .hasMessageContaining("absent-");
    }
}
