package dev.slmrouter.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder over one payload that refuses lengths the payload cannot hold. Avro's own
 * {@link BinaryDecoder} allocates a string, bytes, array or map of the size the data claims before
 * reading it, up to 2 GiB (its default limits), so a few garbage bytes on a topic could take a
 * router down with an OutOfMemoryError; here a length or item count larger than the payload fails
 * at once. Reused per thread: {@link #reset} points it at the next payload.
 */
final class BoundedDecoder extends Decoder {

    private BinaryDecoder in;
    private int bound;
    private final Utf8 scratch = new Utf8();

    BoundedDecoder reset(byte[] buf, int offset, int length) {
        in = DecoderFactory.get().binaryDecoder(buf, offset, length, in);
        bound = length;
        return this;
    }

    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    private int checked(long length, String what) {
        if (length < 0 || length > bound) {
            throw new AvroRuntimeException("Malformed data: " + what + " of " + length
                    + " in a payload of " + bound + " bytes");
        }
        return (int) length;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = checked(in.readLong(), "string length");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        in.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(scratch).toString();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = checked(in.readLong(), "bytes length");
        ByteBuffer result = old != null && old.capacity() >= length ? old : ByteBuffer.allocate(length);
        result.clear();
        in.readFixed(result.array(), result.arrayOffset(), length);
        result.limit(length);
        return result;
    }

    @Override
    public long readArrayStart() throws IOException {
        return checked(in.readArrayStart(), "array item count");
    }

    @Override
    public long arrayNext() throws IOException {
        return checked(in.arrayNext(), "array item count");
    }

    @Override
    public long readMapStart() throws IOException {
        return checked(in.readMapStart(), "map entry count");
    }

    @Override
    public long mapNext() throws IOException {
        return checked(in.mapNext(), "map entry count");
    }

    // Everything below cannot allocate more than a fixed size: plain delegation.

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
