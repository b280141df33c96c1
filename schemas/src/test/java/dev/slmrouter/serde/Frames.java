package dev.slmrouter.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/** Writes and reads Confluent frames independently of the serde under test, with generic Avro. */
final class Frames {

    private Frames() {
    }

    static byte[] frame(int schemaId, Schema writer, Object datum) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<>(writer).write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] frame(int schemaId, byte[] avro) {
        return ByteBuffer.allocate(5 + avro.length).put((byte) 0).putInt(schemaId).put(avro).array();
    }

    /** Decodes a frame's body generically: writer schema {@code writer}, reader schema {@code reader}. */
    static <D> D read(byte[] frame, Schema writer, Schema reader) {
        try {
            return new GenericDatumReader<D>(writer, reader)
                    .read(null, DecoderFactory.get().binaryDecoder(frame, 5, frame.length - 5, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
