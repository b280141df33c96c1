package dev.slmrouter.insights.cli;

import dev.slmrouter.common.cli.CommandArgs;
import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.insights.calibrate.Calibration;
import dev.slmrouter.insights.calibrate.ProposedPolicy;
import dev.slmrouter.insights.read.TopicRange;
import dev.slmrouter.insights.report.CostModel;
import dev.slmrouter.insights.report.DecisionMatrix;
import dev.slmrouter.insights.report.MigrationReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The insights commands:
 * <pre>
 * calibrate [--from T] [--to T] [--target 0.97] [--confidence 0.95] [--step 0.01] [--out FILE] [--current SPEC] [--all]
 * report    [--from T] [--to T] [--policy FILE] [--out FILE] [--target 0.97] [--hybrid-floor 0.9] [--min-compared 100]
 *           [--gpu-usd-per-hour 2] [--gpu-requests-per-second 10] [--utilization 0.5] [--failover-replicas 1]
 *           [--engineering-hours 20] [--engineering-usd-per-hour 100]
 * </pre>
 * and, for each, {@code --bootstrap HOST:PORT} and {@code --registry URL} (else the services' settings).
 * {@code T} is an instant, a date or {@code -7d}. Exit codes: 0 done, 1 nothing to work on (no
 * comparisons in the range), 2 bad usage or an unreachable cluster.
 */
public final class InsightsCli {

    private static final Set<String> CONNECTION = Set.of("--bootstrap", "--registry");

    private InsightsCli() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, Settings.fromEnvironment(), Clock.systemUTC(), System.out, System.err));
    }

    /** Runs a command; returns the exit code (for tests). */
    public static int run(final String[] args, final Settings settings, final Clock clock, final PrintStream out,
                          final PrintStream err) {
        if (args.length == 0) {
            err.println(usage());
            return 2;
        }
        final List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "calibrate" -> calibrate(new CommandArgs(rest, with(CONNECTION, "--from", "--to", "--target", "--confidence",
                        "--step", "--out", "--current"), Set.of("--all")), settings, clock, out);
                case "report" -> report(new CommandArgs(rest, with(CONNECTION, "--from", "--to", "--policy", "--out", "--target",
                        "--hybrid-floor", "--min-compared", "--gpu-usd-per-hour", "--gpu-requests-per-second",
                        "--utilization", "--failover-replicas", "--engineering-hours", "--engineering-usd-per-hour"),
                        Set.of()), settings, clock, out);
                case "help", "-h", "--help" -> {
                    out.println(usage());
                    yield 0;
                }
                default -> {
                    err.println("unknown command " + args[0] + "\n" + usage());
                    yield 2;
                }
            };
        } catch (CommandArgs.UsageException | ConfigException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println(args[0] + " failed: " + e.getMessage());
            return 2;
        }
    }

    private static int calibrate(final CommandArgs args, final Settings settings, final Clock clock, final PrintStream out)
            throws IOException {
        final Instant now = clock.instant();
        final Instant[] fromTo = range(args, now);
        final Instant from = fromTo[0];
        final Instant to = fromTo[1];
        final double target = args.fraction("--target", 0.97);
        final double confidence = args.fraction("--confidence", 0.95);
        final double step = args.number("--step", 0.01);
        final Path file = Path.of(args.get("--out", "target/insights/proposed-policy.properties"));
        final Connection c = Connection.of(settings, args);
        final String current = args.get("--current", c.settings().string("slm.confidence.thresholds", ""));

        final List<ShadowComparison> comparisons = new ArrayList<>();
        new TopicRange(c.kafka()).read(c.topics().shadowComparisons().name(),
                c.topics().shadowComparisons().valueSerde(c.registry()).deserializer(), from, to, comparisons::add);
        out.printf(Locale.ROOT, "%d shadow comparisons on %s from %s to %s; target agreement %.4f by a one-sided %.0f%% "
                        + "Clopper-Pearson lower bound%n", comparisons.size(), c.topics().shadowComparisons().name(), from, to,
                target, 100 * confidence);
        final Map<TaskType, Calibration.TaskCalibration> result = new Calibration(target, confidence, step)
                .calibrate(comparisons);
        if (result.isEmpty()) {
            out.println("No compared answers in the range: nothing to calibrate.");
            return 1;
        }
        result.values().forEach(t -> print(t, args.flag("--all"), out));
        final String policy = ProposedPolicy.render(current, result, List.of(String.format(Locale.ROOT,
                "From %d comparisons on %s, %s to %s; target %.4f at %.0f%% confidence.", comparisons.size(),
                c.topics().shadowComparisons().name(), from, to, target, 100 * confidence)), now);
        write(file, policy);
        out.println("Proposed policy (not applied) written to " + file + ":");
        out.print(policy);
        return 0;
    }

    private static int report(final CommandArgs args, final Settings settings, final Clock clock, final PrintStream out)
            throws IOException {
        final Instant now = clock.instant();
        final Instant[] fromTo = range(args, now);
        final Instant from = fromTo[0];
        final Instant to = fromTo[1];
        final String policy = args.get("--policy").or(() -> settings.find("router.policy.file"))
                .orElseThrow(() -> new CommandArgs.UsageException("--policy FILE (the router's policy file) is needed, "
                        + "or the setting router.policy.file"));
        final DecisionMatrix matrix = DecisionMatrix.read(Path.of(policy));
        final CostModel d = CostModel.DEFAULT;
        final CostModel costs = new CostModel(args.number("--gpu-usd-per-hour", d.gpuUsdPerHour()),
                args.number("--gpu-requests-per-second", d.gpuRequestsPerSecond()),
                args.number("--utilization", d.utilization()),
                (int) args.number("--failover-replicas", d.failoverReplicas()),
                args.number("--engineering-hours", d.engineeringHours()),
                args.number("--engineering-usd-per-hour", d.engineeringUsdPerHour()));
        final MigrationReport.Rules r = MigrationReport.Rules.DEFAULT;
        final MigrationReport.Rules rules = new MigrationReport.Rules(args.fraction("--target", r.agreementTarget()),
                args.fraction("--hybrid-floor", r.hybridFloor()), (long) args.number("--min-compared", r.minCompared()));
        final Path file = Path.of(args.get("--out", "target/insights/migration-report.md"));
        final Connection c = Connection.of(settings, args);

        final MigrationReport report = new MigrationReport();
        final TopicRange range = new TopicRange(c.kafka());
        range.read(c.topics().results().name(), c.topics().results().valueSerde(c.registry()).deserializer(), from, to,
                report::add);
        range.read(c.topics().shadowComparisons().name(),
                c.topics().shadowComparisons().valueSerde(c.registry()).deserializer(), from, to, report::add);
        final List<MigrationReport.Row> rows = report.rows(from, to, matrix, costs, rules);
        final String text = MigrationReport.markdown(rows, from, to, matrix, costs);
        write(file, text);
        out.print(text);
        out.println("\nWritten to " + file);
        return rows.isEmpty() ? 1 : 0;
    }

    /** {@code --from} (default a week before now) and {@code --to} (default now). */
    private static Instant[] range(final CommandArgs args, final Instant now) {
        return new Instant[] {args.instant("--from", now.minus(Duration.ofDays(7)), now), args.instant("--to", now, now)};
    }

    private static void write(final Path file, final String text) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, text);
    }

    /** The candidates where the accepted set changes (every one with {@code --all}); the chosen one is marked. */
    private static void print(final Calibration.TaskCalibration t, final boolean all, final PrintStream out) {
        out.printf(Locale.ROOT, "%n%s: %d compared answers; %s%n", t.taskType(), t.compared(),
                t.chosen().map(c -> "lowest threshold meeting the target: " + c.threshold())
                        .orElse("no threshold meets the target"));
        out.println("  threshold  accepted  agreement  lower-bound  escalation  cost/1M req");
        int previous = -1;
        for (final Calibration.Candidate c : t.candidates()) {
            final boolean chosen = t.chosen().isPresent() && t.chosen().get() == c;
            if (c.accepted() == previous && !chosen && !all) {
                continue;
            }
            previous = c.accepted();
            out.printf(Locale.ROOT, "  %9.2f  %8d  %9s  %11.4f  %9.1f%%  %11s%s%n", c.threshold(), c.accepted(),
                    c.accepted() == 0 ? "-" : String.format(Locale.ROOT, "%.4f", c.agreement()), c.lowerBound(),
                    100 * c.escalationRate(), String.format(Locale.ROOT, "$%.2f", c.costPerMillionUsd()),
                    chosen ? "  <- proposed" : "");
        }
    }

    private static Set<String> with(final Set<String> base, final String... more) {
        final java.util.HashSet<String> all = new java.util.HashSet<>(base);
        all.addAll(Arrays.asList(more));
        return all;
    }

    static String usage() {
        return """
                usage: insights calibrate [--from T] [--to T] [--target 0.97] [--confidence 0.95] [--step 0.01]
                                          [--out FILE] [--current SPEC] [--all] [--bootstrap HOST:PORT] [--registry URL]
                       insights report [--from T] [--to T] [--policy FILE] [--out FILE] [--target 0.97]
                                       [--hybrid-floor 0.9] [--min-compared 100] [--gpu-usd-per-hour 2]
                                       [--gpu-requests-per-second 10] [--utilization 0.5] [--failover-replicas 1]
                                       [--engineering-hours 20] [--engineering-usd-per-hour 100]
                T: an instant (2026-11-28T10:00:00Z), a date (2026-11-28) or a time before now (-7d, -12h)""";
    }
}
