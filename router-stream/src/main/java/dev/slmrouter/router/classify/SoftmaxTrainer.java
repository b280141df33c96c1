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

    private static final double ADAGRAD_EPSILON = 1e-8;

    private SoftmaxTrainer() {
    }

    static SoftmaxModel train(List<TaskExample> examples, NgramFeaturizer featurizer, Settings settings) {
        List<TaskType> classes = classesOf(examples);
        int classCount = classes.size();
        int[] targets = new int[examples.size()];
        SparseVector[] vectors = new SparseVector[examples.size()];
        Collector collector = new Collector();
        for (int i = 0; i < examples.size(); i++) {
            TaskExample example = examples.get(i);
            targets[i] = classes.indexOf(example.taskType());
            collector.reset();
            featurizer.featurize(example, collector);
            vectors[i] = collector.toVector();
        }

        // Train over a compact index space holding only the buckets the examples use: a few tens of
        // thousands instead of the whole table, so the optimiser's state stays in cache.
        int[] buckets = compact(vectors);
        int size = buckets.length * classCount;
        double[] weights = new double[size];
        double[] squaredGradients = new double[size];
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
                finalWeights[buckets[i] * classCount + c] = (float) weights[i * classCount + c];
            }
        }
        return new SoftmaxModel(classes, finalWeights);
    }

    private static void step(SparseVector x, int target, double[] weights, double[] squaredGradients,
                             double[] probabilities, Settings settings) {
        int classCount = probabilities.length;
        Arrays.fill(probabilities, 0);
        for (int j = 0; j < x.indexes.length; j++) {
            int base = x.indexes[j] * classCount;
            double value = x.values[j];
            for (int c = 0; c < classCount; c++) {
                probabilities[c] += weights[base + c] * value;
            }
        }
        SoftmaxModel.softmaxInPlace(probabilities);
        double learningRate = settings.learningRate();
        double l2 = settings.l2();
        for (int j = 0; j < x.indexes.length; j++) {
            int base = x.indexes[j] * classCount;
            double value = x.values[j];
            for (int c = 0; c < classCount; c++) {
                int w = base + c;
                double error = probabilities[c] - (c == target ? 1 : 0);
                double gradient = error * value + l2 * weights[w];
                squaredGradients[w] += gradient * gradient;
                weights[w] -= learningRate * gradient / (Math.sqrt(squaredGradients[w]) + ADAGRAD_EPSILON);
            }
        }
    }

    /**
     * Rewrites every vector's bucket indexes to dense ones (in place) and returns the bucket of each
     * dense index. Vectors keep their ascending order because buckets are numbered in ascending order.
     */
    private static int[] compact(SparseVector[] vectors) {
        int[] all = Arrays.stream(vectors).flatMapToInt(v -> Arrays.stream(v.indexes)).sorted().distinct().toArray();
        for (SparseVector vector : vectors) {
            for (int j = 0; j < vector.indexes.length; j++) {
                vector.indexes[j] = Arrays.binarySearch(all, vector.indexes[j]);
            }
        }
        return all;
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

    /** An example's features with repeated buckets merged, text values already length-normalised. */
    private record SparseVector(int[] indexes, float[] values) {
    }

    /** Collects one example's features, normalising text exactly as {@link SoftmaxModel.Scorer} does. */
    private static final class Collector extends NgramFeaturizer.Sink {
        private int[] indexes = new int[1024];
        private float[] values = new float[1024];
        private boolean[] isText = new boolean[1024];
        private int size;
        private double sumOfSquares;

        void reset() {
            size = 0;
            sumOfSquares = 0;
        }

        @Override
        void text(int index, float value) {
            add(index, value, true);
            sumOfSquares += value * value;
        }

        @Override
        void structure(int index) {
            add(index, 1f, false);
        }

        private void add(int index, float value, boolean text) {
            if (size == indexes.length) {
                indexes = Arrays.copyOf(indexes, size * 2);
                values = Arrays.copyOf(values, size * 2);
                isText = Arrays.copyOf(isText, size * 2);
            }
            indexes[size] = index;
            values[size] = value;
            isText[size] = text;
            size++;
        }

        SparseVector toVector() {
            double scale = sumOfSquares > 0 ? 1 / Math.sqrt(sumOfSquares) : 0;
            // Sort positions by bucket (bucket in the high bits, position in the low) to merge repeats.
            long[] keys = new long[size];
            for (int i = 0; i < size; i++) {
                keys[i] = ((long) indexes[i] << 32) | i;
            }
            Arrays.sort(keys);
            int[] mergedIndexes = new int[size];
            float[] mergedValues = new float[size];
            int merged = -1;
            int lastIndex = -1;
            for (long key : keys) {
                int position = (int) key;
                int index = (int) (key >>> 32);
                float value = isText[position] ? (float) (values[position] * scale) : values[position];
                if (index != lastIndex) {
                    merged++;
                    mergedIndexes[merged] = index;
                    lastIndex = index;
                }
                mergedValues[merged] += value;
            }
            return new SparseVector(Arrays.copyOf(mergedIndexes, merged + 1), Arrays.copyOf(mergedValues, merged + 1));
        }
    }
}
