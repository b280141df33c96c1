package dev.slmrouter.tier0.eval;

import dev.slmrouter.tier0.data.LabeledExample;
import dev.slmrouter.tier0.model.Prediction;
import dev.slmrouter.tier0.model.Tier0Classifier;
import dev.slmrouter.common.stats.BinomialBounds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How a classifier does on a labeled test set: accuracy with an exact 95% interval, coverage and accuracy
 * of the accepted answers per confidence threshold, expected calibration error, the lowest threshold whose
 * accepted answers reach a target accuracy by a one-sided Clopper-Pearson lower bound, and the cost per
 * ticket (encode + head, one thread, timed one ticket at a time). Examples whose label the classifier does
 * not know are out of scope: they count only in "out-of-scope accepted" (what a threshold lets through).
 */
public final class Evaluation {

    /** The thresholds the table shows. */
    public static final double[] TABLE_THRESHOLDS = {0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99};
    private static final int ECE_BINS = 15;

    /** One scored example. */
    public record Item(String gold, String predicted, double confidence, boolean inScope, long nanos) {
        boolean right() {
            return inScope && gold.equals(predicted);
        }
    }

    /** What the answers accepted at one threshold look like. */
    public record Row(double threshold, int accepted, int right, double coverage, double accuracy, double lowerBound,
                      int outOfScopeAccepted, double outOfScopeAcceptedShare) {
    }

    private final List<Item> items;
    private final int inScope;
    private final int outOfScope;

    public Evaluation(final List<Item> items) {
        this.items = List.copyOf(items);
        this.inScope = (int) items.stream().filter(Item::inScope).count();
        this.outOfScope = items.size() - inScope;
    }

    /**
     * Classifies every example one at a time after {@code warmup} untimed ones, in {@code passes} passes
     * over the whole set, and keeps each example's median time over the passes. With one pass a ticket's
     * latency is one observation. With more, it is that ticket's own cost: a stall of the machine (another
     * process on the shared core, for a few milliseconds or seconds) lands in one pass of a ticket, not in
     * all, because the passes are a whole data set apart; so a p99 over tickets then reflects the data (long
     * tickets), not the neighbours.
     */
    public static Evaluation run(final Tier0Classifier classifier, final List<LabeledExample> examples, final int warmup,
                                 final int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be at least 1");
        }
        for (int i = 0; i < Math.min(warmup, examples.size()); i++) {
            classifier.predict(examples.get(i).text());
        }
        final int n = examples.size();
        final Prediction[] predictions = new Prediction[n];
        final long[][] times = new long[n][passes];
        for (int pass = 0; pass < passes; pass++) {
            for (int i = 0; i < n; i++) {
                final long start = System.nanoTime();
                final Prediction p = classifier.predict(examples.get(i).text());
                times[i][pass] = System.nanoTime() - start;
                if (pass == 0) {
                    predictions[i] = p;
                }
            }
        }
        final List<Item> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final LabeledExample e = examples.get(i);
            java.util.Arrays.sort(times[i]);
            items.add(new Item(e.label(), predictions[i].label(), predictions[i].confidence(),
                    classifier.labelSet().contains(e.label()), times[i][(passes - 1) / 2]));
        }
        return new Evaluation(items);
    }

    public List<Item> items() {
        return items;
    }

    public int inScope() {
        return inScope;
    }

    public int outOfScope() {
        return outOfScope;
    }

    public int right() {
        return (int) items.stream().filter(Item::right).count();
    }

    public double accuracy() {
        return inScope == 0 ? Double.NaN : (double) right() / inScope;
    }

    public BinomialBounds.Interval accuracyInterval(final double confidence) {
        return BinomialBounds.interval(right(), inScope, confidence);
    }

    /** The accepted answers at {@code threshold} (confidence >= threshold), with a one-sided lower bound. */
    public Row at(final double threshold, final double boundConfidence) {
        int accepted = 0;
        int right = 0;
        int oosAccepted = 0;
        for (Item item : items) {
            if (item.confidence() >= threshold) {
                if (item.inScope()) {
                    accepted++;
                    if (item.right()) {
                        right++;
                    }
                } else {
                    oosAccepted++;
                }
            }
        }
        return new Row(threshold, accepted, right, inScope == 0 ? Double.NaN : (double) accepted / inScope,
                accepted == 0 ? Double.NaN : (double) right / accepted,
                BinomialBounds.lower(right, accepted, boundConfidence), oosAccepted,
                outOfScope == 0 ? Double.NaN : (double) oosAccepted / outOfScope);
    }

    public List<Row> table(final double boundConfidence) {
        return Arrays.stream(TABLE_THRESHOLDS).mapToObj(t -> at(t, boundConfidence)).toList();
    }

    /**
     * The lowest threshold on a 0.01 grid (0.00 to 0.99, then 0.995 and 0.999) whose accepted in-scope
     * answers have a one-sided lower confidence bound of at least {@code target}; empty if none has. A
     * fixed grid rather than every observed confidence keeps the number of thresholds tried small.
     */
    public Optional<Row> lowestThreshold(final double target, final double boundConfidence) {
        final List<Double> grid = new ArrayList<>();
        for (int i = 0; i <= 99; i++) {
            grid.add(i / 100.0);
        }
        grid.add(0.995);
        grid.add(0.999);
        for (double t : grid) {
            final Row row = at(t, boundConfidence);
            if (row.accepted() > 0 && row.lowerBound() >= target) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    /** Expected calibration error over in-scope examples: 15 equal-width confidence bins. */
    public double expectedCalibrationError() {
        final int[] count = new int[ECE_BINS];
        final double[] confidence = new double[ECE_BINS];
        final int[] right = new int[ECE_BINS];
        for (Item item : items) {
            if (!item.inScope()) {
                continue;
            }
            final int bin = Math.min(ECE_BINS - 1, (int) (item.confidence() * ECE_BINS));
            count[bin]++;
            confidence[bin] += item.confidence();
            right[bin] += item.right() ? 1 : 0;
        }
        double ece = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            if (count[b] > 0) {
                ece += (double) count[b] / inScope * Math.abs((double) right[b] / count[b] - confidence[b] / count[b]);
            }
        }
        return ece;
    }

    /** The latency percentile (0-100) over every example, in milliseconds. */
    public double latencyMillis(final double percentile) {
        return percentileMillis(items.stream().mapToLong(Item::nanos).sorted().toArray(), percentile);
    }

    /** One text classified {@code runs} times: median and p99 in milliseconds. */
    public record Control(String text, int runs, double medianMillis, double p99Millis) {
    }

    /**
     * The machine's own spread: the median-length example classified {@code runs} times. The input never
     * changes, so whatever separates this p99 from this median is the machine (other processes, a shared
     * core), not the data; set it beside {@link #latencyMillis}'s p99 to see how much of that is the data.
     */
    public static Control control(final Tier0Classifier classifier, final List<LabeledExample> examples, final int runs) {
        final List<String> byLength = examples.stream().map(LabeledExample::text)
                .sorted(java.util.Comparator.comparingInt(String::length)).toList();
        final String text = byLength.get(byLength.size() / 2);
        final long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            final long start = System.nanoTime();
            classifier.predict(text);
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        return new Control(text, runs, percentileMillis(nanos, 50), percentileMillis(nanos, 99));
    }

    private static double percentileMillis(final long[] sortedNanos, final double percentile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        final int index = (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }
}
