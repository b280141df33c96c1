package dev.slmrouter.router.classify;

import dev.slmrouter.events.TaskType;
import java.util.List;

/**
 * The trained multinomial logistic regression: one weight per (hash bucket, class), laid out bucket-major
 * so that one feature's weights for all classes sit next to each other in memory (one or two cache
 * lines per feature rather than seven). Immutable after construction: the weight array is never exposed
 * and never written again.
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

    /**
     * Writes the class probabilities of {@code features} into {@code out} (length {@link #classCount()})
     * and returns the index of the most likely class. Text scores are scaled to unit feature length,
     * which keeps long prompts from getting overconfident; structural features count in full.
     */
    int probabilities(FeatureBuffer features, double[] out) {
        int classCount = classes.length;
        int[] indexes = features.indexArray();
        float[] values = features.valueArray();
        int textSize = features.textSize();
        if (classCount == 7) {
            textScoresOfSeven(indexes, values, textSize, out);
        } else {
            textScores(indexes, values, textSize, out);
        }
        double scale = features.textScale();
        for (int c = 0; c < classCount; c++) {
            out[c] *= scale;
        }
        int size = features.size();
        for (int j = textSize; j < size; j++) {
            int base = indexes[j] * classCount;
            for (int c = 0; c < classCount; c++) {
                out[c] += weights[base + c];
            }
        }
        return softmaxInPlace(out);
    }

    private void textScores(int[] indexes, float[] values, int textSize, double[] out) {
        int classCount = classes.length;
        for (int c = 0; c < classCount; c++) {
            out[c] = 0;
        }
        for (int j = 0; j < textSize; j++) {
            int base = indexes[j] * classCount;
            float value = values[j];
            for (int c = 0; c < classCount; c++) {
                out[c] += weights[base + c] * value;
            }
        }
    }

    /**
     * The same as {@link #textScores} for the usual seven task types, with the accumulators in locals:
     * the JIT then keeps them in registers instead of loading and storing an array slot per weight, and
     * float sums (ample for a few thousand terms of similar size) skip a conversion per weight.
     */
    private void textScoresOfSeven(int[] indexes, float[] values, int textSize, double[] out) {
        float[] w = weights;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        for (int j = 0; j < textSize; j++) {
            int base = indexes[j] * 7;
            float value = values[j];
            s0 += w[base] * value;
            s1 += w[base + 1] * value;
            s2 += w[base + 2] * value;
            s3 += w[base + 3] * value;
            s4 += w[base + 4] * value;
            s5 += w[base + 5] * value;
            s6 += w[base + 6] * value;
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
        out[4] = s4;
        out[5] = s5;
        out[6] = s6;
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
}
