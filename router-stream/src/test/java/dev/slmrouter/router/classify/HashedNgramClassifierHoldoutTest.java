package dev.slmrouter.router.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.TaskType;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Measures the default model on prompts it never saw: task-examples-holdout.tsv was written separately
 * from the training file and is never used for training or tuning. Prints the confusion matrix, the
 * training time and a rough classify cost so that they show in the test report.
 */
class HashedNgramClassifierHoldoutTest {

    private static HashedNgramClassifier classifier;
    private static List<TaskExample> holdout;

    @BeforeAll
    static void train() throws Exception {
        classifier = HashedNgramClassifier.trainDefault();
        try (InputStream in = HashedNgramClassifierHoldoutTest.class.getResourceAsStream("/task-examples-holdout.tsv")) {
            holdout = TaskExampleReader.read(new InputStreamReader(in, StandardCharsets.UTF_8), "task-examples-holdout.tsv");
        }
        System.out.printf(Locale.ROOT, "trained on %d examples in %.0f ms (first training in this JVM, cold JIT)%n",
                classifier.exampleCount(), classifier.trainingNanos() / 1e6);
    }

    @Test
    void heldOutAccuracyAndPerTypeRecall() {
        List<TaskType> types = classifier.classes();
        int[][] confusion = new int[types.size()][types.size()];
        int correct = 0;
        List<String> misses = new ArrayList<>();
        for (TaskExample example : holdout) {
            TaskTypeClassifier.TaskPrediction prediction = classifier.classify(TestRequests.of(example));
            confusion[types.indexOf(example.taskType())][types.indexOf(prediction.taskType())]++;
            if (prediction.taskType() == example.taskType()) {
                correct++;
            } else {
                misses.add(String.format(Locale.ROOT, "  %s -> %s (%.2f): %s", example.taskType(), prediction.taskType(),
                        prediction.confidence(), abbreviate(example.prompt())));
            }
        }
        double accuracy = correct / (double) holdout.size();

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "held-out accuracy %.3f (%d/%d)%n", accuracy, correct, holdout.size()));
        report.append(String.format(Locale.ROOT, "%-22s", "true \\ predicted"));
        for (TaskType type : types) {
            report.append(String.format(Locale.ROOT, "%6.6s", type.name()));
        }
        report.append("  recall\n");
        double[] recall = new double[types.size()];
        for (int t = 0; t < types.size(); t++) {
            int total = 0;
            report.append(String.format(Locale.ROOT, "%-22s", types.get(t)));
            for (int p = 0; p < types.size(); p++) {
                report.append(String.format(Locale.ROOT, "%6d", confusion[t][p]));
                total += confusion[t][p];
            }
            recall[t] = total == 0 ? Double.NaN : confusion[t][t] / (double) total;
            report.append(String.format(Locale.ROOT, "  %.3f%n", recall[t]));
        }
        report.append("misclassified:\n");
        misses.forEach(m -> report.append(m).append('\n'));
        System.out.print(report);

        assertThat(accuracy).as("held-out accuracy").isGreaterThanOrEqualTo(0.80);
        for (int t = 0; t < types.size(); t++) {
            assertThat(recall[t]).as("recall of %s", types.get(t)).isGreaterThanOrEqualTo(0.6);
        }
    }

    /** Not an assertion (JMH measures performance): a rough figure for the lead, printed to the report. */
    @Test
    void printsRoughClassifyCost() {
        List<InferenceRequest> requests = holdout.stream().map(TestRequests::of).toList();
        long chars = requests.stream().mapToLong(r -> r.getMessages().get(r.getMessages().size() - 1).getContent().length()).sum();
        long sink = 0;
        for (int warm = 0; warm < 20_000; warm++) {
            sink += classifier.classify(requests.get(warm % requests.size())).taskType().ordinal();
        }
        int rounds = 200;
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (InferenceRequest request : requests) {
                sink += classifier.classify(request).taskType().ordinal();
            }
        }
        long elapsed = System.nanoTime() - start;
        String longPrompt = "Please summarize the following report. ".repeat(100);
        InferenceRequest longRequest = TestRequests.user(longPrompt);
        for (int warm = 0; warm < 2_000; warm++) {
            sink += classifier.classify(longRequest).taskType().ordinal();
        }
        long longStart = System.nanoTime();
        for (int i = 0; i < 2_000; i++) {
            sink += classifier.classify(longRequest).taskType().ordinal();
        }
        long longElapsed = System.nanoTime() - longStart;
        System.out.printf(Locale.ROOT, "rough classify cost: %.0f ns per held-out prompt (mean %d chars), %.0f ns for a %d-char prompt (sink %d)%n",
                elapsed / (double) (rounds * requests.size()), chars / requests.size(),
                longElapsed / 2_000.0, longPrompt.length(), sink);
    }

    private static String abbreviate(String text) {
        String flat = text.replace('\n', ' ');
        return flat.length() <= 110 ? flat : flat.substring(0, 107) + "...";
    }
}
