package dev.slmrouter.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.InMemorySchemaRegistry;
import dev.slmrouter.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class RoutedRequestSerializerTest {

    private static final String TOPIC = "llm.requests.slm";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final ConfluentAvroSerde<InferenceRequest> requests = ConfluentAvroSerde.forValue(InferenceRequest.class,
            registry);
    private final ConfluentAvroSerde<RoutedRequest> routed = ConfluentAvroSerde.forValue(RoutedRequest.class, registry);
    private final RoutedRequestSerializer serializer = new RoutedRequestSerializer(registry);

    @Test
    void copiesTheRequestBytesAndWritesWhatAWholeEncodingWrites() {
        final InferenceRequest request = request();
        final byte[] original = requests.serializer().serialize("llm.requests", request);
        final RoutedRequest expected = new RoutedRequest(request, decision());

        final byte[] written = serializer.serialize(TOPIC, new RouteOutcome.Routed(expected, original));

        assertThat(written).isEqualTo(routed.serializer().serialize(TOPIC, expected));
        assertThat(WireFormat.schemaId(written)).isEqualTo(routed.serializer().schemaId(TOPIC));
        assertThat(routed.deserializer().deserialize(TOPIC, written)).isEqualTo(expected);
    }

    @Test
    void encodesWholeARequestWrittenWithAnotherSchemaVersion() {
        // A producer on a newer schema: one more field at the end, which this build's class does not have.
        final Schema newer = new Schema.Parser().parse(InferenceRequest.getClassSchema().toString()
                .replaceFirst("\\]\\}$", ",{\"name\":\"priority\",\"type\":\"int\",\"default\":0}]}"));
        assertThat(newer.getField("priority")).isNotNull();
        final InferenceRequest request = request();
        // A record's encoding is its fields in order: the newer encoding is this one plus the int 7 (zigzag 14).
        final byte[] current = requests.serializer().serialize("llm.requests", request);
        final byte[] original = Arrays.copyOf(current, current.length + 1);
        original[current.length] = 14;
        WireFormat.putHeader(original, registry.register("llm.requests-value", newer));
        final InferenceRequest decoded = requests.deserializer().deserialize("llm.requests", original);
        assertThat(decoded).isEqualTo(request);
        final RoutedRequest expected = new RoutedRequest(decoded, decision());

        final byte[] written = serializer.serialize(TOPIC, new RouteOutcome.Routed(expected, original));

        assertThat(written).isEqualTo(routed.serializer().serialize(TOPIC, expected));
        assertThat(routed.deserializer().deserialize(TOPIC, written)).isEqualTo(expected);
    }

    @Test
    void encodesWholeWhenNoOriginalBytesCameWithTheRequest() {
        final RoutedRequest expected = new RoutedRequest(request(), decision());

        assertThat(serializer.serialize(TOPIC, new RouteOutcome.Routed(expected, null)))
                .isEqualTo(routed.serializer().serialize(TOPIC, expected));
        assertThat(serializer.serialize(TOPIC, null)).isNull();
    }

    @Test
    void writesEveryKindOfDecisionAsAvrosOwnWriterDoes() throws Exception {
        final List<RoutingDecision> decisions = List.of(decision(),
                RoutingDecision.newBuilder(decision()).setLanguage(null).setLanguageSource(DecisionSource.CLASSIFIER)
                        .setLanguageConfidence(0.0).setRule(RoutingRule.UNDETECTED_LANGUAGE).setTier(Tier.GPT).build(),
                RoutingDecision.newBuilder(decision()).setTier(Tier.TIER0).setClassifier("banking77")
                        .setFallbackTier(Tier.SLM).setRule(RoutingRule.TIER0_CLASSIFIER).setTokenEstimate(123_456)
                        .setDailyVolume(9_876_543_210L).setVolumeBand(2).setExplanation("ünïcödé 路由 ✓").build());
        final SpecificDatumWriter<RoutingDecision> avro = new SpecificDatumWriter<>(RoutingDecision.class);
        for (RoutingDecision decision : decisions) {
            final ByteArrayOutputStream expected = new ByteArrayOutputStream();
            final BinaryEncoder expectedOut = EncoderFactory.get().binaryEncoder(expected, null);
            avro.write(decision, expectedOut);
            expectedOut.flush();
            final ByteArrayOutputStream written = new ByteArrayOutputStream();
            final BinaryEncoder writtenOut = EncoderFactory.get().binaryEncoder(written, null);
            RoutedRequestSerializer.writeDecision(decision, writtenOut);
            writtenOut.flush();
            assertThat(written.toByteArray()).as(decision.toString()).isEqualTo(expected.toByteArray());
        }
    }

    private static InferenceRequest request() {
        return InferenceRequest.newBuilder()
                .setRequestId("r-42")
                .setTenant("acme")
                .setTaskType(TaskType.EXTRACTION)
                .setLanguage("de")
                .setMessages(List.of(new ChatMessage("system", "Extrahiere."), new ChatMessage("user", "Rechnung Nr. 7")))
                .setLabels(List.of("a", "b"))
                .setResponseSchema("{\"type\":\"object\"}")
                .setMaxOutputTokens(64)
                .setTemperature(0.0)
                .setSeed(42L)
                .setLatencyClass(LatencyClass.BATCH)
                .setDeadline(Instant.parse("2026-11-29T03:00:00Z"))
                .setMetadata(Map.of("source", "test"))
                .setCreatedAt(Instant.parse("2026-11-29T02:00:00Z").truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private static RoutingDecision decision() {
        return RoutingDecision.newBuilder()
                .setTier(Tier.SLM)
                .setTaskType(TaskType.EXTRACTION)
                .setTaskTypeSource(DecisionSource.HINT)
                .setTaskTypeConfidence(1.0)
                .setLanguage("de")
                .setLanguageSource(DecisionSource.HINT)
                .setLanguageConfidence(1.0)
                .setTokenEstimate(12)
                .setDailyVolume(5)
                .setVolumeBand(0)
                .setMatrixScore(3)
                .setRule(RoutingRule.MATRIX_TIE)
                .setExplanation("score 3, tie goes to SLM")
                .setPolicyVersion("test-1")
                .setDecidedAt(Instant.parse("2026-11-29T02:00:01Z"))
                .build();
    }
}
