package dev.slmrouter.router.classify;

import java.util.Arrays;

/**
 * One request's hashed features: text features first (signed values, to be length-normalised), then
 * structural features (value 1). A plain reusable buffer rather than a callback, so that scoring is one
 * tight loop over two arrays. Mutable and not thread-safe: each thread keeps its own.
 */
final class FeatureBuffer {

    private int[] indexes;
    private float[] values;
    private int size;
    private int textSize;
    private double textSumOfSquares;

    FeatureBuffer(int initialCapacity) {
        this.indexes = new int[initialCapacity];
        this.values = new float[initialCapacity];
    }

    void reset() {
        size = 0;
        textSize = 0;
        textSumOfSquares = 0;
    }

    /** Adds a text feature; must not be called after the first structural one. */
    void text(int index, float value) {
        if (size == indexes.length) {
            grow();
        }
        indexes[size] = index;
        values[size] = value;
        size++;
        textSize = size;
        textSumOfSquares += value * value;
    }

    void structure(int index) {
        if (size == indexes.length) {
            grow();
        }
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

    /**
     * The factor that gives the text part unit length. Repeated n-grams count separately here (no
     * merging), which is cheap and the same at training and classification time.
     */
    double textScale() {
        return textSumOfSquares > 0 ? 1 / Math.sqrt(textSumOfSquares) : 0;
    }

    int[] indexArray() {
        return indexes;
    }

    float[] valueArray() {
        return values;
    }

    private void grow() {
        indexes = Arrays.copyOf(indexes, indexes.length * 2);
        values = Arrays.copyOf(values, values.length * 2);
    }
}
