package dev.slmrouter.router.topology;

import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.serde.ConfluentAvroSerializer;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.serde.SerdeException;
import dev.slmrouter.serde.SubjectNameStrategy;
import dev.slmrouter.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a routed request (Confluent wire format, {@link RoutedRequest} schema) without encoding the
 * request again. Avro's binary encoding of a record is its fields one after another, so a RoutedRequest
 * is the request's bytes followed by the decision's. When the incoming request was written with a schema
 * whose binary layout is this build's {@link InferenceRequest} (same parsing canonical form), its bytes
 * are copied as they came and only the decision is encoded; a request written with another schema
 * version (resolved on decode) is encoded whole. Encoding the request again was about a fifth of the
 * hinted path's stream thread (JFR, 2026-11-29). The decision is written field by field
 * ({@link #writeDecision}): Avro's reflective writer took 8-10% of the stream thread for it.
 * Thread-safe.
 */
final class RoutedRequestSerializer implements Serializer<RouteOutcome.Routed> {

    private static final long REQUEST_LAYOUT = SchemaNormalization.parsingFingerprint64(InferenceRequest.getClassSchema());
    private static final ThreadLocal<DecisionBuffer> BUFFERS = ThreadLocal.withInitial(DecisionBuffer::new);

    private final ConfluentAvroSerializer<RoutedRequest> whole;
    private final SchemaRegistryClient registry;
    /** Per writer schema id of incoming requests: whether their bytes can be copied. */
    private final ConcurrentMap<Integer, Boolean> copyable = new ConcurrentHashMap<>();

    RoutedRequestSerializer(final SchemaRegistryClient registry) {
        this.registry = registry;
        this.whole = new ConfluentAvroSerializer<>(RoutedRequest.class, registry, false, SubjectNameStrategy.TOPIC_NAME);
    }

    @Override
    public byte[] serialize(final String topic, final RouteOutcome.Routed routed) {
        if (routed == null) {
            return null;
        }
        final byte[] original = routed.originalValue();
        if (original == null || !copyable(WireFormat.schemaId(original))) {
            return whole.serialize(topic, routed.request());
        }
        final DecisionBuffer buffer = BUFFERS.get();
        buffer.out.reset();
        try {
            writeDecision(routed.request().getDecision(), buffer.encoder);
            buffer.encoder.flush();
        } catch (IOException | RuntimeException e) {
            BUFFERS.remove(); // the encoder may hold part of this decision
            throw new SerdeException("Cannot encode the routing decision for topic " + topic + ": " + e, e);
        }
        final byte[] out = new byte[original.length + buffer.out.size()];
        System.arraycopy(original, 0, out, 0, original.length);
        WireFormat.putHeader(out, whole.schemaId(topic));
        buffer.copyTo(out, original.length);
        return out;
    }

    /**
     * Avro's binary encoding of {@code d} (RoutingDecision.avsc: its fields in order; an enum is its symbol's
     * index, which is the Java constant's ordinal; a union is the branch index, then the value).
     * RoutedRequestSerializerTest holds it byte for byte to Avro's own writer, so a schema change that
     * this method misses fails the build.
     */
    static void writeDecision(final RoutingDecision d, final Encoder out) throws IOException {
        out.writeEnum(d.getTier().ordinal());
        out.writeEnum(d.getTaskType().ordinal());
        out.writeEnum(d.getTaskTypeSource().ordinal());
        out.writeDouble(d.getTaskTypeConfidence());
        writeNullableString(d.getLanguage(), out);
        out.writeEnum(d.getLanguageSource().ordinal());
        out.writeDouble(d.getLanguageConfidence());
        out.writeInt(d.getTokenEstimate());
        out.writeLong(d.getDailyVolume());
        out.writeInt(d.getVolumeBand());
        out.writeInt(d.getMatrixScore());
        out.writeEnum(d.getRule().ordinal());
        writeNullableString(d.getClassifier(), out);
        if (d.getFallbackTier() == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeEnum(d.getFallbackTier().ordinal());
        }
        out.writeString(d.getExplanation());
        out.writeString(d.getPolicyVersion());
        out.writeLong(d.getDecidedAt().toEpochMilli());
    }

    private static void writeNullableString(final CharSequence value, final Encoder out) throws IOException {
        if (value == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeString(value);
        }
    }

    private boolean copyable(final int writerSchemaId) {
        return copyable.computeIfAbsent(writerSchemaId,
                id -> SchemaNormalization.parsingFingerprint64(registry.schemaById(id)) == REQUEST_LAYOUT);
    }

    /** A thread's buffer for one encoded decision (a few hundred bytes). */
    private static final class DecisionBuffer {
        final Out out = new Out();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);

        void copyTo(final byte[] target, final int offset) {
            System.arraycopy(out.buffer(), 0, target, offset, out.size());
        }
    }

    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(512);
        }

        byte[] buffer() {
            return buf;
        }
    }
}
