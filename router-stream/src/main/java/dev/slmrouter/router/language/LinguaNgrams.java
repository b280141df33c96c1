package dev.slmrouter.router.language;

import java.util.Arrays;

/**
 * A text's distinct n-grams of one order, of letters only, in the iteration order of Lingua's HashSet: the n-grams
 * {@link CompactLinguaDetector} scores, as Lingua 1.2.2 extracts them.
 *
 * <p>Lingua sums floats in the iteration order of the {@code HashSet} holding the text's n-grams; the n-grams here
 * come in the same order (see {@link #hashSetOrder}), so the detector's sums, and the confidences, are Lingua's bit
 * for bit (a set in which 8 or more n-grams share a bucket would be ordered differently by Java's tree bins; with at
 * most about a hundred n-grams per order that does not happen in practice, and only the last bits of a sum would
 * change).
 */
final class LinguaNgrams {

    private final int order;
    /** The number of distinct n-grams. */
    final int count;
    /** Per n-gram: the key of its first min(order, 4) chars (packed), and for order 5 its hashed key. */
    private final long[] packed;
    private final long[] key5;

    private LinguaNgrams(final int order, final int count, final long[] packed, final long[] key5) {
        this.order = order;
        this.count = count;
        this.packed = packed;
        this.key5 = key5;
    }

    /** The key of n-gram {@code n}'s first {@code length} chars (1 to the order), for {@link NgramModels#find}. */
    long prefixKey(final int n, final int length) {
        if (length == 5) {
            return key5[n];
        }
        return packed[n] >>> 16 * (Math.min(order, 4) - length);
    }

    /** The distinct n-grams of {@code order} in {@code text}, of letters only, in the iteration order of a HashSet. */
    static LinguaNgrams of(final char[] text, final int order) {
        final int windows = Math.max(0, text.length - order + 1);
        final long[] packed = new long[windows];
        final long[] key5 = order == 5 ? new long[windows] : null;
        final int[] hashes = new int[windows];
        int count = 0;
        final long[] seen = new long[Integer.highestOneBit(Math.max(8, windows) * 2) << 1];
        for (int i = 0; i < windows; i++) {
            if (!allLetters(text, i, i + order)) {
                continue;
            }
            final long key = NgramModels.key(text, i, order);
            if (!NgramModels.addIfAbsent(seen, key)) {
                continue;
            }
            packed[count] = NgramModels.key(text, i, Math.min(order, 4));
            if (key5 != null) {
                key5[count] = key;
            }
            int h = 0;
            for (int j = i; j < i + order; j++) {
                h = 31 * h + text[j]; // String.hashCode of the n-gram
            }
            hashes[count] = h;
            count++;
        }
        final int[] order2 = hashSetOrder(hashes, count);
        final long[] p = new long[count];
        final long[] k5 = key5 == null ? null : new long[count];
        for (int n = 0; n < count; n++) {
            p[n] = packed[order2[n]];
            if (k5 != null) {
                k5[n] = key5[order2[n]];
            }
        }
        return new LinguaNgrams(order, count, p, k5);
    }

    /**
     * The order in which a {@code java.util.HashSet} filled with elements of the given hash codes, in this order and
     * all distinct, iterates them: by bucket ({@code (h ^ h >>> 16) & (capacity - 1)}, the capacity doubling from 16
     * while more than 3/4 full), insertion order within a bucket (resizing keeps it).
     */
    static int[] hashSetOrder(final int[] hashes, final int count) {
        int capacity = 16;
        while (count > capacity * 3 / 4) {
            capacity <<= 1;
        }
        final int[] bucket = new int[count];
        final Integer[] indexes = new Integer[count];
        for (int i = 0; i < count; i++) {
            final int h = hashes[i];
            bucket[i] = (h ^ (h >>> 16)) & (capacity - 1);
            indexes[i] = i;
        }
        Arrays.sort(indexes, (a, b) -> bucket[a] != bucket[b] ? Integer.compare(bucket[a], bucket[b])
                : Integer.compare(a, b));
        final int[] result = new int[count];
        for (int i = 0; i < count; i++) {
            result[i] = indexes[i];
        }
        return result;
    }

    /** Lingua's {@code \p{L}+} on {@code text[from, to)}: every code point within the window a letter. */
    private static boolean allLetters(final char[] text, final int from, final int to) {
        for (int i = from; i < to; ) {
            final int cp = Character.codePointAt(text, i, to);
            if (!Character.isLetter(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }
}
