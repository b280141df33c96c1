package dev.slmrouter.router.classify;

import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.TaskType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The router's fast task-type classifier: a multinomial logistic regression over hashed word unigrams and
 * bigrams, character 3-5-grams (binary, L2-normalised) and a few structural features of the request
 * (labels, response schema, message count, prompt length), trained at start-up from labeled example
 * prompts (by default the {@code task-examples.tsv} resource, see {@link TaskExampleReader} for the
 * format). Training takes a few hundred milliseconds and is deterministic; classifying streams over the
 * prompt once without building strings and takes microseconds, which is what a Kafka Streams processor
 * can afford. The last user message counts most, its first and last 256 chars above all (that is where
 * the instruction sits); prompts longer than {@link Options#maxMainChars()} are read as their beginning
 * and end only. The confidence is the top softmax probability. Weights are immutable after construction,
 * so one instance serves every stream thread; each thread lazily gets its own scratch buffers (about
 * 1 MB at the default table size), which suits Kafka Streams' few long-lived threads.
 */
public final class HashedNgramClassifier implements TaskTypeClassifier {

    /** The classpath resource {@link #trainDefault()} trains on. */
    public static final String DEFAULT_RESOURCE = "/task-examples.tsv";

    /**
     * Featurisation and training settings.
     *
     * @param bucketBits      log2 of the hash table size (18 = 262,144 buckets, 7 MB of weights)
     * @param maxMainChars    characters read from the last user message; longer messages are read as
     *                        their first and last {@code maxMainChars / 2}
     * @param maxContextChars characters read in total from system and earlier user messages
     * @param epochs          passes over the examples
     * @param learningRate    AdaGrad base step
     * @param l2              L2 regularisation strength
     * @param seed            shuffling seed: the same examples and options give the same model
     */
    public record Options(int bucketBits, int maxMainChars, int maxContextChars, int epochs,
                          double learningRate, double l2, long seed) {

        /**
         * Defaults: the optimiser settings had the best 5-fold cross-validated accuracy on the bundled
         * examples (about 0.93, with mean confidence 0.85, so confidences are roughly calibrated); the
         * held-out file played no part in choosing them.
         */
        public static Options defaults() {
            return new Options(18, 4000, 2000, 20, 0.3, 1e-5, 42L);
        }

        /** These options with another {@link #maxMainChars()}. */
        public Options withMaxMainChars(int chars) {
            return new Options(bucketBits, chars, maxContextChars, epochs, learningRate, l2, seed);
        }
    }

    private final NgramFeaturizer featurizer;
    private final SoftmaxModel model;
    private final ThreadLocal<Scratch> scratch;
    private final int exampleCount;
    private final long trainingNanos;

    private HashedNgramClassifier(List<TaskExample> examples, Options options) {
        long start = System.nanoTime();
        this.featurizer = new NgramFeaturizer(options.bucketBits(), options.maxMainChars(), options.maxContextChars());
        this.model = SoftmaxTrainer.train(examples, featurizer,
                new SoftmaxTrainer.Settings(options.epochs(), options.learningRate(), options.l2(), options.seed()));
        this.exampleCount = examples.size();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(featurizer.bucketCount(), model.classCount()));
        this.trainingNanos = System.nanoTime() - start;
    }

    /** Trains on the bundled {@value #DEFAULT_RESOURCE} with default options. */
    public static HashedNgramClassifier trainDefault() {
        InputStream in = HashedNgramClassifier.class.getResourceAsStream(DEFAULT_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + DEFAULT_RESOURCE + " is missing");
        }
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return train(reader, DEFAULT_RESOURCE, Options.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }

    /** Trains on a team's own TSV file with default options. */
    public static HashedNgramClassifier train(Path examples) {
        return train(TaskExampleReader.read(examples), Options.defaults());
    }

    /**
     * Trains on TSV text from {@code reader}; {@code source} names it in error messages.
     *
     * @throws TaskExampleFormatException naming the line of the first malformed example
     */
    public static HashedNgramClassifier train(Reader reader, String source, Options options) {
        return train(TaskExampleReader.read(reader, source), options);
    }

    /** Trains on examples already in memory. */
    public static HashedNgramClassifier train(List<TaskExample> examples, Options options) {
        Objects.requireNonNull(examples, "examples");
        Objects.requireNonNull(options, "options");
        return new HashedNgramClassifier(List.copyOf(examples), options);
    }

    @Override
    public TaskPrediction classify(InferenceRequest request) {
        Scratch s = scratch.get();
        featurizer.featurize(request, s.features);
        int best = model.probabilities(s.features, s.probabilities);
        return new TaskPrediction(model.taskType(best), s.probabilities[best]);
    }

    /**
     * The probability of every class, in the order of {@link #classes()}; they sum to 1. For evaluation
     * and diagnostics: {@link #classify} is the allocation-light path.
     */
    public double[] probabilities(InferenceRequest request) {
        Scratch s = scratch.get();
        featurizer.featurize(request, s.features);
        double[] out = new double[model.classCount()];
        model.probabilities(s.features, out);
        return out;
    }

    /** The task types this model can predict, in the order {@link #probabilities} reports them. */
    public List<TaskType> classes() {
        return model.classes();
    }

    /** How many examples the model was trained on. */
    public int exampleCount() {
        return exampleCount;
    }

    /** Wall-clock time the constructor spent featurising and training. */
    public long trainingNanos() {
        return trainingNanos;
    }

    /** Per-thread buffers, so that classify allocates only its result. */
    private static final class Scratch {
        private final FeatureBuffer features;
        private final double[] probabilities;

        Scratch(int bucketCount, int classCount) {
            // Sized for a typical prompt; grows once for a long one and then stays that size.
            this.features = new FeatureBuffer(bucketCount, 4096);
            this.probabilities = new double[classCount];
        }
    }
}
