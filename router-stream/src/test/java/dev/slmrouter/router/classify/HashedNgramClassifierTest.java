package dev.slmrouter.router.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.TaskType;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HashedNgramClassifierTest {

    private static HashedNgramClassifier classifier;
    private static List<InferenceRequest> probes;

    @BeforeAll
    static void train() throws Exception {
        classifier = HashedNgramClassifier.trainDefault();
        probes = new ArrayList<>();
        try (InputStream in = HashedNgramClassifierTest.class.getResourceAsStream("/task-examples-holdout.tsv")) {
            TaskExampleReader.read(new InputStreamReader(in, StandardCharsets.UTF_8), "holdout")
                    .forEach(e -> probes.add(TestRequests.of(e)));
        }
        probes.add(TestRequests.user("?"));
        probes.add(TestRequests.user("日本語のテキストを要約してください。"));
    }

    @Test
    void predictsTheSevenTaskTypesAndNeverUnknown() {
        assertThat(classifier.classes()).containsExactly(TaskType.CLASSIFICATION, TaskType.EXTRACTION,
                TaskType.SUMMARIZATION, TaskType.TEMPLATED_GENERATION, TaskType.REASONING, TaskType.CREATIVE,
                TaskType.AGENT);
        assertThat(classifier.exampleCount()).isGreaterThanOrEqualTo(7 * 60);
    }

    @Test
    void aTicketWithLabelsIsClassification() {
        InferenceRequest request = TestRequests.request(
                List.of(new ChatMessage("user", "Classify this ticket: \"My invoice shows the wrong VAT number, please fix it.\"")),
                List.of("billing", "technical", "account", "other"), null);

        TaskTypeClassifier.TaskPrediction prediction = classifier.classify(request);

        assertThat(prediction.taskType()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(prediction.confidence()).isGreaterThan(0.5);
    }

    @Test
    void aSystemPromptAndAnEarlierTurnCountAsContext() {
        InferenceRequest request = TestRequests.request(List.of(
                new ChatMessage("system", "You are the invoice assistant of Acme. Answer with JSON only."),
                new ChatMessage("user", "Here is the invoice: INV-7781, dated 2024-02-01, total 1,240.00 EUR."),
                new ChatMessage("assistant", "Thanks, what would you like me to do with it?"),
                new ChatMessage("user", "Extract the invoice number, date and total.")),
                null, "{\"type\":\"object\"}");

        assertThat(classifier.classify(request).taskType()).isEqualTo(TaskType.EXTRACTION);
    }

    @Test
    void confidenceIsTheTopProbabilityAndProbabilitiesSumToOne() {
        for (InferenceRequest request : probes) {
            double[] probabilities = classifier.probabilities(request);
            TaskTypeClassifier.TaskPrediction prediction = classifier.classify(request);

            assertThat(Arrays.stream(probabilities).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(prediction.confidence()).isBetween(0.0, 1.0);
            int top = classifier.classes().indexOf(prediction.taskType());
            assertThat(prediction.confidence()).isEqualTo(probabilities[top]);
            for (double p : probabilities) {
                assertThat(p).isBetween(0.0, prediction.confidence());
            }
        }
    }

    @Test
    void sameExamplesGiveIdenticalModels() throws Exception {
        List<TaskExample> examples;
        try (InputStream in = HashedNgramClassifierTest.class.getResourceAsStream("/task-examples.tsv")) {
            examples = TaskExampleReader.read(new InputStreamReader(in, StandardCharsets.UTF_8), "train");
        }
        HashedNgramClassifier first = HashedNgramClassifier.train(examples, HashedNgramClassifier.Options.defaults());
        HashedNgramClassifier second = HashedNgramClassifier.train(examples, HashedNgramClassifier.Options.defaults());

        for (InferenceRequest request : probes) {
            assertThat(second.probabilities(request)).containsExactly(first.probabilities(request));
            assertThat(second.probabilities(request)).containsExactly(classifier.probabilities(request));
        }
    }

    @Test
    void longPromptsAreReadAsTheirBeginningAndEnd() {
        String head = "Summarize the following incident report for the operations manager. ";
        String tail = " End of report. Keep it under 100 words.";
        String shortMiddle = "The conveyor stopped twice. ".repeat(400);
        String hugeMiddle = "Pallets were rerouted to dock 7. ".repeat(30_000);
        InferenceRequest shorter = TestRequests.user(head + shortMiddle + tail);
        InferenceRequest huge = TestRequests.user(head + hugeMiddle + tail);
        assertThat(huge.getMessages().get(0).getContent().length()).isGreaterThan(900_000);

        // Beyond maxMainChars only the first and last 2,000 chars count: the middle makes no difference.
        HashedNgramClassifier narrow = HashedNgramClassifier.train(
                List.of(TaskExample.of(TaskType.SUMMARIZATION, "Summarize the report"),
                        TaskExample.of(TaskType.CREATIVE, "Write a poem about the sea")),
                HashedNgramClassifier.Options.defaults().withMaxMainChars(200));
        String a = head + "x".repeat(5_000) + tail;
        String b = head + "y".repeat(5_000) + tail;
        assertThat(narrow.probabilities(TestRequests.user(a))).containsExactly(narrow.probabilities(TestRequests.user(b)));

        assertThat(classifier.classify(shorter).taskType()).isEqualTo(TaskType.SUMMARIZATION);
        assertThat(classifier.classify(huge).taskType()).isEqualTo(TaskType.SUMMARIZATION);
    }

    @Test
    void requestsWithoutUserMessagesStillGetAnAnswer() {
        InferenceRequest systemOnly = TestRequests.request(List.of(new ChatMessage("system", "Write a haiku about rain.")), null, null);
        InferenceRequest empty = TestRequests.request(List.of(), null, null);

        assertThat(classifier.classify(systemOnly).confidence()).isBetween(0.0, 1.0);
        assertThat(classifier.classify(empty).confidence()).isBetween(0.0, 1.0);
    }

    @Test
    void oneInstanceServesManyThreads() throws Exception {
        List<TaskTypeClassifier.TaskPrediction> expected = probes.stream().map(classifier::classify).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<TaskTypeClassifier.TaskPrediction>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    List<TaskTypeClassifier.TaskPrediction> last = null;
                    for (int round = 0; round < 50; round++) {
                        last = probes.stream().map(classifier::classify).toList();
                    }
                    return last;
                }));
            }
            for (Future<List<TaskTypeClassifier.TaskPrediction>> future : futures) {
                assertThat(future.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTeamCanTrainOnItsOwnExamples() {
        String tsv = """
                task_type\tprompt\tattributes
                CLASSIFICATION\tIs this review positive or negative?\tlabels
                CLASSIFICATION\tLabel the ticket as billing or technical\tlabels
                EXTRACTION\tExtract the order number as JSON\tschema
                EXTRACTION\tPull the invoice total and date\tschema
                """;
        HashedNgramClassifier own = HashedNgramClassifier.train(new StringReader(tsv), "own.tsv",
                HashedNgramClassifier.Options.defaults());

        assertThat(own.classes()).containsExactly(TaskType.CLASSIFICATION, TaskType.EXTRACTION);
        assertThat(own.classify(TestRequests.user("Extract the total from this invoice")).taskType())
                .isEqualTo(TaskType.EXTRACTION);
    }
}
