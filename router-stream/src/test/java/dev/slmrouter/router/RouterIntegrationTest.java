package dev.slmrouter.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.router.policy.PolicyLoader;
import dev.slmrouter.router.policy.RoutingPolicy;
import dev.slmrouter.router.policy.TenantRules;
import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router against a real in-JVM Kafka broker and the real schema registry: 1,000 mixed requests
 * (hinted and unhinted, every task type, several languages, long prompts) with poison records
 * interleaved come out as exactly 1,000 records across the slm, gpt and dead-letter topics, none
 * twice (read_committed), each decision matching the policy.
 */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class RouterIntegrationTest {

    private static final int TOTAL = 1_000;
    private static final List<String> PROMPTS = List.of(
            "Classify this support ticket into one of the labels: my card payment was declined twice today",
            "Extract the invoice number, date and total amount as JSON from: Invoice INV-2291, 3 March 2025, total 1,240.50 EUR",
            "Summarize the following meeting notes in three bullet points: the team agreed to ship the release on Friday",
            "Write an order confirmation email for customer Anna using our standard template with order number 5521",
            "A train leaves at 9:40 and travels 180 km at 72 km/h; a second one leaves later. Reason step by step about when they meet",
            "Write a short poem about autumn rain on the city streets",
            "Use the calendar tool to find a free slot next week, then book a meeting with the sales team and email them");

    @Test
    void shouldRouteEveryRequestExactlyOnceAndDeadLetterEveryPoisonRecord(final KafkaBroker broker,
            final LocalSchemaRegistry registry, @TempDir final Path stateDir) throws Exception {
        final String prefix = KafkaTestClients.uniqueName("it");
        final Topics topics = Topics.from((key, name) -> prefix + "." + name);
        final Map<String, Integer> partitions = new HashMap<>();
        topics.allNames().forEach(name -> partitions.put(name, 3));
        partitions.remove(topics.volume().name());
        broker.createTopics(partitions);
        broker.createCompactedTopics(Map.of(topics.volume().name(), 1));

        final Map<String, InferenceRequest> valid = new HashMap<>();
        final Set<String> poisonKeys = new HashSet<>();
        produce(broker, registry, topics, valid, poisonKeys);

        final Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put(RouterConfig.APPLICATION_ID, prefix + "-router");
        settings.put("schema.registry.url", registry.confluentApiUrl());
        settings.put(RouterConfig.STATE_DIR, stateDir.toString());
        settings.put(RouterConfig.LANGUAGE_ACCURACY, "low");
        settings.put(RouterConfig.METRICS_PORT, "0");
        settings.put(RouterConfig.METRICS_HOST, "127.0.0.1");
        settings.put(Topics.REQUESTS_KEY, topics.requests().name());
        settings.put(Topics.SLM_KEY, topics.slmRequests().name());
        settings.put(Topics.GPT_KEY, topics.gptRequests().name());
        settings.put(Topics.DLQ_KEY, topics.deadLetters().name());
        settings.put(Topics.VOLUME_KEY, topics.volume().name());

        try (RouterApp router = RouterApp.start(RouterConfig.from(Settings.of(settings)))) {
            final RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.confluentApiUrl());
            final ConfluentAvroSerde<RoutedRequest> routedSerde = topics.slmRequests().valueSerde(client);
            final ConfluentAvroSerde<DeadLetter> deadSerde = topics.deadLetters().valueSerde(client);
            final List<ConsumerRecord<byte[], RoutedRequest>> slmAll = new ArrayList<>();
            final List<ConsumerRecord<byte[], RoutedRequest>> gpt = new ArrayList<>();
            final List<ConsumerRecord<byte[], DeadLetter>> dlq = new ArrayList<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            // Read each topic to its end until all outcomes are there; a duplicate would show as an extra record.
            while (slmAll.size() + gpt.size() + dlq.size() < TOTAL && System.nanoTime() < deadline) {
                Thread.sleep(500);
                slmAll.clear();
                gpt.clear();
                dlq.clear();
                slmAll.addAll(KafkaTestClients.drain(broker.bootstrapServers(), topics.slmRequests().name(), 0,
                        Duration.ofSeconds(2), new ByteArrayDeserializer(), routedSerde.deserializer()));
                gpt.addAll(KafkaTestClients.drain(broker.bootstrapServers(), topics.gptRequests().name(), 0,
                        Duration.ofSeconds(2), new ByteArrayDeserializer(), routedSerde.deserializer()));
                dlq.addAll(KafkaTestClients.drain(broker.bootstrapServers(), topics.deadLetters().name(), 0,
                        Duration.ofSeconds(2), new ByteArrayDeserializer(), deadSerde.deserializer()));
            }

            assertThat(slmAll.size() + gpt.size() + dlq.size()).isEqualTo(TOTAL);
            assertThat(dlq).hasSize(poisonKeys.size());
            assertThat(dlq.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet()))
                    .isEqualTo(poisonKeys);

            final List<RoutedRequest> routed = new ArrayList<>();
            slmAll.forEach(r -> routed.add(r.value()));
            gpt.forEach(r -> routed.add(r.value()));
            final List<String> ids = routed.stream().map(r -> r.getRequest().getRequestId()).toList();
            assertThat(new HashSet<>(ids)).as("no request routed twice").hasSize(ids.size());
            assertThat(new HashSet<>(ids)).isEqualTo(valid.keySet());

            final RoutingPolicy policy = PolicyLoader.loadDefault();
            slmAll.forEach(r -> assertThat(r.value().getDecision().getTier()).isEqualTo(Tier.SLM));
            gpt.forEach(r -> assertThat(r.value().getDecision().getTier()).isEqualTo(Tier.GPT));
            routed.forEach(r -> assertMatchesPolicy(policy, r));
            assertThat(routed.stream().map(r -> r.getDecision().getRule()).collect(Collectors.toSet()))
                    .contains(RoutingRule.MATRIX_TIE, RoutingRule.MATRIX_GPT_REQUIRED, RoutingRule.CONTEXT_TOO_LONG,
                            RoutingRule.LOW_RESOURCE_LANGUAGE);
            assertThat(slmAll).isNotEmpty();

            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + router.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("router_requests_routed_total", "router_dead_letters_total",
                    "router_input_waiting_records", "router_input_stalled_seconds", "kafka_stream");
        }
    }

    /** The decision is what the policy says for the inputs the decision records. */
    private static void assertMatchesPolicy(final RoutingPolicy policy, final RoutedRequest routed) {
        final RoutingDecision d = routed.getDecision();
        final InferenceRequest request = routed.getRequest();
        final TenantRules rules = policy.rulesFor(request.getTenant());
        assertThat(d.getPolicyVersion()).isEqualTo(policy.version());
        assertThat(d.getMatrixScore()).isEqualTo(rules.score(d.getTaskType(), d.getVolumeBand()));
        if (request.getTaskType() != null) {
            assertThat(d.getTaskType()).isEqualTo(request.getTaskType());
        }
        final RoutingRule expectedRule;
        final Tier expectedTier;
        if (d.getTokenEstimate() > rules.contextBudgetTokens()) {
            expectedRule = RoutingRule.CONTEXT_TOO_LONG;
            expectedTier = Tier.GPT;
        } else if (d.getLanguage() == null || d.getLanguageConfidence() < rules.minLanguageConfidence()) {
            expectedRule = RoutingRule.UNDETECTED_LANGUAGE;
            expectedTier = Tier.GPT;
        } else if (!rules.supportsLanguage(d.getLanguage())) {
            expectedRule = RoutingRule.LOW_RESOURCE_LANGUAGE;
            expectedTier = Tier.GPT;
        } else if (request.getTaskType() == null && d.getTaskTypeConfidence() < rules.minTaskConfidence()) {
            expectedRule = RoutingRule.AMBIGUOUS_INTENT;
            expectedTier = Tier.GPT;
        } else {
            expectedTier = rules.tierForScore(d.getMatrixScore());
            expectedRule = d.getMatrixScore() <= rules.slmAtMost() ? RoutingRule.MATRIX_SLM_PREFERRED
                    : d.getMatrixScore() >= rules.gptAtLeast() ? RoutingRule.MATRIX_GPT_REQUIRED : RoutingRule.MATRIX_TIE;
        }
        assertThat(d.getRule()).as(request.getRequestId()).isEqualTo(expectedRule);
        assertThat(d.getTier()).as(request.getRequestId()).isEqualTo(expectedTier);
    }

    private static void produce(final KafkaBroker broker, final LocalSchemaRegistry registry, final Topics topics,
                                final Map<String, InferenceRequest> valid, final Set<String> poisonKeys) {
        final ConfluentAvroSerde<InferenceRequest> serde =
                topics.requests().valueSerde(new RestSchemaRegistryClient(registry.confluentApiUrl()));
        final TaskType[] types = {TaskType.CLASSIFICATION, TaskType.EXTRACTION, TaskType.SUMMARIZATION,
                TaskType.TEMPLATED_GENERATION, TaskType.REASONING, TaskType.CREATIVE, TaskType.AGENT};
        final String[] languages = {"en", "de", "es", "fr", "sw", "zh", "ja", "tr"};
        final Random random = new Random(42);
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < TOTAL; i++) {
                if (i % 20 == 7) {
                    final String key = "poison-" + i;
                    poisonKeys.add(key);
                    producer.send(new ProducerRecord<>(topics.requests().name(), key.getBytes(StandardCharsets.UTF_8),
                            poison(i, serde, topics)));
                    continue;
                }
                final String id = "req-" + i;
                final int kind = random.nextInt(types.length);
                final String prompt = i % 50 == 3 ? PROMPTS.get(kind) + " " + "lorem ipsum dolor ".repeat(3_000)
                        : PROMPTS.get(kind);
                final InferenceRequest.Builder request = InferenceRequest.newBuilder()
                        .setRequestId(id)
                        .setTenant("tenant-" + (i % 3))
                        .setMessages(List.of(new ChatMessage("user", prompt)))
                        .setCreatedAt(Instant.now());
                if (i % 2 == 0) {
                    request.setTaskType(types[kind]).setLanguage(languages[random.nextInt(languages.length)]);
                }
                valid.put(id, request.build());
                producer.send(new ProducerRecord<>(topics.requests().name(), id.getBytes(StandardCharsets.UTF_8),
                        serde.serializer().serialize(topics.requests().name(), request.build())));
            }
            producer.flush();
        }
    }

    /** Each kind of bad input the router must dead-letter. */
    private static byte[] poison(final int i, final ConfluentAvroSerde<InferenceRequest> serde, final Topics topics) {
        return switch ((i / 20) % 5) {
            case 0 -> new byte[] {1, 2, 3, 4, 5, 6};
            case 1 -> new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4};
            case 2 -> new byte[] {0, 0};
            case 3 -> serde.serializer().serialize(topics.requests().name(), InferenceRequest.newBuilder()
                    .setRequestId("bad-schema-" + i).setTenant("t")
                    .setMessages(List.of(new ChatMessage("user", "extract")))
                    .setResponseSchema("{\"type\": 12}").setCreatedAt(Instant.now()).build());
            default -> serde.serializer().serialize(topics.requests().name(), InferenceRequest.newBuilder()
                    .setRequestId("empty-" + i).setTenant("t").setMessages(List.of())
                    .setCreatedAt(Instant.now()).build());
        };
    }
}
