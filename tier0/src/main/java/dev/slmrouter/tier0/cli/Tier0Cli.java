package dev.slmrouter.tier0.cli;

import dev.slmrouter.common.cli.CommandArgs;
import dev.slmrouter.tier0.data.LabeledData;
import dev.slmrouter.tier0.data.LabeledExample;
import dev.slmrouter.tier0.encoder.EmbeddingCache;
import dev.slmrouter.tier0.encoder.EncoderSpec;
import dev.slmrouter.tier0.eval.Evaluation;
import dev.slmrouter.tier0.eval.ProcessMemory;
import dev.slmrouter.tier0.head.SoftmaxTrainer;
import dev.slmrouter.tier0.model.ClassifierArtifact;
import dev.slmrouter.tier0.model.Tier0Classifier;
import dev.slmrouter.tier0.train.ClassifierTraining;
import dev.slmrouter.common.stats.BinomialBounds;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tier-0 commands:
 * <pre>
 * train    --data FILE [--name NAME] [--encoder bge|minilm] [--out FILE] [--cache-dir DIR] [--holdout 0.2]
 *          [--lambdas 1e-2,3e-3,1e-3,3e-4] [--tolerance 1e-6] [--threshold 0.9] [--seed 42] [--threads N] [--max-iterations 300]
 * evaluate --model FILE --data FILE [--target 0.985] [--confidence 0.95] [--threshold T] [--warmup 50]
 *          [--passes 1] [--control-runs 1000] [--write-threshold]
 * </pre>
 * {@code FILE} is CSV ({@code text,label}, or BANKING77's {@code text,category}), JSON Lines
 * ({@code {"text","label"}}) or CLINC150's JSON with splits after a {@code #} ({@code data_full.json#test,oos_test}).
 * Exit codes: 0 done, 1 a failed check ({@code evaluate --require-target}), 2 bad usage or input.
 */
public final class Tier0Cli {

    private Tier0Cli() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit code (for tests). */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) {
        if (args.length == 0) {
            err.println(usage());
            return 2;
        }
        final List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "train" -> train(new CommandArgs(rest, Set.of("--data", "--name", "--encoder", "--out", "--cache-dir",
                        "--holdout", "--lambdas", "--threshold", "--seed", "--threads", "--max-iterations", "--max-tokens",
                        "--tolerance"),
                        Set.of()), out);
                case "evaluate" -> evaluate(new CommandArgs(rest, Set.of("--model", "--data", "--target", "--confidence",
                        "--threshold", "--warmup", "--control-runs", "--passes"), Set.of("--write-threshold", "--require-target")), out);
                case "-h", "--help", "help" -> {
                    out.println(usage());
                    yield 0;
                }
                default -> {
                    err.println("unknown command " + args[0] + "\n" + usage());
                    yield 2;
                }
            };
        } catch (IllegalArgumentException | IOException e) {
            err.println("tier0 " + args[0] + ": " + e.getMessage());
            return 2;
        }
    }

    static String usage() {
        return """
                usage: tier0 train --data FILE [--name NAME] [--encoder bge|minilm] [--out FILE] [--cache-dir DIR]
                                   [--holdout 0.2] [--lambdas 1e-2,3e-3,1e-3,3e-4] [--threshold 0.9]
                                   [--seed 42] [--threads N] [--max-iterations 300] [--tolerance 1e-6] [--max-tokens N]
                       tier0 evaluate --model FILE --data FILE [--target 0.985] [--confidence 0.95] [--threshold T]
                                   [--warmup 50] [--passes 1] [--control-runs 1000] [--write-threshold] [--require-target]
                FILE: CSV with a text,label (or text,category) header, JSON Lines {"text","label"}, or a
                CLINC150-style JSON file with its splits after '#', e.g. data_full.json#test,oos_test""";
    }

    static int train(final CommandArgs args, final PrintStream out) throws IOException {
        final String data = args.required("--data");
        final EncoderSpec spec = EncoderSpec.parse(args.get("--encoder", "bge"));
        final String name = args.get("--name").orElseGet(() -> defaultName(data));
        final Path outFile = Path.of(args.get("--out", "target/tier0/" + name + ".tier0.json"));
        final Path cacheDir = cacheDir(args);
        final int threads = args.integer("--threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        final double threshold = args.number("--threshold", 0.9);
        final List<Double> lambdas = args.get("--lambdas")
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Double::parseDouble).toList())
                .orElse(SoftmaxTrainer.DEFAULT_LAMBDAS);
        final SoftmaxTrainer.Options options = new SoftmaxTrainer.Options(lambdas, args.number("--holdout", 0.2),
                (long) args.number("--seed", 42), threads, args.integer("--max-iterations", 300), args.number("--tolerance", 1e-6));

        final ClassifierArtifact artifact = new ClassifierTraining(name, data, LabeledData.read(data), spec,
                args.integer("--max-tokens", spec.maxTokens()), cacheDir, options, threshold).run(out);
        artifact.write(outFile);
        out.printf(Locale.ROOT, "Wrote %s (version %s, threshold %.3f)%n", outFile, artifact.version(), threshold);
        return 0;
    }

    static int evaluate(final CommandArgs args, final PrintStream out) throws IOException {
        final Path modelFile = Path.of(args.required("--model"));
        final String data = args.required("--data");
        final double target = args.number("--target", 0.985);
        final double confidence = args.number("--confidence", 0.95);
        final List<LabeledExample> examples = LabeledData.read(data);
        final Tier0Classifier classifier = Tier0Classifier.load(modelFile, 1);
        final ClassifierArtifact artifact = classifier.artifact();
        final double threshold = args.number("--threshold", artifact.threshold());
        final int passes = args.integer("--passes", 1);
        final Evaluation eval = Evaluation.run(classifier, examples, args.integer("--warmup", 50), passes);
        System.gc();
        final Runtime rt = Runtime.getRuntime();
        final long heapUsed = rt.totalMemory() - rt.freeMemory();

        out.printf(Locale.ROOT, "Classifier %s (version %s), encoder %s, %d labels, trained %s%n", artifact.name(),
                artifact.version(), artifact.encoder().id(), artifact.labels().size(), artifact.createdAt());
        out.printf(Locale.ROOT, "Test data %s: %d in-scope examples, %d out-of-scope (labels the classifier does not know)%n",
                data, eval.inScope(), eval.outOfScope());
        if (eval.inScope() > 0) {
            final BinomialBounds.Interval ci = eval.accuracyInterval(0.95);
            out.printf(Locale.ROOT, "Accuracy: %.2f%% (%d/%d), 95%% interval [%.2f%%, %.2f%%] (Clopper-Pearson)%n",
                    eval.accuracy() * 100, eval.right(), eval.inScope(), ci.lower() * 100, ci.upper() * 100);
            out.printf(Locale.ROOT, "Expected calibration error (15 bins): %.4f%n", eval.expectedCalibrationError());
        }
        out.printf(Locale.ROOT, "%nthreshold  answered  coverage  accuracy  %.0f%% lower bound%s%n", confidence * 100,
                eval.outOfScope() > 0 ? "  out-of-scope accepted" : "");
        for (Evaluation.Row row : eval.table(confidence)) {
            printRow(out, row, eval.outOfScope() > 0, "");
        }
        final Evaluation.Row atThreshold = eval.at(threshold, confidence);
        out.printf(Locale.ROOT, "%nAt the classifier's threshold %.3f:%n", threshold);
        printRow(out, atThreshold, eval.outOfScope() > 0, "");
        final Optional<Evaluation.Row> lowest = eval.lowestThreshold(target, confidence);
        if (lowest.isPresent()) {
            final Evaluation.Row row = lowest.get();
            out.printf(Locale.ROOT, "%nLowest threshold whose accepted answers reach %.1f%% accuracy with %.0f%% confidence "
                            + "(one-sided Clopper-Pearson): %.3f -> %.1f%% answered, %.2f%% accurate, lower bound %.2f%%%s%n",
                    target * 100, confidence * 100, row.threshold(), row.coverage() * 100, row.accuracy() * 100,
                    row.lowerBound() * 100, eval.outOfScope() > 0
                            ? String.format(Locale.ROOT, ", %.1f%% of out-of-scope accepted", row.outOfScopeAcceptedShare() * 100)
                            : "");
        } else {
            out.printf(Locale.ROOT, "%nNo threshold up to 0.999 reaches %.1f%% accuracy with %.0f%% confidence on this data%n",
                    target * 100, confidence * 100);
        }
        out.printf(Locale.ROOT, "%nLatency per ticket (encode + head, one thread, %d tickets timed one at a time%s): "
                        + "median %.2f ms, p99 %.2f ms, max %.2f ms%n", eval.items().size(),
                passes == 1 ? "" : ", each the median of its times in " + passes + " passes", eval.latencyMillis(50),
                eval.latencyMillis(99), eval.latencyMillis(100));
        final Evaluation.Control control = Evaluation.control(classifier, examples, args.integer("--control-runs", 1_000));
        out.printf(Locale.ROOT, "Control, this machine's own spread: one median-length ticket (%d characters) timed %d times: "
                + "median %.2f ms, p99 %.2f ms%n", control.text().length(), control.runs(), control.medianMillis(),
                control.p99Millis());
        out.printf(Locale.ROOT, "Memory: heap used %d MB after GC (max heap %d MB), process RSS %s (peak %s)%n",
                heapUsed >> 20, rt.maxMemory() >> 20, mb(ProcessMemory.rss().orElse(-1)), mb(ProcessMemory.peakRss().orElse(-1)));
        if (args.flag("--write-threshold")) {
            if (lowest.isEmpty()) {
                throw new IllegalArgumentException("--write-threshold: no threshold reaches the target, the file is unchanged");
            }
            final Evaluation.Row row = lowest.get();
            final Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("data", data);
            summary.put("evaluated_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            summary.put("accuracy", eval.accuracy());
            summary.put("target", target);
            summary.put("confidence", confidence);
            summary.put("threshold", row.threshold());
            summary.put("coverage", row.coverage());
            summary.put("accepted_accuracy", row.accuracy());
            summary.put("lower_bound", row.lowerBound());
            artifact.withThreshold(row.threshold(), summary).write(modelFile);
            out.printf(Locale.ROOT, "Wrote threshold %.3f into %s%n", row.threshold(), modelFile);
        }
        if (args.flag("--require-target") && lowest.isEmpty()) {
            return 1;
        }
        return 0;
    }

    private static void printRow(final PrintStream out, final Evaluation.Row row, final boolean oos, final String note) {
        out.printf(Locale.ROOT, "%9.3f  %8d  %7.1f%%  %7.2f%%  %14.2f%%%s%s%n", row.threshold(), row.accepted(),
                row.coverage() * 100, row.accuracy() * 100, row.lowerBound() * 100,
                oos ? String.format(Locale.ROOT, "  %20.1f%%", row.outOfScopeAcceptedShare() * 100) : "", note);
    }

    private static String mb(final long bytes) {
        return bytes < 0 ? "n/a" : (bytes >> 20) + " MB";
    }

    private static String defaultName(final String data) {
        final String file = Path.of(data.replaceAll("#.*$", "")).getFileName().toString();
        final String parent = Optional.ofNullable(Path.of(data.replaceAll("#.*$", "")).toAbsolutePath().getParent())
                .map(p -> p.getFileName().toString()).orElse("");
        final String base = file.replaceAll("\\.(csv|jsonl|ndjson|json)$", "");
        final String name = (base.equals("train") || base.equals("data_full") || base.equals("data")) && !parent.isEmpty()
                ? parent : base;
        return name.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    /** --cache-dir, else {@link EmbeddingCache#defaultDir()}; never inside a read-only folder. */
    private static Path cacheDir(final CommandArgs args) throws IOException {
        final Path dir = args.get("--cache-dir").map(Path::of).orElseGet(EmbeddingCache::defaultDir);
        Files.createDirectories(dir);
        return dir;
    }
}
