package dev.slmrouter.tier0.train;

import dev.slmrouter.tier0.data.LabeledData;
import dev.slmrouter.tier0.data.LabeledExample;
import dev.slmrouter.tier0.encoder.EmbeddingCache;
import dev.slmrouter.tier0.encoder.EncoderSpec;
import dev.slmrouter.tier0.encoder.OnnxSentenceEncoder;
import dev.slmrouter.tier0.head.SoftmaxTrainer;
import dev.slmrouter.tier0.model.ClassifierArtifact;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a tier-0 classifier from labeled examples: encodes the texts (through the embedding cache, so a
 * second training on the same texts skips the encoder), fits the softmax head (choosing the regularization
 * on a held-out part) and returns the artifact with its training metadata. Progress goes to {@code out} as
 * plain lines. The {@code tier0 train} command and the demo both train through here.
 *
 * @param name      the classifier's name (requests and the policy refer to it)
 * @param source    where the examples come from, recorded in the artifact
 * @param examples  the labeled examples; at least two labels
 * @param encoder   the sentence encoder to train on
 * @param maxTokens the encoder's token window (texts are truncated to it)
 * @param cacheDir  where embeddings are cached
 * @param options   the head's training options
 * @param threshold the confidence threshold written into the artifact
 */
public record ClassifierTraining(String name, String source, List<LabeledExample> examples, EncoderSpec encoder,
                                 int maxTokens, Path cacheDir, SoftmaxTrainer.Options options, double threshold) {

    public ClassifierTraining {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("a classifier name must be letters, digits, '.', '_' or '-', got " + name);
        }
        examples = List.copyOf(examples);
    }

    public ClassifierArtifact run(final PrintStream out) throws IOException {
        final List<String> labels = LabeledData.labels(examples).stream().sorted().toList();
        if (labels.size() < 2) {
            throw new IllegalArgumentException(source + " has " + labels.size() + " label(s); a classifier needs at least 2");
        }
        out.printf(Locale.ROOT, "Training '%s' on %d examples, %d labels, from %s%n", name, examples.size(), labels.size(),
                source);
        final long loadStart = System.nanoTime();
        try (OnnxSentenceEncoder model = OnnxSentenceEncoder.load(encoder, options.threads(), maxTokens)) {
            out.printf(Locale.ROOT, "Encoder %s (%s), %d dimensions, window %d tokens, loaded in %.1f s%n", model.id(),
                    model.version(), model.dimensions(), model.maxTokens(), (System.nanoTime() - loadStart) / 1e9);
            final EmbeddingCache cache = EmbeddingCache.open(cacheDir, model);
            final int cachedBefore = cache.size();
            final long embedStart = System.nanoTime();
            final float[][] x = cache.embedAll(examples.stream().map(LabeledExample::text).toList(), model);
            final double embedSeconds = (System.nanoTime() - embedStart) / 1e9;
            out.printf(Locale.ROOT, "Embeddings: %.1f s on %d threads (cache %s: %d vectors before, %d after)%n",
                    embedSeconds, options.threads(), cache.file(), cachedBefore, cache.size());
            final Map<String, Integer> index = new HashMap<>();
            for (int k = 0; k < labels.size(); k++) {
                index.put(labels.get(k), k);
            }
            final int[] y = examples.stream().mapToInt(e -> index.get(e.label())).toArray();
            final SoftmaxTrainer.Training training = SoftmaxTrainer.train(x, y, labels.size(), options);
            if (!training.holdout().isEmpty()) {
                out.printf(Locale.ROOT, "Held out %d examples (%.0f%% of each label) to choose lambda:%n",
                        training.holdoutSize(), options.holdoutFraction() * 100);
                out.println("  lambda     held-out accuracy  held-out log-loss  iterations");
                for (SoftmaxTrainer.HoldoutScore s : training.holdout()) {
                    out.printf(Locale.ROOT, "  %-9.0e  %16.2f%%  %17.4f  %10d%s%n", s.lambda(), s.accuracy() * 100,
                            s.logLoss(), s.iterations(), s.lambda() == training.lambda() ? "   <- chosen" : "");
                }
            }
            out.printf(Locale.ROOT, "Head trained in %.1f s (lambda %.0e, final fit %d iterations%s, %d threads)%n",
                    training.seconds(), training.lambda(), training.finalIterations(),
                    training.converged() ? "" : ", iteration limit reached", options.threads());
            final Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("data", source);
            meta.put("examples", examples.size());
            meta.put("labels", labels.size());
            meta.put("holdout_fraction", options.holdoutFraction());
            meta.put("holdout_examples", training.holdoutSize());
            meta.put("lambda_grid", options.lambdas());
            meta.put("lambda", training.lambda());
            meta.put("holdout", training.holdout().stream().map(s -> Map.of("lambda", s.lambda(), "accuracy",
                    s.accuracy(), "log_loss", s.logLoss(), "iterations", s.iterations())).toList());
            meta.put("final_iterations", training.finalIterations());
            meta.put("seed", options.seed());
            meta.put("embed_seconds", round(embedSeconds));
            meta.put("train_seconds", round(training.seconds()));
            meta.put("threads", options.threads());
            return ClassifierArtifact.of(name,
                    new ClassifierArtifact.Encoder(model.id(), model.version(), model.maxTokens(), model.dimensions()),
                    labels, training.head(), threshold, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), meta);
        }
    }

    private static double round(final double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }
}
