package dev.slmrouter.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.RoutedRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfluentAvroSerdeRoundTripTest {

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of(InferenceRequest.class, TestEvents.request()),
                Arguments.of(RoutedRequest.class, TestEvents.routed()),
                Arguments.of(Escalation.class, TestEvents.escalation()),
                Arguments.of(InferenceResult.class, TestEvents.result()),
                Arguments.of(DeadLetter.class, TestEvents.deadLetter()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    <T extends SpecificRecord> void everyEventTypeRoundTripsWithTheConfluentHeader(Class<T> type, T event) {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.register("unrelated-value", ChatMessage.getClassSchema()); // so the event's id is 2, not 1
        ConfluentAvroSerde<T> serde = ConfluentAvroSerde.forValue(type, registry);

        byte[] bytes = serde.serializer().serialize("llm.topic", event);

        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(new byte[] {bytes[1], bytes[2], bytes[3], bytes[4]}).containsExactly(0, 0, 0, 2);
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(2);
        assertThat(registry.schemaById(2)).isEqualTo(serde.serializer().schema());
        assertThat(registry.subjects()).containsExactlyInAnyOrder("unrelated-value", "llm.topic-value");
        T back = serde.deserializer().deserialize("llm.topic", bytes);
        assertThat(back).isEqualTo(event).isNotSameAs(event);
    }

    @Test
    void theByteBufferPathDecodesInPlaceFromASliceOfALargerBuffer() {
        ConfluentAvroSerde<InferenceRequest> serde = ConfluentAvroSerde.forValue(InferenceRequest.class,
                new InMemorySchemaRegistry());
        byte[] bytes = serde.serializer().serialize("llm.requests", TestEvents.request());
        byte[] fetch = new byte[bytes.length + 20];
        System.arraycopy(bytes, 0, fetch, 7, bytes.length);
        ByteBuffer slice = ByteBuffer.wrap(fetch, 7, bytes.length).slice();

        InferenceRequest back = serde.deserializer().deserialize("llm.requests", new RecordHeaders(), slice);

        assertThat(back).isEqualTo(TestEvents.request());
        assertThat(slice.position()).isZero();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        assertThat(serde.deserializer().deserialize("llm.requests", new RecordHeaders(), direct))
                .isEqualTo(TestEvents.request());
    }

    @Test
    void nullIsATombstoneBothWays() {
        ConfluentAvroSerde<InferenceResult> serde = ConfluentAvroSerde.forValue(InferenceResult.class,
                new InMemorySchemaRegistry());

        assertThat(serde.serializer().serialize("llm.results", null)).isNull();
        assertThat(serde.deserializer().deserialize("llm.results", null)).isNull();
        assertThat(serde.deserializer().deserialize("llm.results", new RecordHeaders(), (ByteBuffer) null)).isNull();
    }

    @Test
    void keySerdeRegistersUnderTheKeySubjectAndTopicsShareTheGlobalId() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        ConfluentAvroSerde<ChatMessage> keys = ConfluentAvroSerde.forKey(ChatMessage.class, registry);

        byte[] a = keys.serializer().serialize("a", new ChatMessage("user", "x"));
        byte[] b = keys.serializer().serialize("b", new ChatMessage("user", "y"));

        assertThat(registry.subjects()).containsExactlyInAnyOrder("a-key", "b-key");
        assertThat(WireFormat.schemaId(a)).isEqualTo(1);
        assertThat(WireFormat.schemaId(b)).isEqualTo(1);
        assertThat(keys.deserializer().deserialize("b", b)).isEqualTo(new ChatMessage("user", "y"));
    }

    @Test
    void serializesTheSameBytesFromManyThreadsAtOnce() throws Exception {
        ConfluentAvroSerde<RoutedRequest> serde = ConfluentAvroSerde.forValue(RoutedRequest.class,
                new InMemorySchemaRegistry());
        byte[] expected = serde.serializer().serialize("llm.requests.slm", TestEvents.routed());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                tasks.add(() -> {
                    for (int n = 0; n < 200; n++) {
                        byte[] bytes = serde.serializer().serialize("llm.requests.slm", TestEvents.routed());
                        if (!Arrays.equals(bytes, expected)
                                || !serde.deserializer().deserialize("llm.requests.slm", bytes).equals(TestEvents.routed())) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
