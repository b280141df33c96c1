package dev.slmrouter.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro's binary encoding read straight from one payload array, refusing lengths the payload cannot hold.
 * Avro's own {@link BinaryDecoder} allocates a string, bytes, array or map of the size the data claims
 * before reading it, up to 2 GiB (its default limits), so a few garbage bytes on a topic could take a
 * router down with an OutOfMemoryError; here a length or item count larger than the payload fails at
 * once, and reading past the payload's end is an {@link EOFException}. Strings are built from the payload
 * in place (no intermediate {@link Utf8} copy): they are most of an event's bytes. Reused per thread:
 * {@link #reset} points it at the next payload.
 */
final class BoundedDecoder extends Decoder {

    private byte[] buf;
    private int pos;
    private int limit;
    private int bound;

    BoundedDecoder reset(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
        this.bound = length;
        return this;
    }

    boolean isEnd() {
        return pos == limit;
    }

    private int checked(long length, String what) {
        if (length < 0 || length > bound) {
            throw new AvroRuntimeException("Malformed data: " + what + " of " + length
                    + " in a payload of " + bound + " bytes");
        }
        return (int) length;
    }

    /** Moves past {@code length} bytes and returns where they start. */
    private int advance(int length) throws EOFException {
        if (length > limit - pos) {
            throw new EOFException("needed " + length + " bytes at position " + pos + ", the payload ends at " + limit);
        }
        int start = pos;
        pos += length;
        return start;
    }

    private int nextByte() throws EOFException {
        if (pos == limit) {
            throw new EOFException("the payload ends at " + limit + " in the middle of a value");
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public void readNull() {
    }

    @Override
    public boolean readBoolean() throws IOException {
        return nextByte() == 1;
    }

    @Override
    public int readInt() throws IOException {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = nextByte();
            raw |= (b & 0x7f) << shift;
            if (b < 0x80) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new AvroRuntimeException("Invalid int encoding");
    }

    @Override
    public long readLong() throws IOException {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            long b = nextByte();
            raw |= (b & 0x7f) << shift;
            if (b < 0x80) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new AvroRuntimeException("Invalid long encoding");
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(littleEndian(advance(Float.BYTES), Float.BYTES));
    }

    @Override
    public double readDouble() throws IOException {
        int start = advance(Double.BYTES);
        return Double.longBitsToDouble((littleEndian(start, 4) & 0xffffffffL)
                | ((long) littleEndian(start + 4, 4) << 32));
    }

    private int littleEndian(int start, int bytes) {
        int value = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            value = (value << 8) | (buf[start + i] & 0xff);
        }
        return value;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = checked(readLong(), "string length");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        System.arraycopy(buf, advance(length), result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        int length = checked(readLong(), "string length");
        return new String(buf, advance(length), length, StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        advance(checked(readLong(), "string length"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = checked(readLong(), "bytes length");
        ByteBuffer result = old != null && old.capacity() >= length ? old : ByteBuffer.allocate(length);
        result.clear();
        System.arraycopy(buf, advance(length), result.array(), result.arrayOffset(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        advance(checked(readLong(), "bytes length"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        System.arraycopy(buf, advance(length), bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        advance(length);
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }

    @Override
    public long readArrayStart() throws IOException {
        return checked(blockItemCount(), "array item count");
    }

    @Override
    public long arrayNext() throws IOException {
        return checked(blockItemCount(), "array item count");
    }

    @Override
    public long readMapStart() throws IOException {
        return checked(blockItemCount(), "map entry count");
    }

    @Override
    public long mapNext() throws IOException {
        return checked(blockItemCount(), "map entry count");
    }

    /** A block's item count; a negative count is followed by the block's size in bytes, not needed to read it. */
    private long blockItemCount() throws IOException {
        long count = readLong();
        if (count < 0) {
            readLong();
            count = -count;
        }
        return count;
    }

    @Override
    public long skipArray() throws IOException {
        return skipSizedBlocks("array item count");
    }

    @Override
    public long skipMap() throws IOException {
        return skipSizedBlocks("map entry count");
    }

    /** Skips the blocks that give their size in bytes; returns the item count of the next block that does not. */
    private long skipSizedBlocks(String what) throws IOException {
        long count = readLong();
        while (count < 0) {
            advance(checked(readLong(), "block size"));
            count = readLong();
        }
        return checked(count, what);
    }
}
