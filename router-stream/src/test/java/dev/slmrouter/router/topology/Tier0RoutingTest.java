package dev.slmrouter.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.router.TestPolicies;
import dev.slmrouter.router.TestRequests;
import dev.slmrouter.router.classify.TaskTypeClassifier;
import dev.slmrouter.router.language.LanguageDetector;
import dev.slmrouter.router.dedupe.DedupeSettings;
import dev.slmrouter.router.metrics.RouterMetrics;
import dev.slmrouter.router.policy.PolicyLoader;
import dev.slmrouter.router.policy.RoutingPolicy;
import dev.slmrouter.router.routing.RoutingDecider;
import dev.slmrouter.router.size.TokenEstimator;
import dev.slmrouter.router.validation.RequestValidator;
import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.InMemorySchemaRegistry;
import dev.slmrouter.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tier-0 rule of the router: a CLASSIFICATION request whose label set (or metadata classifier name)
 * matches a classifier of the policy, in a language the classifier reads, goes to the tier-0 topic with
 * the classifier and the fallback tier on its decision; every other request takes the existing rules.
 */
public class Tier0RoutingTest {

    public static final List<String> LABELS = List.of("card_arrival", "change_pin", "exchange_rate", "lost_card");

    @TempDir
    Path dir;

    private final Topics topics = Topics.defaults();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AtomicReference<TaskTypeClassifier.TaskPrediction> classified =
            new AtomicReference<>(new TaskTypeClassifier.TaskPrediction(TaskType.CLASSIFICATION, 0.9));
    private final AtomicReference<LanguageDetector.LanguageGuess> detected =
            new AtomicReference<>(new LanguageDetector.LanguageGuess("en", 0.4));
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private final Map<Tier, TestOutputTopic<byte[], RoutedRequest>> outputs = new java.util.EnumMap<>(Tier.class);

    /** A classifier file as 'tier0 train' writes it; the router reads only its name and labels. */
    public static Path model(final Path dir, final String name, final List<String> labels) throws IOException {
        final String json = "{\"format\":\"slm-router.tier0.classifier/1\",\"name\":\"" + name + "\",\"version\":\"v1\","
                + "\"labels\":[" + String.join(",", labels.stream().map(l -> "\"" + l + "\"").toList()) + "],"
                + "\"threshold\":0.9,\"weights\":[],\"bias\":[]}";
        return Files.writeString(dir.resolve(name + ".tier0.json"), json);
    }

    static String policyWithTier0(final String tier0Section) {
        return TestPolicies.SMALL_BANDS + tier0Section;
    }

    private void start(final String tier0Section) throws IOException {
        model(dir, "tickets", LABELS);
        model(dir, "sentiment", List.of("positive", "negative"));
        final Path file = Files.writeString(dir.resolve("policy.yaml"), policyWithTier0(tier0Section));
        final RoutingPolicy policy = PolicyLoader.load(file);
        final LanguageDetector english = text -> detected.get();
        final RouteStep step = new RouteStep(
                topics.requests().valueSerde(registry).deserializer(),
                new RequestValidator(2_000),
                new RoutingDecider(policy, request -> classified.get(), english, new TokenEstimator()),
                new RouterMetrics(new SimpleMeterRegistry()),
                Duration.ofSeconds(10),
                DedupeSettings.of(Duration.ofHours(1), 1_000_000),
                Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC));
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "router-tier0-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(RouterTopology.build(topics, registry, step), props,
                Instant.parse("2026-11-28T10:00:00Z"));
        input = driver.createInputTopic(topics.requests().name(), new ByteArraySerializer(), new ByteArraySerializer());
        final ConfluentAvroSerde<RoutedRequest> routed = topics.slmRequests().valueSerde(registry);
        outputs.put(Tier.TIER0, driver.createOutputTopic(topics.tier0Requests().name(), new ByteArrayDeserializer(),
                routed.deserializer()));
        outputs.put(Tier.SLM, driver.createOutputTopic(topics.slmRequests().name(), new ByteArrayDeserializer(),
                routed.deserializer()));
        outputs.put(Tier.GPT, driver.createOutputTopic(topics.gptRequests().name(), new ByteArrayDeserializer(),
                routed.deserializer()));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static final String FALLBACK_SLM = """
            tier0:
              fallback_tier: SLM
              classifiers:
                - model: tickets.tier0.json
                  languages: [en]
                - model: sentiment.tier0.json
            """;

    /** Routes one request and returns it from the one topic it reached. */
    private RoutedRequest route(final InferenceRequest request, final Tier expected) {
        final ConfluentAvroSerde<InferenceRequest> serde = topics.requests().valueSerde(registry);
        input.pipeInput(request.getRequestId().getBytes(StandardCharsets.UTF_8),
                serde.serializer().serialize(topics.requests().name(), request));
        RoutedRequest found = null;
        for (Map.Entry<Tier, TestOutputTopic<byte[], RoutedRequest>> e : outputs.entrySet()) {
            final List<RoutedRequest> out = e.getValue().readValuesToList();
            if (e.getKey() == expected) {
                assertThat(out).as("on the %s topic", expected).hasSize(1);
                found = out.get(0);
            } else {
                assertThat(out).as("nothing on the %s topic", e.getKey()).isEmpty();
            }
        }
        assertThat(found.getDecision().getTier()).isEqualTo(expected);
        return found;
    }

    private static InferenceRequest.Builder ticket(final String id, final List<String> labels) {
        return TestRequests.hinted(id, TaskType.CLASSIFICATION, "en").setLabels(labels == null ? null : new ArrayList<>(labels));
    }

    @Test
    void shouldSendAClassificationWithAKnownLabelSetToTier0WithItsClassifierAndFallback() throws IOException {
        start(FALLBACK_SLM);

        final RoutedRequest routed = route(ticket("t1", LABELS).build(), Tier.TIER0);
        assertThat(routed.getDecision().getRule()).isEqualTo(RoutingRule.TIER0_CLASSIFIER);
        assertThat(routed.getDecision().getClassifier()).isEqualTo("tickets");
        assertThat(routed.getDecision().getFallbackTier()).isEqualTo(Tier.SLM);
        assertThat(routed.getDecision().getExplanation()).contains("tier-0 classifier tickets", "goes to SLM");

        final List<String> reversed = new ArrayList<>(LABELS);
        Collections.reverse(reversed);
        assertThat(route(ticket("t2", reversed).build(), Tier.TIER0).getDecision().getClassifier()).isEqualTo("tickets");
        assertThat(route(ticket("t3", List.of("negative", "positive")).build(), Tier.TIER0).getDecision().getClassifier())
                .isEqualTo("sentiment");
    }

    @Test
    void shouldFindAClassifierByTheNameInTheRequestsMetadata() throws IOException {
        start(FALLBACK_SLM);

        final RoutedRequest byName = route(ticket("n1", null).setMetadata(Map.of("classifier", "tickets")).build(), Tier.TIER0);
        assertThat(byName.getDecision().getClassifier()).isEqualTo("tickets");
        // A name whose classifier has another label set, or an unknown name, is not tier 0's.
        final RoutedRequest mismatch = route(ticket("n2", List.of("a", "b")).setMetadata(Map.of("classifier", "tickets"))
                .build(), Tier.SLM);
        assertThat(mismatch.getDecision().getRule()).isEqualTo(RoutingRule.MATRIX_TIE);
        assertThat(mismatch.getDecision().getClassifier()).isNull();
        assertThat(mismatch.getDecision().getFallbackTier()).isNull();
        route(ticket("n3", null).setMetadata(Map.of("classifier", "banking77")).build(), Tier.SLM);
    }

    @Test
    void shouldLeaveEverythingElseToTheExistingRules() throws IOException {
        start(FALLBACK_SLM);

        route(ticket("o1", List.of("card_arrival", "change_pin")).build(), Tier.SLM); // a subset is not the set
        route(ticket("o2", LABELS).setLanguage("de").build(), Tier.SLM); // the encoder reads English only
        route(ticket("o3", LABELS).setTaskType(TaskType.EXTRACTION).build(), Tier.SLM);
        assertThat(route(ticket("o4", LABELS).setTenant("regulated").build(), Tier.GPT).getDecision().getRule())
                .isEqualTo(RoutingRule.TENANT_OVERRIDE);
        assertThat(route(ticket("o5", LABELS).setMaxOutputTokens(500).build(), Tier.GPT).getDecision().getRule())
                .isEqualTo(RoutingRule.CONTEXT_TOO_LONG);
    }

    @Test
    void shouldPreferTier0OverTheIntentFloorWhenTheLabelsMatch() throws IOException {
        start(FALLBACK_SLM);
        classified.set(new TaskTypeClassifier.TaskPrediction(TaskType.CLASSIFICATION, 0.3));

        final RoutedRequest routed = route(TestRequests.unhinted("u1", "my card has not arrived yet")
                .setLanguage("en").setLabels(new ArrayList<>(LABELS)).build(), Tier.TIER0);
        assertThat(routed.getDecision().getRule()).isEqualTo(RoutingRule.TIER0_CLASSIFIER);
        // Without a label match the same prompt is ambiguous.
        assertThat(route(TestRequests.unhinted("u2", "my card has not arrived yet").setLanguage("en").build(), Tier.GPT)
                .getDecision().getRule()).isEqualTo(RoutingRule.AMBIGUOUS_INTENT);
    }

    @Test
    void shouldSendAnUndetectedLanguageToGptEvenWithAKnownLabelSet() throws IOException {
        start(FALLBACK_SLM);
        detected.set(new LanguageDetector.LanguageGuess(null, 0.0));

        assertThat(route(ticket("l1", LABELS).setLanguage(null).build(), Tier.GPT).getDecision().getRule())
                .isEqualTo(RoutingRule.UNDETECTED_LANGUAGE);
    }

    @Test
    void shouldStampTheConfiguredFallbackTier() throws IOException {
        start("""
                tier0:
                  fallback_tier: GPT
                  classifiers:
                    - model: tickets.tier0.json
                """);

        assertThat(route(ticket("f1", LABELS).build(), Tier.TIER0).getDecision().getFallbackTier()).isEqualTo(Tier.GPT);
    }
}
