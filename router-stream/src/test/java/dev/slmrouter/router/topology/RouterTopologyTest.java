package dev.slmrouter.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.DecisionSource;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every branch and every rule of the router topology, driven through TopologyTestDriver with the
 * in-memory registry and a scripted classifier and language detector (their real implementations
 * have their own tests).
 */
class RouterTopologyTest {

    private final Topics topics = Topics.defaults();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AtomicReference<TaskTypeClassifier.TaskPrediction> classified =
            new AtomicReference<>(new TaskTypeClassifier.TaskPrediction(TaskType.EXTRACTION, 0.9));
    private final AtomicReference<LanguageDetector.LanguageGuess> detected =
            new AtomicReference<>(new LanguageDetector.LanguageGuess("en", 0.4));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<byte[], RoutedRequest> slm;
    private TestOutputTopic<byte[], RoutedRequest> gpt;
    private TestOutputTopic<byte[], DeadLetter> dlq;
    private ConfluentAvroSerde<InferenceRequest> requestSerde;

    @BeforeEach
    void startDriver() {
        final RoutingPolicy policy = PolicyLoader.parse(TestPolicies.SMALL_BANDS, "test");
        final RouteStep step = new RouteStep(
                topics.requests().valueSerde(registry).deserializer(),
                new RequestValidator(2_000),
                new RoutingDecider(policy, request -> classified.get(), text -> detected.get(), new TokenEstimator()),
                new RouterMetrics(meters),
                Duration.ofSeconds(10),
                DedupeSettings.of(Duration.ofHours(1), 1_000_000),
                Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC));
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "router-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(RouterTopology.build(topics, registry, step), props,
                Instant.parse("2026-11-28T10:00:00Z"));
        input = driver.createInputTopic(topics.requests().name(), new ByteArraySerializer(), new ByteArraySerializer());
        final ConfluentAvroSerde<RoutedRequest> routed = topics.slmRequests().valueSerde(registry);
        slm = driver.createOutputTopic(topics.slmRequests().name(), new ByteArrayDeserializer(), routed.deserializer());
        gpt = driver.createOutputTopic(topics.gptRequests().name(), new ByteArrayDeserializer(), routed.deserializer());
        dlq = driver.createOutputTopic(topics.deadLetters().name(), new ByteArrayDeserializer(),
                topics.deadLetters().valueSerde(registry).deserializer());
        requestSerde = topics.requests().valueSerde(registry);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(final InferenceRequest request) {
        input.pipeInput(request.getRequestId().getBytes(StandardCharsets.UTF_8),
                requestSerde.serializer().serialize(topics.requests().name(), request));
    }

    private RoutedRequest onlyOutput(final TestOutputTopic<byte[], RoutedRequest> expected) {
        final List<TestRecord<byte[], RoutedRequest>> records = expected.readRecordsToList();
        assertThat(records).hasSize(1);
        assertThat(slm.isEmpty() && gpt.isEmpty() && dlq.isEmpty()).as("no other output").isTrue();
        final RoutedRequest routed = records.get(0).value();
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo(routed.getRequest().getRequestId());
        return routed;
    }

    private DeadLetter onlyDeadLetter() {
        final List<DeadLetter> letters = dlq.readValuesToList();
        assertThat(letters).hasSize(1);
        assertThat(slm.isEmpty() && gpt.isEmpty()).as("nothing routed").isTrue();
        return letters.get(0);
    }

    @Test
    void shouldSendAScoreThreeTaskToTheSlmAsATieWithHintsRecorded() {
        send(TestRequests.hinted("r1", TaskType.CLASSIFICATION, "en").build());

        final RoutedRequest routed = onlyOutput(slm);
        assertThat(routed.getRequest().getRequestId()).isEqualTo("r1");
        assertThat(routed.getDecision().getTier()).isEqualTo(Tier.SLM);
        assertThat(routed.getDecision().getRule()).isEqualTo(RoutingRule.MATRIX_TIE);
        assertThat(routed.getDecision().getMatrixScore()).isEqualTo(3);
        assertThat(routed.getDecision().getVolumeBand()).isZero();
        assertThat(routed.getDecision().getTaskTypeSource()).isEqualTo(DecisionSource.HINT);
        assertThat(routed.getDecision().getLanguageSource()).isEqualTo(DecisionSource.HINT);
        assertThat(routed.getDecision().getTaskTypeConfidence()).isEqualTo(1.0);
        assertThat(routed.getDecision().getPolicyVersion()).isEqualTo("test-7");
        assertThat(routed.getDecision().getExplanation()).contains("CLASSIFICATION scores 3");
        assertThat(routed.getDecision().getTokenEstimate()).isBetween(10, 30);
    }

    @Test
    void shouldSendAReasoningTaskToGptAsRequiredByTheMatrix() {
        send(TestRequests.hinted("r2", TaskType.REASONING, "en").build());

        final RoutedRequest routed = onlyOutput(gpt);
        assertThat(routed.getDecision().getRule()).isEqualTo(RoutingRule.MATRIX_GPT_REQUIRED);
        assertThat(routed.getDecision().getMatrixScore()).isEqualTo(5);
    }

    @Test
    void shouldSendTiesToGptForATenantWhoseTiesGoToGpt() {
        send(TestRequests.hinted("r3", TaskType.EXTRACTION, "en").setTenant("cautious").build());

        assertThat(onlyOutput(gpt).getDecision().getRule()).isEqualTo(RoutingRule.MATRIX_TIE);
    }

    @Test
    void shouldPreferTheSlmOnceTheDailyVolumeReachesTheNextBand() {
        IntStream.range(0, 6).forEach(i -> send(TestRequests.hinted("v" + i, TaskType.CLASSIFICATION, "en").build()));
        assertThat(slm.readValuesToList()).hasSize(6)
                .allSatisfy(r -> assertThat(r.getDecision().getVolumeBand()).isZero());

        // The first tick publishes this task's counts; the next one reads the fleet's totals back.
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        send(TestRequests.hinted("after", TaskType.CLASSIFICATION, "en").build());

        final RoutedRequest routed = onlyOutput(slm);
        assertThat(routed.getDecision().getDailyVolume()).isEqualTo(6);
        assertThat(routed.getDecision().getVolumeBand()).isEqualTo(1);
        assertThat(routed.getDecision().getMatrixScore()).isEqualTo(2);
        assertThat(routed.getDecision().getRule()).isEqualTo(RoutingRule.MATRIX_SLM_PREFERRED);
    }

    @Test
    void shouldHonourATenantThatForcesGpt() {
        send(TestRequests.hinted("r4", TaskType.CLASSIFICATION, "en").setTenant("regulated").build());

        assertThat(onlyOutput(gpt).getDecision().getRule()).isEqualTo(RoutingRule.TENANT_OVERRIDE);
    }

    @Test
    void shouldSendAPromptOverTheContextBudgetToGpt() {
        send(TestRequests.hinted("r5", TaskType.CLASSIFICATION, "en")
                .setMessages(List.of(new ChatMessage("user", "word ".repeat(300)))).build());

        final RoutedRequest routed = onlyOutput(gpt);
        assertThat(routed.getDecision().getRule()).isEqualTo(RoutingRule.CONTEXT_TOO_LONG);
        assertThat(routed.getDecision().getTokenEstimate()).isGreaterThan(200);
    }

    @Test
    void shouldCountRequestedOutputTokensAgainstTheContextBudget() {
        send(TestRequests.hinted("r6", TaskType.CLASSIFICATION, "en").setMaxOutputTokens(190).build());

        assertThat(onlyOutput(gpt).getDecision().getRule()).isEqualTo(RoutingRule.CONTEXT_TOO_LONG);
    }

    @Test
    void shouldSendAnUnsupportedLanguageToGpt() {
        send(TestRequests.hinted("r7", TaskType.CLASSIFICATION, "sw").build());

        final RoutedRequest routed = onlyOutput(gpt);
        assertThat(routed.getDecision().getRule()).isEqualTo(RoutingRule.LOW_RESOURCE_LANGUAGE);
        assertThat(routed.getDecision().getLanguage()).isEqualTo("sw");
    }

    @Test
    void shouldSendTextWhoseLanguageCannotBePlacedToGpt() {
        detected.set(new LanguageDetector.LanguageGuess("de", 0.01));
        send(TestRequests.hinted("r8", TaskType.CLASSIFICATION, null).build());

        final RoutedRequest routed = onlyOutput(gpt);
        assertThat(routed.getDecision().getRule()).isEqualTo(RoutingRule.UNDETECTED_LANGUAGE);
        assertThat(routed.getDecision().getLanguageSource()).isEqualTo(DecisionSource.CLASSIFIER);
        assertThat(routed.getDecision().getLanguageConfidence()).isEqualTo(0.01);
    }

    @Test
    void shouldSendUndetectedLanguageToGpt() {
        detected.set(LanguageDetector.LanguageGuess.UNDETECTED);
        send(TestRequests.hinted("r9", TaskType.CLASSIFICATION, null).build());

        final RoutedRequest routed = onlyOutput(gpt);
        assertThat(routed.getDecision().getRule()).isEqualTo(RoutingRule.UNDETECTED_LANGUAGE);
        assertThat(routed.getDecision().getLanguage()).isNull();
    }

    @Test
    void shouldUseTheClassifierAndDetectorWhenThereAreNoHints() {
        send(TestRequests.unhinted("r10", "Extract the invoice number as JSON").build());

        final RoutedRequest routed = onlyOutput(slm);
        assertThat(routed.getDecision().getTaskType()).isEqualTo(TaskType.EXTRACTION);
        assertThat(routed.getDecision().getTaskTypeSource()).isEqualTo(DecisionSource.CLASSIFIER);
        assertThat(routed.getDecision().getTaskTypeConfidence()).isEqualTo(0.9);
        assertThat(routed.getDecision().getLanguage()).isEqualTo("en");
        assertThat(routed.getDecision().getLanguageConfidence()).isEqualTo(0.4);
        assertThat(meters.get("router.classification").timer().count()).isEqualTo(1);
    }

    @Test
    void shouldSendAnAmbiguousIntentToGpt() {
        classified.set(new TaskTypeClassifier.TaskPrediction(TaskType.CLASSIFICATION, 0.3));
        send(TestRequests.unhinted("r11", "hmm").build());

        final RoutedRequest routed = onlyOutput(gpt);
        assertThat(routed.getDecision().getRule()).isEqualTo(RoutingRule.AMBIGUOUS_INTENT);
        assertThat(routed.getDecision().getTaskTypeConfidence()).isEqualTo(0.3);
    }

    @Test
    void shouldNotApplyTheIntentFloorToAHintedTaskType() {
        classified.set(new TaskTypeClassifier.TaskPrediction(TaskType.CLASSIFICATION, 0.1));
        send(TestRequests.hinted("r12", TaskType.EXTRACTION, "de").build());

        assertThat(onlyOutput(slm).getDecision().getRule()).isEqualTo(RoutingRule.MATRIX_TIE);
    }

    @Test
    void shouldDeadLetterUndecodableBytesWithTheOriginalKeyAndValue() {
        final byte[] garbage = {0x13, 0x37, 0x00, 0x42};
        input.pipeInput("k1".getBytes(StandardCharsets.UTF_8), garbage);

        final DeadLetter letter = onlyDeadLetter();
        assertThat(letter.getReason()).isEqualTo("UNDECODABLE");
        assertThat(letter.getStage()).isEqualTo("router.decode");
        assertThat(letter.getSourceTopic()).isEqualTo("llm.requests");
        assertThat(letter.getSourceOffset()).isZero();
        assertThat(bytes(letter.getOriginalKey())).isEqualTo("k1".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes(letter.getOriginalValue())).isEqualTo(garbage);
        assertThat(letter.getMessage()).isNotBlank();
        assertThat(meters.get("router.dead.letters").tag("reason", "UNDECODABLE").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterAnUnknownSchemaId() {
        input.pipeInput("k2".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0x7f, 0x12, 1, 2});

        assertThat(onlyDeadLetter().getReason()).isEqualTo("UNKNOWN_SCHEMA_ID");
    }

    @Test
    void shouldDeadLetterATombstone() {
        input.pipeInput("k3".getBytes(StandardCharsets.UTF_8), (byte[]) null);

        final DeadLetter letter = onlyDeadLetter();
        assertThat(letter.getReason()).isEqualTo("EMPTY_VALUE");
        assertThat(letter.getOriginalValue()).isNull();
    }

    @Test
    void shouldAcceptOnlyTwoLowerCaseLettersAsALanguageHint() {
        int id = 0;
        for (String hint : List.of("EN", "e", "eng", "e1", "é", "zH", " en")) {
            send(TestRequests.hinted("lang-" + id++, TaskType.CLASSIFICATION, hint).build());
            assertThat(onlyDeadLetter().getReason()).as(hint).isEqualTo("INVALID_LANGUAGE_HINT");
        }
        send(TestRequests.hinted("lang-ok", TaskType.CLASSIFICATION, "zh").build());
        assertThat(slm.readValuesToList().size() + gpt.readValuesToList().size()).isEqualTo(1);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterEveryInvalidRequestWithItsReason() {
        final Map<String, InferenceRequest> invalid = Map.of(
                "MISSING_REQUEST_ID", TestRequests.hinted("", TaskType.CLASSIFICATION, "en").build(),
                "MISSING_TENANT", TestRequests.hinted("a", TaskType.CLASSIFICATION, "en").setTenant(" ").build(),
                "MISSING_MESSAGES", TestRequests.hinted("b", TaskType.CLASSIFICATION, "en").setMessages(List.of()).build(),
                "INVALID_MESSAGE_ROLE", TestRequests.hinted("c", TaskType.CLASSIFICATION, "en")
                        .setMessages(List.of(new ChatMessage("robot", "hi"))).build(),
                "EMPTY_PROMPT", TestRequests.hinted("d", TaskType.CLASSIFICATION, "en")
                        .setMessages(List.of(new ChatMessage("user", "  "))).build(),
                "UNKNOWN_TASK_TYPE", TestRequests.hinted("e", TaskType.UNKNOWN, "en").build(),
                "INVALID_LANGUAGE_HINT", TestRequests.hinted("f", TaskType.CLASSIFICATION, "english").build(),
                "INVALID_RESPONSE_SCHEMA", TestRequests.hinted("g", TaskType.EXTRACTION, "en")
                        .setResponseSchema("{\"type\": \"objekt\"}").build(),
                "PROMPT_TOO_LARGE", TestRequests.hinted("h", TaskType.CLASSIFICATION, "en")
                        .setMessages(List.of(new ChatMessage("user", "x".repeat(2_001)))).build(),
                "INVALID_SAMPLING_PARAMETER", TestRequests.hinted("i", TaskType.CLASSIFICATION, "en")
                        .setTemperature(7.0).build());
        invalid.forEach((reason, request) -> {
            send(request);
            final DeadLetter letter = onlyDeadLetter();
            assertThat(letter.getReason()).as(reason).isEqualTo(reason);
            assertThat(letter.getStage()).isEqualTo("router.validate");
            assertThat(letter.getRequestId()).isEqualTo(request.getRequestId());
        });
    }

    @Test
    void shouldAcceptAValidResponseSchemaAndLabels() {
        send(TestRequests.hinted("r13", TaskType.EXTRACTION, "en")
                .setResponseSchema("{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"}},"
                        + "\"required\":[\"total\"]}")
                .setLabels(List.of("a", "b")).build());

        assertThat(onlyOutput(slm).getRequest().getResponseSchema()).contains("total");
    }

    private void sendAt(final InferenceRequest request, final String at) {
        input.pipeInput(request.getRequestId().getBytes(StandardCharsets.UTF_8),
                requestSerde.serializer().serialize(topics.requests().name(), request), Instant.parse(at));
    }

    @Test
    void shouldDeadLetterARequestIdRoutedWithinTheDedupeWindow() {
        final InferenceRequest request = TestRequests.hinted("twice", TaskType.CLASSIFICATION, "en").build();
        sendAt(request, "2026-11-28T10:00:00Z");
        assertThat(onlyOutput(slm).getRequest().getRequestId()).isEqualTo("twice");

        sendAt(request, "2026-11-28T10:59:59Z");
        final DeadLetter duplicate = onlyDeadLetter();
        assertThat(duplicate.getReason()).isEqualTo("DUPLICATE_REQUEST_ID");
        assertThat(duplicate.getRequestId()).isEqualTo("twice");
        assertThat(duplicate.getMessage()).contains("already routed within the last PT1H");

        // An hour after the first it is a new request again (the window store forgets whole segments).
        sendAt(request, "2026-11-28T12:30:00Z");
        assertThat(onlyOutput(slm).getRequest().getRequestId()).isEqualTo("twice");
    }

    @Test
    void shouldLogRoutedIdsInChunksOfSixtyFourAndTheRestEverySecond() {
        for (int i = 0; i < 150; i++) {
            send(TestRequests.hinted("chunked-" + i, TaskType.CLASSIFICATION, "en").build());
        }
        final WindowStore<Long, byte[]> log = driver.getWindowStore(RouterTopology.DEDUPE_STORE);
        // An empty chunk marks where the log starts; then two full chunks, and 22 ids wait for the next flush.
        assertThat(chunkSizes(log)).containsExactly(0, 64, 64);

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(chunkSizes(log)).containsExactly(0, 64, 64, 22);
    }

    /** The ids in each chunk of the dedupe log, in chunk order (a chunk is an 8-byte offset, then 16 bytes per id). */
    private static List<Integer> chunkSizes(final WindowStore<Long, byte[]> log) {
        final List<Integer> sizes = new ArrayList<>();
        try (KeyValueIterator<Windowed<Long>, byte[]> chunks = log.all()) {
            chunks.forEachRemaining(chunk -> sizes.add((chunk.value.length - Long.BYTES) / 16));
        }
        return sizes;
    }

    @Test
    void shouldRouteACorrectedResendOfARejectedRequest() {
        sendAt(TestRequests.hinted("fixed", TaskType.CLASSIFICATION, "en").setTemperature(7.0).build(),
                "2026-11-28T10:00:00Z");
        assertThat(onlyDeadLetter().getReason()).isEqualTo("INVALID_SAMPLING_PARAMETER");

        sendAt(TestRequests.hinted("fixed", TaskType.CLASSIFICATION, "en").build(), "2026-11-28T10:00:01Z");
        assertThat(onlyOutput(slm).getRequest().getRequestId()).isEqualTo("fixed");
    }

    @Test
    void shouldKeepRoutingAfterPoisonRecords() {
        input.pipeInput("bad".getBytes(StandardCharsets.UTF_8), new byte[] {9, 9, 9});
        send(TestRequests.hinted("good", TaskType.CLASSIFICATION, "en").build());

        assertThat(dlq.readValuesToList()).hasSize(1);
        assertThat(slm.readValuesToList()).extracting(r -> r.getRequest().getRequestId()).containsExactly("good");
    }

    private static byte[] bytes(final ByteBuffer buffer) {
        final byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
