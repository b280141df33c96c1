package dev.slmrouter.router.classify;

import dev.slmrouter.events.TaskType;
import java.util.List;

/**
 * The trained multinomial logistic regression: one weight per (hash bucket, class), laid out bucket-major
 * so that one feature's weights for all classes sit next to each other in memory (one cache line, not
 * seven). Immutable after construction: the weight array is never exposed and never written again.
 */
final class SoftmaxModel {

    private final TaskType[] classes;
    private final float[] weights;

    /** Takes ownership of {@code weights} (bucket-major, {@code classes.size()} per bucket). */
    SoftmaxModel(List<TaskType> classes, float[] weights) {
        this.classes = classes.toArray(new TaskType[0]);
        if (weights.length % this.classes.length != 0) {
            throw new IllegalArgumentException("weights length is not a multiple of the class count");
        }
        this.weights = weights; // 7 MB at the default size: the trainer hands it over rather than copying
    }

    int classCount() {
        return classes.length;
    }

    TaskType taskType(int classIndex) {
        return classes[classIndex];
    }

    List<TaskType> classes() {
        return List.of(classes);
    }

    /** A per-thread scratch scorer over this model's weights. */
    Scorer newScorer() {
        return new Scorer(weights, classes.length);
    }

    /**
     * Turns logits into probabilities in place (a numerically stable softmax) and returns the index of
     * the most likely class.
     */
    static int softmaxInPlace(double[] values) {
        int best = 0;
        for (int c = 1; c < values.length; c++) {
            if (values[c] > values[best]) {
                best = c;
            }
        }
        double max = values[best];
        double sum = 0;
        for (int c = 0; c < values.length; c++) {
            double e = Math.exp(values[c] - max);
            values[c] = e;
            sum += e;
        }
        for (int c = 0; c < values.length; c++) {
            values[c] /= sum;
        }
        return best;
    }

    /**
     * Accumulates class scores straight from the featurizer's stream, so classifying needs no feature
     * buffer. Text scores are scaled by 1/||x|| at the end (the norm counts repeated n-grams separately,
     * exactly as the trainer does), which keeps long prompts from getting overconfident. Mutable:
     * one per thread.
     */
    static final class Scorer extends NgramFeaturizer.Sink {
        private final float[] weights;
        private final int classCount;
        private final double[] text;
        private final double[] structure;
        private double sumOfSquares;

        private Scorer(float[] weights, int classCount) {
            this.weights = weights;
            this.classCount = classCount;
            this.text = new double[classCount];
            this.structure = new double[classCount];
        }

        void reset() {
            for (int c = 0; c < classCount; c++) {
                text[c] = 0;
                structure[c] = 0;
            }
            sumOfSquares = 0;
        }

        @Override
        void text(int index, float value) {
            int base = index * classCount;
            for (int c = 0; c < classCount; c++) {
                text[c] += weights[base + c] * value;
            }
            sumOfSquares += value * value;
        }

        @Override
        void structure(int index) {
            int base = index * classCount;
            for (int c = 0; c < classCount; c++) {
                structure[c] += weights[base + c];
            }
        }

        /** Writes the class probabilities into {@code out} and returns the index of the top class. */
        int probabilities(double[] out) {
            double scale = sumOfSquares > 0 ? 1 / Math.sqrt(sumOfSquares) : 0;
            for (int c = 0; c < classCount; c++) {
                out[c] = text[c] * scale + structure[c];
            }
            return softmaxInPlace(out);
        }
    }
}
