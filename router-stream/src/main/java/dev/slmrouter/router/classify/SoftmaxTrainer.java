package dev.slmrouter.router.classify;

import dev.slmrouter.events.TaskType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Trains the softmax model by stochastic gradient descent with AdaGrad step sizes and L2 regularisation.
 * AdaGrad suits hashed n-grams: rare n-grams keep large steps while frequent ones settle, with one global
 * learning rate. L2 is applied lazily, only to the weights of features present in the current example,
 * which keeps an update proportional to the example's size rather than to the table's. Everything is
 * single-threaded and seeded, so the same examples and settings always give bit-identical weights.
 */
final class SoftmaxTrainer {

    /** Optimiser settings. */
    record Settings(int epochs, double learningRate, double l2, long seed) {
        Settings {
            if (epochs < 1 || learningRate <= 0 || l2 < 0) {
                throw new IllegalArgumentException("need epochs >= 1, learningRate > 0, l2 >= 0");
            }
        }
    }

    private static final float ADAGRAD_EPSILON = 1e-8f;

    private SoftmaxTrainer() {
    }

    static SoftmaxModel train(List<TaskExample> examples, NgramFeaturizer featurizer, Settings settings) {
        List<TaskType> classes = classesOf(examples);
        int classCount = classes.size();
        int[] targets = new int[examples.size()];
        SparseVector[] vectors = new SparseVector[examples.size()];
        FeatureBuffer buffer = new FeatureBuffer(featurizer.bucketCount(), 4096);
        for (int i = 0; i < examples.size(); i++) {
            TaskExample example = examples.get(i);
            targets[i] = classes.indexOf(example.taskType());
            featurizer.featurize(example, buffer);
            vectors[i] = SparseVector.of(buffer);
        }

        // Train over a compact index space holding only the buckets the examples use: a few tens of
        // thousands instead of the whole table, so the optimiser's state stays in cache.
        int[] buckets = compact(vectors, featurizer.bucketCount());
        int size = buckets.length * classCount;
        // Floats: half the memory traffic of doubles, and AdaGrad needs no more precision than that.
        float[] weights = new float[size];
        float[] squaredGradients = new float[size];
        double[] probabilities = new double[classCount];
        int[] order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(settings.seed());
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            shuffle(order, random);
            for (int n : order) {
                step(vectors[n], targets[n], weights, squaredGradients, probabilities, settings);
            }
        }
        float[] finalWeights = new float[featurizer.bucketCount() * classCount];
        for (int i = 0; i < buckets.length; i++) {
            for (int c = 0; c < classCount; c++) {
                finalWeights[buckets[i] * classCount + c] = weights[i * classCount + c];
            }
        }
        return new SoftmaxModel(classes, finalWeights);
    }

    private static void step(SparseVector x, int target, float[] weights, float[] squaredGradients,
                             double[] scratch, Settings settings) {
        int classCount = scratch.length;
        Arrays.fill(scratch, 0);
        for (int j = 0; j < x.indexes.length; j++) {
            int base = x.indexes[j] * classCount;
            float value = x.values[j];
            for (int c = 0; c < classCount; c++) {
                scratch[c] += weights[base + c] * value;
            }
        }
        SoftmaxModel.softmaxInPlace(scratch);
        scratch[target] -= 1; // now the gradient of the loss with respect to each class's logit
        float learningRate = (float) settings.learningRate();
        float l2 = (float) settings.l2();
        for (int j = 0; j < x.indexes.length; j++) {
            int base = x.indexes[j] * classCount;
            float value = x.values[j];
            for (int c = 0; c < classCount; c++) {
                int w = base + c;
                float gradient = (float) scratch[c] * value + l2 * weights[w];
                float accumulated = squaredGradients[w] + gradient * gradient;
                squaredGradients[w] = accumulated;
                weights[w] -= learningRate * gradient / ((float) Math.sqrt(accumulated) + ADAGRAD_EPSILON);
            }
        }
    }

    /**
     * Rewrites every vector's bucket indexes to dense ones (in place), numbered in order of first use,
     * and returns the bucket of each dense index.
     */
    private static int[] compact(SparseVector[] vectors, int bucketCount) {
        int[] denseOf = new int[bucketCount];
        Arrays.fill(denseOf, -1);
        int[] bucketOf = new int[1024];
        int count = 0;
        for (SparseVector vector : vectors) {
            int[] indexes = vector.indexes;
            for (int j = 0; j < indexes.length; j++) {
                int bucket = indexes[j];
                int dense = denseOf[bucket];
                if (dense < 0) {
                    dense = count++;
                    denseOf[bucket] = dense;
                    if (dense == bucketOf.length) {
                        bucketOf = Arrays.copyOf(bucketOf, dense * 2);
                    }
                    bucketOf[dense] = bucket;
                }
                indexes[j] = dense;
            }
        }
        return Arrays.copyOf(bucketOf, count);
    }

    /** The task types present, in enum order, so that class indexes do not depend on file order. */
    private static List<TaskType> classesOf(List<TaskExample> examples) {
        Set<TaskType> present = EnumSet.noneOf(TaskType.class);
        for (TaskExample example : examples) {
            present.add(example.taskType());
        }
        if (present.size() < 2) {
            throw new IllegalArgumentException("need examples of at least two task types, found " + present);
        }
        return new ArrayList<>(present);
    }

    /** Fisher-Yates with the given generator, so that the order depends only on the seed. */
    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** An example's features, text values already length-normalised as {@link SoftmaxModel#probabilities} does. */
    private record SparseVector(int[] indexes, float[] values) {

        static SparseVector of(FeatureBuffer features) {
            int size = features.size();
            int textSize = features.textSize();
            float scale = (float) features.textScale();
            int[] indexes = new int[size];
            float[] values = new float[size];
            for (int j = 0; j < size; j++) {
                indexes[j] = features.index(j);
                values[j] = j < textSize ? features.value(j) * scale : features.value(j);
            }
            return new SparseVector(indexes, values);
        }
    }
}
