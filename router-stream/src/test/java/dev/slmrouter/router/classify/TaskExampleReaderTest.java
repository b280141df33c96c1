package dev.slmrouter.router.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.events.TaskType;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskExampleReaderTest {

    private static List<TaskExample> read(String tsv) {
        return TaskExampleReader.read(new StringReader(tsv), "test.tsv");
    }

    @Test
    void skipsHeaderCommentsAndBlankLinesAndDecodesEscapesAndAttributes() {
        List<TaskExample> examples = read("""
                # a comment
                task_type\tprompt\tattributes

                CLASSIFICATION\tLabel this:\\n"late delivery"\tlabels
                  # an indented comment
                EXTRACTION\tGet the total\tschema, messages=3
                CREATIVE\tA poem with a \\\\ and a \\t tab\t
                """);

        assertThat(examples).containsExactly(
                new TaskExample(TaskType.CLASSIFICATION, "Label this:\n\"late delivery\"", true, false, 1),
                new TaskExample(TaskType.EXTRACTION, "Get the total", false, true, 3),
                new TaskExample(TaskType.CREATIVE, "A poem with a \\ and a \t tab", false, false, 1));
    }

    @Test
    void aLineWithoutTabIsRejectedWithItsLineNumber() {
        assertThatThrownBy(() -> read("task_type\tprompt\n# comment\nREASONING\tok\nSUMMARIZATION Summarize this\n"))
                .isInstanceOfSatisfying(TaskExampleFormatException.class, e -> {
                    assertThat(e.lineNumber()).isEqualTo(4);
                    assertThat(e.source()).isEqualTo("test.tsv");
                    assertThat(e).hasMessageContaining("test.tsv line 4").hasMessageContaining("no tab");
                });
    }

    @Test
    void anUnknownTaskTypeIsRejectedWithTheAllowedOnes() {
        assertThatThrownBy(() -> read("REASONING\tok\nCLASIFICATION\tLabel it\n"))
                .isInstanceOf(TaskExampleFormatException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("CLASIFICATION")
                .hasMessageContaining("CLASSIFICATION, EXTRACTION");
    }

    @Test
    void unknownIsNotATrainableType() {
        assertThatThrownBy(() -> read("UNKNOWN\twhatever\n"))
                .isInstanceOf(TaskExampleFormatException.class)
                .hasMessageContaining("line 1");
    }

    @Test
    void badAttributesEmptyPromptsAndExtraColumnsAreRejected() {
        assertThatThrownBy(() -> read("AGENT\tBook it\tlabels,tools\n"))
                .isInstanceOf(TaskExampleFormatException.class).hasMessageContaining("line 1").hasMessageContaining("tools");
        assertThatThrownBy(() -> read("AGENT\tBook it\tmessages=0\n"))
                .isInstanceOf(TaskExampleFormatException.class).hasMessageContaining("messages=0");
        assertThatThrownBy(() -> read("AGENT\t   \n"))
                .isInstanceOf(TaskExampleFormatException.class).hasMessageContaining("empty prompt");
        assertThatThrownBy(() -> read("AGENT\tBook\tlabels\textra\n"))
                .isInstanceOf(TaskExampleFormatException.class).hasMessageContaining("4");
    }

    @Test
    void trainingFromAReaderReportsTheBadLine() {
        String tsv = "CREATIVE\tWrite a poem\nREASONING\tSolve 2x = 4\nAGENT Book a flight\n";
        assertThatThrownBy(() -> HashedNgramClassifier.train(new StringReader(tsv), "team.tsv",
                HashedNgramClassifier.Options.defaults()))
                .isInstanceOf(TaskExampleFormatException.class)
                .hasMessageStartingWith("team.tsv line 3:");
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ours.tsv");
        Files.writeString(file, "CREATIVE\tWrite a poem\nREASONING\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> HashedNgramClassifier.train(file))
                .isInstanceOf(TaskExampleFormatException.class)
                .hasMessageContaining(file.toString() + " line 2");
    }

    @Test
    void bundledFilesHaveEnoughExamplesOfEveryTypeAndDoNotOverlap() throws Exception {
        List<TaskExample> training = resource("/task-examples.tsv");
        List<TaskExample> holdout = resource("/task-examples-holdout.tsv");

        assertThat(countByType(training)).allSatisfy((type, count) -> assertThat(count).as("%s", type).isGreaterThanOrEqualTo(60));
        assertThat(countByType(holdout)).allSatisfy((type, count) -> assertThat(count).as("%s", type).isGreaterThanOrEqualTo(15));
        assertThat(countByType(training)).hasSize(7);
        assertThat(countByType(holdout)).hasSize(7);

        Set<String> trainingPrompts = new HashSet<>();
        training.forEach(e -> trainingPrompts.add(normalise(e.prompt())));
        assertThat(trainingPrompts).as("duplicate training prompts").hasSize(training.size());
        assertThat(holdout).noneMatch(e -> trainingPrompts.contains(normalise(e.prompt())));
    }

    private static List<TaskExample> resource(String name) throws Exception {
        try (InputStream in = TaskExampleReaderTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return TaskExampleReader.read(new InputStreamReader(in, StandardCharsets.UTF_8), name);
        }
    }

    private static Map<TaskType, Integer> countByType(List<TaskExample> examples) {
        Map<TaskType, Integer> counts = new EnumMap<>(TaskType.class);
        examples.forEach(e -> counts.merge(e.taskType(), 1, Integer::sum));
        return counts;
    }

    private static String normalise(String prompt) {
        return prompt.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }
}
