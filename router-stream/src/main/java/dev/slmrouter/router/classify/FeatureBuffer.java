package dev.slmrouter.router.classify;

import java.util.Arrays;

/**
 * One request's hashed features: text features first (signed values, to be length-normalised), then
 * structural features (value 1). Text features are binary: a bucket counts once per request however
 * often its n-gram repeats, so that a long pasted document full of repeated phrases cannot outvote the
 * instruction. A plain reusable buffer rather than a callback, so that scoring is one tight loop over two
 * arrays. Mutable and not thread-safe: each thread keeps its own.
 */
final class FeatureBuffer {

    /** Per bucket, the generation of the request that last used it: a set that clears in O(1). */
    private final int[] seen;
    private int generation;
    private int[] indexes;
    private float[] values;
    private int size;
    private int textSize;
    private double textSumOfSquares;

    FeatureBuffer(int bucketCount, int initialCapacity) {
        this.seen = new int[bucketCount];
        this.indexes = new int[initialCapacity];
        this.values = new float[initialCapacity];
    }

    void reset() {
        size = 0;
        textSize = 0;
        textSumOfSquares = 0;
        generation++;
        if (generation == 0) { // wrapped after 2^32 requests: old marks could look current
            Arrays.fill(seen, 0);
            generation = 1;
        }
    }

    /** Makes room for {@code extra} more features, so that a writer can fill the arrays directly. */
    void ensureCapacity(int extra) {
        int needed = size + extra;
        if (needed > indexes.length) {
            int capacity = Math.max(needed, indexes.length * 2);
            indexes = Arrays.copyOf(indexes, capacity);
            values = Arrays.copyOf(values, capacity);
        }
    }

    /**
     * Takes the text features a writer put at {@code [size(), newSize)}, dropping buckets this request
     * already has (the first occurrence, usually the louder one near the start, wins). Must not be
     * called after the first structural feature.
     */
    void commitText(int newSize) {
        int kept = size;
        double sumOfSquares = textSumOfSquares;
        for (int j = size; j < newSize; j++) {
            int bucket = indexes[j];
            if (seen[bucket] != generation) {
                seen[bucket] = generation;
                float value = values[j];
                indexes[kept] = bucket;
                values[kept] = value;
                sumOfSquares += value * value;
                kept++;
            }
        }
        textSumOfSquares = sumOfSquares;
        size = kept;
        textSize = kept;
    }

    void structure(int index) {
        ensureCapacity(1);
        indexes[size] = index;
        values[size] = 1f;
        size++;
    }

    int size() {
        return size;
    }

    /** Features {@code [0, textSize())} are text, the rest structural. */
    int textSize() {
        return textSize;
    }

    int index(int i) {
        return indexes[i];
    }

    float value(int i) {
        return values[i];
    }

    /** The factor that gives the text part unit (L2) length. */
    double textScale() {
        return textSumOfSquares > 0 ? 1 / Math.sqrt(textSumOfSquares) : 0;
    }

    int[] indexArray() {
        return indexes;
    }

    float[] valueArray() {
        return values;
    }
}
