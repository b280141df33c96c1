package dev.slmrouter.serde;

import java.io.ByteArrayOutputStream;

/**
 * The Confluent wire format: one magic byte 0, the schema id as a 4-byte big-endian int, then the
 * Avro binary encoding. Kept apart from the serde so that code which only routes or dead-letters
 * bytes can read the schema id without decoding anything.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /**
     * The schema id in a payload's header.
     *
     * @throws WireFormatException when the payload is null, shorter than the header or has another magic byte
     */
    public static int schemaId(byte[] payload) {
        if (payload == null) {
            throw new WireFormatException("Payload is null: a tombstone has no schema id");
        }
        return schemaId(payload, 0, payload.length);
    }

    static int schemaId(byte[] buf, int offset, int length) {
        if (length < HEADER_SIZE) {
            throw WireFormatException.truncated(length);
        }
        if (buf[offset] != MAGIC_BYTE) {
            throw WireFormatException.badMagic(buf[offset], length);
        }
        return (buf[offset + 1] & 0xff) << 24 | (buf[offset + 2] & 0xff) << 16
                | (buf[offset + 3] & 0xff) << 8 | (buf[offset + 4] & 0xff);
    }

    /** Writes the header for {@code schemaId} over the first {@link #HEADER_SIZE} bytes of {@code target}. */
    public static void putHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }
}
