package dev.slmrouter.demo;

import dev.slmrouter.demo.datasets.DataSetFiles;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The demo's command-line options, each with a default that works on any machine: the built-in traffic,
 * no data set needed, the report under {@code target/demo-report}.
 *
 * @param dataSets         real data sets to draw classification traffic from; none by default
 * @param labelsPerRequest 0 to offer every label of a data set, else how many per request
 * @param reportDir        where the HTML report is written
 * @param keepRunning      leave the stack running after the report, for {@code produce} and {@code results}
 * @param tier0            train a tier-0 classifier for the English classification traffic and run its worker
 * @param tier0Encoder     the encoder tier 0 trains on: bge (default) or minilm (faster, about as accurate)
 * @param shadowRate       share of the SLM's answers also answered by GPT in the shadow (shadow mode)
 */
record DemoOptions(int requests, int rate, long seed, String languageAccuracy, DataSetFiles dataSets,
                   int labelsPerRequest, Path reportDir, boolean keepRunning, boolean tier0, String tier0Encoder,
                   double shadowRate) {

    static final String USAGE = "usage: bin/slm-router demo [--requests N] [--rate PER_SECOND] [--seed S]"
            + " [--language-accuracy low|high] [--dataset-dir DIR] [--banking77 FILE] [--clinc150 FILE]"
            + " [--xsid FILE] [--labels-per-request N] [--report-dir DIR] [--keep-running] [--tier0 on|off]"
            + " [--tier0-encoder bge|minilm] [--shadow-rate 0.25]";

    static DemoOptions parse(final String[] args) {
        int requests = 500;
        int rate = 200;
        long seed = 42;
        String accuracy = "low";
        Optional<Path> dir = Optional.empty();
        DataSetFiles files = DataSetFiles.none();
        int labels = 0;
        Path reportDir = Path.of("target", "demo-report").toAbsolutePath();
        boolean keepRunning = false;
        boolean tier0 = true;
        String tier0Encoder = "bge";
        double shadowRate = 0.25;
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            switch (arg) {
                case "demo" -> { }
                case "--requests" -> requests = positive(arg, value(args, ++i, arg));
                case "--rate" -> rate = positive(arg, value(args, ++i, arg));
                case "--seed" -> seed = parseLong(arg, value(args, ++i, arg));
                case "--language-accuracy" -> {
                    accuracy = value(args, ++i, arg);
                    if (!accuracy.equals("low") && !accuracy.equals("high")) {
                        throw new IllegalArgumentException("--language-accuracy must be low or high, not " + accuracy);
                    }
                }
                case "--dataset-dir" -> dir = Optional.of(UserPaths.resolve(value(args, ++i, arg)));
                case "--banking77" -> files = files.overriddenBy(new DataSetFiles(
                        Optional.of(UserPaths.resolve(value(args, ++i, arg))), Optional.empty(), Optional.empty()));
                case "--clinc150" -> files = files.overriddenBy(new DataSetFiles(
                        Optional.empty(), Optional.of(UserPaths.resolve(value(args, ++i, arg))), Optional.empty()));
                case "--xsid" -> files = files.overriddenBy(new DataSetFiles(
                        Optional.empty(), Optional.empty(), Optional.of(UserPaths.resolve(value(args, ++i, arg)))));
                case "--labels-per-request" -> labels = positive(arg, value(args, ++i, arg));
                case "--report-dir" -> reportDir = UserPaths.resolve(value(args, ++i, arg));
                case "--keep-running" -> keepRunning = true;
                case "--tier0" -> tier0 = switch (value(args, ++i, arg)) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--tier0 must be on or off, not " + args[i]);
                };
                case "--shadow-rate" -> {
                    final String value = value(args, ++i, arg);
                    try {
                        shadowRate = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        shadowRate = -1;
                    }
                    if (!(shadowRate >= 0 && shadowRate <= 1)) {
                        throw new IllegalArgumentException("--shadow-rate must be a number from 0 to 1, not " + value);
                    }
                }
                case "--tier0-encoder" -> {
                    tier0Encoder = value(args, ++i, arg);
                    if (!tier0Encoder.equals("bge") && !tier0Encoder.equals("minilm")) {
                        throw new IllegalArgumentException("--tier0-encoder must be bge or minilm, not " + tier0Encoder);
                    }
                }
                default -> throw new IllegalArgumentException("Unknown option " + arg);
            }
        }
        DataSetFiles dataSets = files;
        if (dir.isPresent()) {
            final DataSetFiles found = DataSetFiles.inDirectory(dir.get());
            if (found.isEmpty()) {
                throw new IllegalArgumentException("--dataset-dir " + dir.get() + " holds none of banking77/test.csv,"
                        + " clinc150/data_full.json, xsid/*.jsonl");
            }
            dataSets = found.overriddenBy(files);
        }
        if (labels == 1) {
            throw new IllegalArgumentException("--labels-per-request must be at least 2 (one label is no choice)");
        }
        return new DemoOptions(requests, rate, seed, accuracy, dataSets, labels, reportDir, keepRunning, tier0,
                tier0Encoder, shadowRate);
    }

    private static String value(final String[] args, final int index, final String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int positive(final String option, final String value) {
        final long parsed = parseLong(option, value);
        if (parsed < 1 || parsed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be a whole number of at least 1, not " + value);
        }
        return (int) parsed;
    }

    private static long parseLong(final String option, final String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, not " + value);
        }
    }
}
