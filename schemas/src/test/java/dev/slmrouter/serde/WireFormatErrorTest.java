package dev.slmrouter.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireFormatErrorTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final ConfluentAvroSerde<InferenceRequest> serde = ConfluentAvroSerde.forValue(InferenceRequest.class, registry);
    private final byte[] valid = serde.serializer().serialize("llm.requests", TestEvents.request()); // schema id 1

    private InferenceRequest read(byte[] bytes) {
        return serde.deserializer().deserialize("llm.requests", bytes);
    }

    @Test
    void aWrongMagicByteIsNamed() {
        byte[] bytes = valid.clone();
        bytes[0] = 1;

        assertThatThrownBy(() -> read(bytes))
                .isExactlyInstanceOf(WireFormatException.class)
                .isInstanceOf(SerializationException.class)
                .hasMessage("Unknown magic byte 0x01 (expected 0x00) in a " + bytes.length
                        + "-byte payload: not Confluent wire format");
        assertThatThrownBy(() -> read("{\"request_id\":\"r1\"}".getBytes()))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("Unknown magic byte 0x7b");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 4})
    void aPayloadShorterThanTheHeaderSaysItsLength(int length) {
        byte[] bytes = Arrays.copyOf(valid, length);

        assertThatThrownBy(() -> read(bytes))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessage("Payload of " + length + (length == 1 ? " byte" : " bytes")
                        + " is shorter than the 5-byte Confluent wire-format header");
    }

    @Test
    void aHeaderWithoutABodyIsUndecodable() {
        assertThatThrownBy(() -> read(Arrays.copyOf(valid, 5)))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("Cannot decode a 5-byte payload written with schema id 1 as "
                        + "dev.slmrouter.events.InferenceRequest: EOFException");
    }

    @Test
    void garbageAfterAValidHeaderIsUndecodableWithTheSchemaId() {
        byte[] bytes = Frames.frame(1, new byte[] {2, 'r', 2, 't', 7, 7, 7, 7});

        assertThatThrownBy(() -> read(bytes))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("written with schema id 1 as dev.slmrouter.events.InferenceRequest");
    }

    @Test
    void bytesLeftAfterACompleteRecordAreRejected() {
        byte[] bytes = Arrays.copyOf(valid, valid.length + 1);

        assertThatThrownBy(() -> read(bytes))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessage("Payload of " + bytes.length + " bytes written with schema id 1 has bytes left after a "
                        + "complete dev.slmrouter.events.InferenceRequest");
    }

    @Test
    void aHugeClaimedStringLengthFailsWithoutAllocatingIt() {
        // zig-zag varint 2,000,000,000: Avro alone would allocate 2 GB here, more than the test heap.
        byte[] bytes = Frames.frame(1, new byte[] {(byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e});

        assertThatThrownBy(() -> read(bytes))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("string length of 2000000000 in a payload of 5 bytes");
    }

    @Test
    void aHugeClaimedArrayCountFailsWithoutAllocatingIt() {
        // request_id "", tenant "", task_type null, language null, then 2,000,000,000 messages.
        byte[] bytes = Frames.frame(1, new byte[] {0, 0, 0, 0, (byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e});

        assertThatThrownBy(() -> read(bytes))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessageContaining("array item count of 2000000000 in a payload of 9 bytes");
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsNamed() {
        byte[] bytes = valid.clone();
        bytes[4] = 99;

        assertThatThrownBy(() -> read(bytes))
                .isExactlyInstanceOf(UnknownSchemaIdException.class)
                .hasMessage("Schema id 99 is not known to the schema registry at in-memory")
                .satisfies(e -> assertThat(((UnknownSchemaIdException) e).schemaId()).isEqualTo(99));
    }

    @Test
    void randomBytesNeverGiveNullOrAnUntypedError() {
        Random random = new Random(20250601);
        int decoded = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length >= 5) { // half of them with a valid header, to reach the Avro decoder
                System.arraycopy(valid, 0, bytes, 0, 5);
            }
            try {
                assertThat(read(bytes)).isNotNull();
                decoded++;
            } catch (WireFormatException | UnknownSchemaIdException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(decoded).isLessThan(50);
    }

    @Test
    void schemaIdPeeksAtTheHeader() {
        assertThat(WireFormat.schemaId(new byte[] {0, 1, 2, 3, 4})).isEqualTo(0x01020304);
        assertThat(WireFormat.schemaId(new byte[] {0, 0, 0, 0, 7, 42})).isEqualTo(7);
        assertThat(WireFormat.MAGIC_BYTE).isZero();
        assertThat(WireFormat.HEADER_SIZE).isEqualTo(5);
        assertThatThrownBy(() -> WireFormat.schemaId(null)).isExactlyInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}))
                .isExactlyInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("Payload of 3 bytes is shorter");
    }

    @Test
    void aRecordMissingARequiredFieldIsASerdeErrorAndLeavesTheSerializerUsable() {
        InferenceRequest incomplete = new InferenceRequest(); // no request_id, tenant, messages...

        assertThatThrownBy(() -> serde.serializer().serialize("llm.requests", incomplete))
                .isExactlyInstanceOf(SerdeException.class)
                .hasMessageStartingWith("Cannot encode a dev.slmrouter.events.InferenceRequest for topic llm.requests "
                        + "with schema id 1: ");
        assertThat(serde.serializer().serialize("llm.requests", TestEvents.request())).isEqualTo(valid);
    }

    @Test
    void aRecordLargerThanTheRetainedBufferRoundTrips() {
        String content = "x".repeat(3 << 20);
        InferenceRequest big = InferenceRequest.newBuilder(TestEvents.request())
                .setMessages(List.of(new ChatMessage("user", content))).build();

        assertThat(read(serde.serializer().serialize("llm.requests", big))).isEqualTo(big);
        assertThat(serde.serializer().serialize("llm.requests", TestEvents.request())).isEqualTo(valid);
    }
}
