package dev.slmrouter.tier0.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The encoder tier 0 runs itself (one intra-op thread, truncation, its own pooling) gives the vectors
 * langchain4j's own model classes give for the same jar's files, and embedAll on several threads gives
 * exactly what one call per text gives (what a worker serves is what training saw).
 */
class OnnxSentenceEncoderTest {

    private static final List<String> TEXTS = List.of(
            "My card still has not arrived after two weeks.",
            "How do I top up with a bank transfer?",
            "Why was I charged a fee for withdrawing cash?",
            "ok",
            "I would like to close my account and get my remaining balance refunded to my old bank, please tell me how.");

    @Test
    void shouldMatchLangchain4jForBge() {
        check(EncoderSpec.BGE_SMALL_EN_V15_Q, new BgeSmallEnV15QuantizedEmbeddingModel());
    }

    @Test
    void shouldMatchLangchain4jForMiniLm() {
        check(EncoderSpec.ALL_MINILM_L6_V2_Q, new AllMiniLmL6V2QuantizedEmbeddingModel());
    }

    private static void check(final EncoderSpec spec, final EmbeddingModel reference) {
        try (OnnxSentenceEncoder encoder = OnnxSentenceEncoder.load(spec, 2)) {
            assertThat(encoder.dimensions()).isEqualTo(384);
            final float[][] batch = encoder.embedAll(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                final float[] one = encoder.embed(TEXTS.get(i));
                final float[] theirs = reference.embed(TEXTS.get(i)).content().vector();
                assertThat(cosine(one, theirs)).as("single vs langchain4j: %s", TEXTS.get(i)).isGreaterThan(0.999);
                assertThat(batch[i]).as("embedAll vs embed: %s", TEXTS.get(i)).containsExactly(one);
                assertThat(cosine(one, one)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            }
            assertThat(cosine(batch[0], batch[1])).isLessThan(0.95);
        }
    }

    static double cosine(final float[] a, final float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
