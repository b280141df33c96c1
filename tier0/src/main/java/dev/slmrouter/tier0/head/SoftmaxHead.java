package dev.slmrouter.tier0.head;

/**
 * A trained multinomial logistic-regression head: {@code softmax(W x + b)} over K labels for a
 * d-dimensional sentence vector. Weights are row-major K x d (the feature standardization used in training
 * is folded in, so inference takes the encoder's vector as it is). Immutable and thread-safe.
 */
public final class SoftmaxHead {

    private final int labels;
    private final int dimensions;
    private final float[] weights;
    private final float[] bias;

    public SoftmaxHead(final int labels, final int dimensions, final float[] weights, final float[] bias) {
        if (weights.length != labels * dimensions || bias.length != labels) {
            throw new IllegalArgumentException("weights must be " + labels + " x " + dimensions + " and bias " + labels
                    + " long, got " + weights.length + " and " + bias.length);
        }
        this.labels = labels;
        this.dimensions = dimensions;
        this.weights = weights.clone();
        this.bias = bias.clone();
    }

    public int labels() {
        return labels;
    }

    public int dimensions() {
        return dimensions;
    }

    /** A copy of the row-major K x d weights. */
    public float[] weights() {
        return weights.clone();
    }

    public float[] bias() {
        return bias.clone();
    }

    /** The probability of each label for the vector {@code x}. */
    public double[] probabilities(final float[] x) {
        if (x.length != dimensions) {
            throw new IllegalArgumentException("expected a " + dimensions + "-dimensional vector, got " + x.length);
        }
        final double[] z = new double[labels];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < labels; k++) {
            final int row = k * dimensions;
            float s = 0;
            for (int j = 0; j < dimensions; j++) {
                s += weights[row + j] * x[j];
            }
            z[k] = s + bias[k];
            max = Math.max(max, z[k]);
        }
        double sum = 0;
        for (int k = 0; k < labels; k++) {
            z[k] = Math.exp(z[k] - max);
            sum += z[k];
        }
        for (int k = 0; k < labels; k++) {
            z[k] /= sum;
        }
        return z;
    }

    /** The index of the most probable label. */
    public static int argmax(final double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }
}
