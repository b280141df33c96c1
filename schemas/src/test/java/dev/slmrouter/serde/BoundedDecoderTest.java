package dev.slmrouter.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BoundedDecoder} against Avro's own {@link org.apache.avro.io.BinaryDecoder}: every primitive type
 * at its extremes, arrays and maps in plain and in sized blocks (Avro's blocking encoder writes negative
 * counts followed by byte sizes), and every skip path (a reader schema without the fields), on random data.
 */
class BoundedDecoderTest {

    private static final Schema WRITER = new Schema.Parser().parse("""
            {"type": "record", "name": "All", "fields": [
              {"name": "b", "type": "boolean"},
              {"name": "i", "type": "int"},
              {"name": "l", "type": "long"},
              {"name": "f", "type": "float"},
              {"name": "d", "type": "double"},
              {"name": "s", "type": "string"},
              {"name": "y", "type": "bytes"},
              {"name": "x", "type": {"type": "fixed", "name": "Five", "size": 5}},
              {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}},
              {"name": "u", "type": ["null", "string", "long"]},
              {"name": "a", "type": {"type": "array", "items": "string"}},
              {"name": "m", "type": {"type": "map", "values": "long"}},
              {"name": "n", "type": "null"}
            ]}""");

    /** Keeps only {@code i}: every other field is skipped. */
    private static final Schema SKIPPING = new Schema.Parser().parse("""
            {"type": "record", "name": "All", "fields": [{"name": "i", "type": "int"}]}""");

    private final Random random = new Random(20261129);

    @ParameterizedTest(name = "blocking encoder: {0}")
    @ValueSource(booleans = {false, true})
    void decodesWhatAvroDecodesAndSkipsWhatItSkips(boolean blocking) throws IOException {
        for (int n = 0; n < 300; n++) {
            GenericRecord record = randomRecord(n);
            byte[] bytes = encode(record, blocking);

            assertThat(ours(bytes, WRITER)).isEqualTo(stock(bytes, WRITER)).isEqualTo(record);
            assertThat(ours(bytes, SKIPPING)).isEqualTo(stock(bytes, SKIPPING));
        }
    }

    @Test
    void readingPastTheEndIsAnEofNamingThePosition() throws IOException {
        byte[] bytes = encode(randomRecord(7), false);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> ours(cut, WRITER)).isInstanceOf(EOFException.class).hasMessageContaining("payload ends");
        assertThatThrownBy(() -> ours(new byte[] {(byte) 0x80}, SKIPPING)).isInstanceOf(EOFException.class);
    }

    @Test
    void aVarintLongerThanAnIntAllowsIsRefused() throws IOException {
        byte[] bytes = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};

        assertThatThrownBy(() -> new BoundedDecoder().reset(bytes, 0, bytes.length).readInt())
                .hasMessage("Invalid int encoding");
        assertThat(new BoundedDecoder().reset(bytes, 0, bytes.length).readLong()).isEqualTo(-(1L << 35));
    }

    @Test
    void isEndOnlyAfterTheLastByte() throws IOException {
        BoundedDecoder decoder = new BoundedDecoder().reset(new byte[] {9, 2, 4, 9}, 1, 2);

        assertThat(decoder.readInt()).isEqualTo(1);
        assertThat(decoder.isEnd()).isFalse();
        assertThat(decoder.readInt()).isEqualTo(2);
        assertThat(decoder.isEnd()).isTrue();
    }

    private GenericRecord randomRecord(int n) {
        GenericRecord record = new GenericData.Record(WRITER);
        int[] ints = {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, random.nextInt()};
        long[] longs = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE, random.nextLong()};
        record.put("b", random.nextBoolean());
        record.put("i", ints[n % ints.length]);
        record.put("l", longs[n % longs.length]);
        record.put("f", n % 5 == 0 ? Float.NaN : random.nextFloat() * (n - 150));
        record.put("d", n % 7 == 0 ? Double.NEGATIVE_INFINITY : random.nextGaussian() * n);
        record.put("s", randomText());
        byte[] raw = new byte[random.nextInt(40)];
        random.nextBytes(raw);
        record.put("y", ByteBuffer.wrap(raw));
        byte[] five = new byte[5];
        random.nextBytes(five);
        record.put("x", new GenericData.Fixed(WRITER.getField("x").schema(), five));
        record.put("e", new GenericData.EnumSymbol(WRITER.getField("e").schema(), "ABC".substring(n % 3, n % 3 + 1)));
        record.put("u", n % 3 == 0 ? null : n % 3 == 1 ? randomText() : (Object) random.nextLong());
        List<String> items = new ArrayList<>();
        Map<String, Long> map = new LinkedHashMap<>();
        for (int k = random.nextInt(n % 4 == 0 ? 200 : 5); k > 0; k--) {
            items.add(randomText());
            map.put("k" + k, random.nextLong());
        }
        record.put("a", items);
        record.put("m", map);
        return record;
    }

    /** ASCII, accented Latin, CJK and an emoji (a surrogate pair), so strings are not all one byte per char. */
    private String randomText() {
        String[] parts = {"ticket", "été", "注文", "😀", " ", "x"};
        StringBuilder text = new StringBuilder();
        for (int k = random.nextInt(12); k > 0; k--) {
            text.append(parts[random.nextInt(parts.length)]);
        }
        return text.toString();
    }

    private static byte[] encode(GenericRecord record, boolean blocking) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Encoder encoder = blocking ? EncoderFactory.get().blockingBinaryEncoder(out, null)
                : EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(WRITER).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static GenericRecord ours(byte[] bytes, Schema reader) throws IOException {
        BoundedDecoder decoder = new BoundedDecoder().reset(bytes, 0, bytes.length);
        GenericRecord record = reader(reader).read(null, decoder);
        assertThat(decoder.isEnd()).isTrue();
        return record;
    }

    private static GenericRecord stock(byte[] bytes, Schema reader) throws IOException {
        return reader(reader).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    private static GenericDatumReader<GenericRecord> reader(Schema reader) {
        return new GenericDatumReader<>(WRITER, reader);
    }
}
