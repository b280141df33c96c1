package dev.slmrouter.tier0.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.tier0.TestTickets;
import dev.slmrouter.tier0.data.LabeledExample;
import dev.slmrouter.tier0.model.ClassifierArtifact;
import dev.slmrouter.tier0.model.Tier0Classifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train and evaluate commands end to end on the small ticket set written for the tests (real encoder). */
class Tier0CliTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Tier0Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String csv(final List<LabeledExample> examples) {
        return "text,label\n" + examples.stream().map(e -> "\"" + e.text().replace("\"", "\"\"") + "\"," + e.label())
                .collect(Collectors.joining("\n")) + "\n";
    }

    private static String jsonl(final List<LabeledExample> examples) {
        return examples.stream().map(e -> "{\"text\":\"" + e.text().replace("\"", "\\\"") + "\",\"label\":\"" + e.label() + "\"}")
                .collect(Collectors.joining("\n")) + "\n";
    }

    @Test
    void shouldTrainAVersionedClassifierAndEvaluateItWithIntervalsAndAThreshold() throws IOException {
        final Path train = Files.writeString(dir.resolve("tickets.csv"), csv(TestTickets.TRAIN));
        final Path test = Files.writeString(dir.resolve("tickets-test.jsonl"), jsonl(TestTickets.TEST));
        final Path model = dir.resolve("models/tickets.tier0.json");
        final Path cache = dir.resolve("cache");

        final Run trained = run("train", "--data", train.toString(), "--name", "tickets", "--encoder", "minilm",
                "--out", model.toString(), "--cache-dir", cache.toString(), "--holdout", "0.25", "--lambdas", "1e-2,1e-3",
                "--threads", "2");
        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("Training 'tickets' on 48 examples, 4 labels", "<- chosen", "Wrote");
        final ClassifierArtifact artifact = ClassifierArtifact.read(model);
        assertThat(artifact.labels()).containsExactlyElementsOf(TestTickets.LABELS);
        assertThat(artifact.encoder().id()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(artifact.encoder().version()).contains("1.19.0-beta29");
        assertThat(artifact.version()).startsWith("tickets-");
        assertThat(artifact.threshold()).isEqualTo(0.9);
        assertThat(artifact.training()).containsKeys("examples", "lambda", "holdout", "embed_seconds", "train_seconds");
        assertThat(Files.list(cache).toList()).hasSize(1);

        // A second training finds every vector in the cache and, with the same options, makes the same version.
        final Run again = run("train", "--data", train.toString(), "--name", "tickets", "--encoder", "minilm",
                "--out", model.toString(), "--cache-dir", cache.toString(), "--holdout", "0.25", "--lambdas", "1e-2,1e-3",
                "--threads", "2");
        assertThat(again.out()).contains("48 vectors before, 48 after");
        assertThat(ClassifierArtifact.read(model).version()).isEqualTo(artifact.version());

        final Run evaluated = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--target", "0.5",
                "--warmup", "2", "--passes", "3", "--control-runs", "20", "--write-threshold");
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        final Matcher accuracy = Pattern.compile("Accuracy: ([0-9.]+)% \\((\\d+)/12\\), 95% interval \\[([0-9.]+)%, ([0-9.]+)%\\]")
                .matcher(evaluated.out());
        assertThat(accuracy.find()).as(evaluated.out()).isTrue();
        assertThat(Double.parseDouble(accuracy.group(1))).isGreaterThanOrEqualTo(75.0);
        assertThat(evaluated.out()).contains("Expected calibration error", "threshold  answered  coverage",
                "Lowest threshold whose accepted answers reach 50.0%", "Latency per ticket", "each the median of its times in 3 passes",
                "median", "p99",
                "process RSS", "Wrote threshold");
        assertThat(evaluated.out()).containsPattern("Control, this machine's own spread: one median-length ticket "
                + "\\(\\d+ characters\\) timed 20 times: median [0-9.]+ ms, p99 [0-9.]+ ms");
        final ClassifierArtifact rewritten = ClassifierArtifact.read(model);
        assertThat(rewritten.evaluation()).containsKeys("threshold", "coverage", "lower_bound");
        assertThat(rewritten.threshold()).isEqualTo(((Number) rewritten.evaluation().get("threshold")).doubleValue());
        assertThat(rewritten.version()).isEqualTo(artifact.version());
    }

    @Test
    void shouldReportOutOfScopeExamplesSeparately() throws IOException {
        final Path train = Files.writeString(dir.resolve("train.jsonl"), jsonl(TestTickets.TRAIN));
        final Path model = dir.resolve("m.tier0.json");
        assertThat(run("train", "--data", train.toString(), "--name", "m", "--encoder", "minilm", "--out", model.toString(),
                "--cache-dir", dir.resolve("c").toString(), "--lambdas", "1e-2").code()).isZero();
        final Path test = Files.writeString(dir.resolve("test.csv"), "text,label\nWhen does my card arrive?,card_arrival\n"
                + "What is the weather in Paris tomorrow?,oos\nPlay some jazz music,oos\n");
        final Run r = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--warmup", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 in-scope examples, 2 out-of-scope", "out-of-scope accepted");
    }

    @Test
    void shouldRefuseBadUsageWithExitCode2() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("train").err()).contains("--data is required");
        assertThat(run("train", "--data", dir.resolve("missing.csv").toString()).err()).contains("no such file");
        assertThat(run("evaluate", "--bogus", "1").err()).contains("unknown option --bogus");
        assertThat(run("fly").code()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAnArtifactChangedByHand() throws IOException {
        final Path train = Files.writeString(dir.resolve("t.csv"), csv(TestTickets.TRAIN));
        final Path model = dir.resolve("x.tier0.json");
        assertThat(run("train", "--data", train.toString(), "--name", "x", "--encoder", "minilm", "--out", model.toString(),
                "--cache-dir", dir.resolve("c").toString(), "--lambdas", "1e-2").code()).isZero();
        Files.writeString(model, Files.readString(model).replace("\"change_pin\"", "\"change_password\""));
        final Run r = run("evaluate", "--model", model.toString(), "--data", train.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("does not match its content");
        assertThat(Tier0Classifier.class).isNotNull();
    }
}
