package dev.slmrouter.benchmarks;

import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.serde.ConfluentAvroDeserializer;
import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.InMemorySchemaRegistry;
import dev.slmrouter.serde.WireFormat;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding the {@link PromptMix}'s requests (Confluent-framed Avro, ~1 KB each) into {@link InferenceRequest}:
 * with the project's deserializer, which every service reads its events with, and with Avro's own reader and
 * {@link BinaryDecoder} on the same bytes (no bounds on claimed lengths, no wire-format checks), side by side.
 * Each call takes the next request of the mix.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3)
@State(Scope.Thread)
public class DecodeBenchmark {

    private ConfluentAvroDeserializer<InferenceRequest> deserializer;
    private SpecificDatumReader<InferenceRequest> avroReader;
    private BinaryDecoder avroDecoder;
    private byte[][] encoded;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        final PromptMix mix = PromptMix.load();
        final ConfluentAvroSerde<InferenceRequest> serde =
                ConfluentAvroSerde.forValue(InferenceRequest.class, new InMemorySchemaRegistry());
        deserializer = serde.deserializer();
        avroReader = new SpecificDatumReader<>(InferenceRequest.class);
        encoded = new byte[mix.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = serde.serializer().serialize(DecideFixture.TOPIC, mix.request(i, true));
            if (!stockAvro(i).equals(deserializer.deserialize(DecideFixture.TOPIC, encoded[i]))) {
                throw new IllegalStateException("the two decoders disagree on request " + i);
            }
        }
    }

    private int nextIndex() {
        final int i = next;
        next = i + 1 == encoded.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public InferenceRequest deserializer() {
        return deserializer.deserialize(DecideFixture.TOPIC, encoded[nextIndex()]);
    }

    @Benchmark
    public InferenceRequest stockAvro() {
        return stockAvro(nextIndex());
    }

    private InferenceRequest stockAvro(final int i) {
        final byte[] bytes = encoded[i];
        avroDecoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE,
                bytes.length - WireFormat.HEADER_SIZE, avroDecoder);
        try {
            return avroReader.read(null, avroDecoder);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
