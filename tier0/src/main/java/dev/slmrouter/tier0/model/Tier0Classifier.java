package dev.slmrouter.tier0.model;

import dev.slmrouter.tier0.encoder.EncoderSpec;
import dev.slmrouter.tier0.encoder.OnnxSentenceEncoder;
import dev.slmrouter.tier0.encoder.SentenceEncoder;
import dev.slmrouter.tier0.head.SoftmaxHead;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A trained classifier ready to answer: its encoder and its head. Confidence is the top softmax
 * probability, raw (no temperature: it made out-of-scope rejection worse in our measurement). Thread-safe.
 */
public final class Tier0Classifier {

    private final ClassifierArtifact artifact;
    private final SentenceEncoder encoder;
    private final SoftmaxHead head;
    private final Set<String> labelSet;

    public Tier0Classifier(final ClassifierArtifact artifact, final SentenceEncoder encoder) {
        if (!artifact.encoder().id().equals(encoder.id()) || artifact.encoder().dimensions() != encoder.dimensions()) {
            throw new IllegalArgumentException("classifier " + artifact.name() + " was trained on encoder "
                    + artifact.encoder().id() + " (" + artifact.encoder().dimensions() + " dimensions), not on "
                    + encoder.id() + " (" + encoder.dimensions() + ")");
        }
        this.artifact = artifact;
        this.encoder = encoder;
        this.head = artifact.head();
        this.labelSet = Set.copyOf(artifact.labels());
    }

    /** Reads the file and loads the encoder it names (one intra-op thread per call). */
    public static Tier0Classifier load(final Path file, final int parallelism) throws IOException {
        final ClassifierArtifact artifact = ClassifierArtifact.read(file);
        final EncoderSpec spec = EncoderSpec.parse(artifact.encoder().id());
        return new Tier0Classifier(artifact, OnnxSentenceEncoder.load(spec, parallelism, artifact.encoder().maxTokens()));
    }

    public ClassifierArtifact artifact() {
        return artifact;
    }

    public SentenceEncoder encoder() {
        return encoder;
    }

    public String name() {
        return artifact.name();
    }

    public List<String> labels() {
        return artifact.labels();
    }

    public Set<String> labelSet() {
        return labelSet;
    }

    /** Encodes and classifies one text. */
    public Prediction predict(final String text) {
        final long start = System.nanoTime();
        final float[] vector = encoder.embed(text);
        final long encoded = System.nanoTime() - start;
        return predict(vector, encoded);
    }

    /** Classifies an already encoded text. */
    public Prediction predict(final float[] vector, final long encodeNanos) {
        final double[] p = head.probabilities(vector);
        final int best = SoftmaxHead.argmax(p);
        return new Prediction(artifact.labels().get(best), p[best], encodeNanos);
    }

    /** The probability of every label, in {@link #labels()} order. */
    public double[] probabilities(final float[] vector) {
        return head.probabilities(vector);
    }
}
