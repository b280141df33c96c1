package dev.slmrouter.tier0.encoder;

import java.util.List;

/** Turns texts into unit-length sentence vectors. Implementations are thread-safe. */
public interface SentenceEncoder extends AutoCloseable {

    /** The encoder's id, as written into classifier artifacts and cache keys. */
    String id();

    /** Where the model comes from and which version (a Maven artifact for the built-in encoders). */
    String version();

    int dimensions();

    /** One text's vector (L2 norm 1). */
    float[] embed(String text);

    /** Many texts' vectors, in order; implementations may batch them. */
    default float[][] embedAll(final List<String> texts) {
        final float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = embed(texts.get(i));
        }
        return out;
    }

    @Override
    void close();
}
