package dev.slmrouter.demo.report;

import dev.slmrouter.demo.report.DemoReport.Accuracy;
import dev.slmrouter.demo.report.DemoReport.ConfidenceHistogram;
import dev.slmrouter.demo.report.DemoReport.Cost;
import dev.slmrouter.demo.report.DemoReport.Latency;
import dev.slmrouter.demo.report.DemoReport.MatrixRow;
import dev.slmrouter.demo.report.DemoReport.TierSplit;
import dev.slmrouter.demo.report.Svg.Bar;
import dev.slmrouter.demo.report.Svg.Series;
import dev.slmrouter.insights.report.MigrationReport;
import dev.slmrouter.events.Tier;
import dev.slmrouter.worker.cost.TokenPrice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo report as one self-contained HTML page (inline CSS and SVG, no script, nothing fetched):
 * the same figures as {@link DemoReport#print}, each section with a chart and the table of its numbers.
 * Sections built from model answers carry a "simulated" badge when a simulator gave them.
 */
public final class HtmlReport {

    /** The file name written into the report folder. */
    public static final String FILE_NAME = "demo-report.html";

    private static final Series TIER0 = new Series("TIER0", "#8ab17d");
    private static final Series SLM = new Series("SLM", "#2a9d8f");
    private static final Series GPT = new Series("GPT", "#e76f51");
    private static final Series COUNT = new Series("requests", "#457b9d");
    private static final List<Series> PERCENTILES = List.of(new Series("p50", "#8ecae6"), new Series("p95", "#219ebc"),
            new Series("p99", "#023047"));
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1000px;\
            color:#1d3557;padding:0 1rem}
            h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
            table{border-collapse:collapse;margin:.6rem 0}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f1f4f8}
            .simulated{background:#ffe8a3;color:#6b4e00;border-radius:.3rem;padding:.05rem .45rem;font-size:.75rem;\
            font-weight:600;margin-left:.5rem;vertical-align:middle}
            .note{color:#555;font-size:.9rem}.none{color:#888}
            svg .label{font-size:12px;fill:#1d3557}svg .value{font-size:11px;fill:#555}
            svg .axis{stroke:#999}svg .threshold{stroke:#c1121f;stroke-dasharray:4 3;stroke-width:1.5}
            td.s1{background:#b7e4c7}td.s2{background:#d8f3dc}td.s3{background:#fff3b0}td.s4{background:#ffd6a5}\
            td.s5{background:#ffadad}
            """;

    private HtmlReport() {
    }

    /** Writes {@value #FILE_NAME} into {@code dir} (created if missing) and returns its path. */
    public static Path write(final DemoReport report, final RunInfo run, final Path dir) throws IOException {
        Files.createDirectories(dir);
        final Path file = dir.resolve(FILE_NAME);
        Files.writeString(file, render(report, run, Instant.now()), StandardCharsets.UTF_8);
        return file;
    }

    static String render(final DemoReport report, final RunInfo run, final Instant generatedAt) {
        final String simulated = run.anySimulated() ? "<span class=\"simulated\">simulated</span>" : "";
        final StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>slm-router demo report</title><style>").append(CSS).append("</style></head><body>\n");
        summary(html, report, run, generatedAt);
        routing(html, report);
        rules(html, report);
        languages(html, report);
        escalations(html, report, simulated);
        outcomes(html, report, simulated);
        latency(html, report, simulated);
        deadLetters(html, report);
        cost(html, report, run, simulated);
        confidence(html, report, simulated);
        matrix(html, report, run, simulated);
        accuracy(html, report, run, simulated);
        migration(html, report, run, simulated);
        return html.append("</body></html>\n").toString();
    }

    private static void summary(final StringBuilder html, final DemoReport report, final RunInfo run,
                                final Instant generatedAt) {
        final int deadLetters = report.deadLettersByReason().values().stream().mapToInt(Integer::intValue).sum();
        final int results = report.resultsByTierStatus().values().stream().mapToInt(Integer::intValue).sum();
        html.append("<h1>slm-router demo report</h1>\n<section id=\"summary\">")
                .append("<p class=\"note\">Generated ").append(generatedAt.truncatedTo(ChronoUnit.SECONDS))
                .append(". Read from the topics with read_committed consumers.</p>");
        table(html, List.of("", ""), List.of(
                row("requests produced", run.produced()),
                row("finished (one result or one dead letter)", report.finished()),
                row("duplicates", report.duplicates()),
                row("final answers", results),
                row("dead letters", deadLetters)));
        html.append("<p>SLM answers from ").append(esc(run.slmSource()))
                .append(run.slmSimulated() ? "<span class=\"simulated\">simulated</span>" : "")
                .append("; GPT answers from ").append(esc(run.gptSource()))
                .append(run.gptSimulated() ? "<span class=\"simulated\">simulated</span>" : "").append(".</p>");
        if (!run.traffic().isEmpty()) {
            html.append("<ul>");
            run.traffic().forEach(line -> html.append("<li>").append(esc(line)).append("</li>"));
            html.append("</ul>");
        }
        html.append("</section>\n");
    }

    private static void routing(final StringBuilder html, final DemoReport report) {
        open(html, "routing", "Requests by tier and task type", "");
        splits(html, "Requests by tier and task type", "task type", report.routedByTaskType());
        html.append("</section>\n");
    }

    private static void rules(final StringBuilder html, final DemoReport report) {
        open(html, "rules", "Requests by deciding rule", "");
        counts(html, "Requests by deciding rule", "rule", report.routedByRule(), COUNT);
        html.append("</section>\n");
    }

    private static void languages(final StringBuilder html, final DemoReport report) {
        open(html, "languages", "Requests by language and tier", "");
        html.append("<p class=\"note\">The producer's language hint, else the router's detection.</p>");
        splits(html, "Requests by language and tier", "language", report.routedByLanguage());
        html.append("</section>\n");
    }

    private static void escalations(final StringBuilder html, final DemoReport report, final String simulated) {
        open(html, "escalations", "Requests passed to the next tier, by tier and reason", simulated);
        counts(html, "Passed on, by tier and reason", "from -> to, reason", report.escalationsByReason(), GPT);
        html.append("</section>\n");
    }

    private static void outcomes(final StringBuilder html, final DemoReport report, final String simulated) {
        open(html, "outcomes", "Final answers by tier and status", simulated);
        counts(html, "Final answers by tier and status", "tier and status", report.resultsByTierStatus(), COUNT);
        html.append("</section>\n");
    }

    private static void latency(final StringBuilder html, final DemoReport report, final String simulated) {
        open(html, "latency", "End-to-end latency by answering tier", simulated);
        html.append("<p class=\"note\">From the request's created_at to its result, in milliseconds.</p>");
        final Map<String, Latency> latencies = report.latencyByTier();
        final List<Bar> bars = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        latencies.forEach((tier, l) -> {
            bars.add(new Bar(tier + " p50", l.p50(), 0, 0));
            bars.add(new Bar(tier + " p95", 0, l.p95(), 0));
            bars.add(new Bar(tier + " p99", 0, 0, l.p99()));
            rows.add(List.of(esc(tier), num(l.count()), num(l.p50()), num(l.p95()), num(l.p99())));
        });
        html.append(Svg.bars("End-to-end latency (ms) by tier", bars, PERCENTILES, v -> fmt("%.0f ms", v)));
        table(html, List.of("tier", "answers", "p50 ms", "p95 ms", "p99 ms"), rows);
        html.append("</section>\n");
    }

    private static void deadLetters(final StringBuilder html, final DemoReport report) {
        open(html, "dead-letters", "Dead letters by reason", "");
        counts(html, "Dead letters by reason", "reason", report.deadLettersByReason(), new Series("dead letters", "#6c757d"));
        html.append("</section>\n");
    }

    private static void cost(final StringBuilder html, final DemoReport report, final RunInfo run,
                             final String simulated) {
        open(html, "cost", "Cost against the same traffic all on GPT-4o", simulated);
        final Cost cost = report.cost();
        final double tier0 = cost.byTier().getOrDefault(Tier.TIER0.name(), 0.0);
        final double slm = cost.byTier().getOrDefault(Tier.SLM.name(), 0.0);
        final double gpt = cost.byTier().getOrDefault(Tier.GPT.name(), 0.0);
        html.append(Svg.bars("Cost in USD", List.of(new Bar("this traffic", tier0, slm, gpt),
                        new Bar("all on GPT-4o", 0, 0, cost.allGpt4o())), List.of(TIER0, SLM, GPT), v -> fmt("$%.4f", v)));
        final List<List<String>> rows = new ArrayList<>();
        cost.byTier().forEach((tier, usd) -> rows.add(List.of("answered by " + esc(tier), money(usd))));
        rows.add(List.of("<b>this traffic</b>", money(cost.total())));
        rows.add(List.of("the same tokens all on GPT-4o", money(cost.allGpt4o())));
        rows.add(List.of("saved", "<td class=\"n\">" + fmt("%.1f%%", cost.savedPercent()) + "</td>"));
        table(html, List.of("", "USD"), rows);
        html.append("<p class=\"note\">The GPT-4o baseline prices the tokens each request actually used at $")
                .append(fmt("%.2f", TokenPrice.GPT_4O.inputPerMillion())).append(" / $").append(fmt("%.2f", TokenPrice.GPT_4O.outputPerMillion()))
                .append(" per million input / output tokens")
                .append(run.anySimulated() ? "; answers and token counts are simulated." : ".").append("</p>");
        html.append("</section>\n");
    }

    private static void confidence(final StringBuilder html, final DemoReport report, final String simulated) {
        open(html, "confidence", "SLM confidence", simulated);
        final ConfidenceHistogram histogram = report.slmConfidence();
        final Series kept = new Series("kept (final SLM answer)", SLM.color());
        final Series escalated = new Series("escalated to GPT", GPT.color());
        if (histogram.total() == 0) {
            html.append("<p class=\"none\">none</p>");
        } else {
            html.append(Svg.histogram("SLM confidence", new int[][] {histogram.kept(), histogram.escalated()},
                    List.of(kept, escalated), histogram.threshold()));
        }
        final List<List<String>> rows = new ArrayList<>();
        final int bins = histogram.kept().length;
        for (int b = 0; b < bins; b++) {
            if (histogram.kept()[b] + histogram.escalated()[b] > 0) {
                rows.add(List.of(fmt("%.2f-%.2f", (double) b / bins, (double) (b + 1) / bins), num(histogram.kept()[b]),
                        num(histogram.escalated()[b])));
            }
        }
        table(html, List.of("confidence", "kept", "escalated"), rows);
        html.append("<p class=\"note\">Threshold ").append(fmt("%.2f", histogram.threshold()))
                .append(". Escalations without a confidence (no answer to judge: timeout, backend down): ")
                .append(histogram.withoutConfidence()).append(".</p>");
        html.append("</section>\n");
    }

    private static void matrix(final StringBuilder html, final DemoReport report, final RunInfo run,
                               final String simulated) {
        open(html, "matrix", "Decision matrix per task type, with observed volume and escalation rate", "");
        final long[] limits = report.volumeBandLimits();
        final List<String> bands = new ArrayList<>();
        for (int b = 0; b <= limits.length; b++) {
            bands.add(b == 0 ? "&lt; " + fmt("%,d", limits[0]) + "/day"
                    : b == limits.length ? "&gt; " + fmt("%,d", limits[b - 1]) + "/day"
                    : fmt("%,d", limits[b - 1]) + "-" + fmt("%,d", limits[b]) + "/day");
        }
        final List<String> header = new ArrayList<>(List.of("task type"));
        bands.forEach(b -> header.add("score " + b));
        header.addAll(List.of("decisions per band", "router's daily volume", "routed", "per day at this rate",
                "to TIER0", "to SLM", "to GPT", "escalated from SLM", "escalation rate of SLM-routed" + simulated));
        final List<List<String>> rows = new ArrayList<>();
        for (MatrixRow row : report.decisionMatrix()) {
            final List<String> cells = new ArrayList<>(List.of("<td>" + esc(row.taskType().name()) + "</td>"));
            for (int b = 0; b < row.scores().size(); b++) {
                final int score = row.scores().get(b);
                final boolean seen = row.decisionsPerBand().get(b) > 0;
                cells.add("<td class=\"n s" + score + "\">" + (seen ? "<b>" : "") + score + " " + row.tiers().get(b)
                        + (seen ? "</b>" : "") + "</td>");
            }
            cells.add("<td>" + esc(row.decisionsPerBand().toString()) + "</td>");
            cells.add(num(row.maxDailyVolume()));
            cells.add(num(row.routed().total()));
            cells.add("<td class=\"n\">" + fmt("%,d", row.perDayAt(run.producing())) + "</td>");
            cells.add(num(row.routed().tier0()));
            cells.add(num(row.routed().slm()));
            cells.add(num(row.routed().gpt()));
            cells.add(num(row.escalated()));
            cells.add("<td class=\"n\">" + (row.routed().slm() == 0 ? "-" : fmt("%.1f%%", 100 * row.escalationRate()))
                    + "</td>");
            rows.add(cells);
        }
        tableCells(html, header, rows);
        html.append("<p class=\"note\">Scores run from 1 (SLM preferred) to 5 (GPT required); the tier each score"
                + " means is shown beside it, in bold for the bands this run's decisions used. The router's daily"
                + " volume is the largest 24-hour count it decided with: stream tasks publish their counts every few"
                + " seconds (router.volume.emit.interval), so a short run decides in the lowest band. \"Per day at"
                + " this rate\" is the band this traffic would reach if it went on. Requests routed by an earlier rule"
                + " (tenant, context, language, intent confidence) still count under their task type.</p></section>\n");
    }

    private static void accuracy(final StringBuilder html, final DemoReport report, final RunInfo run,
                                 final String simulated) {
        final Map<String, Accuracy> byDataset = report.accuracyByDataset();
        if (byDataset.isEmpty()) {
            return;
        }
        open(html, "accuracy", "Classification accuracy against the expected labels", simulated);
        final List<Bar> bars = new ArrayList<>();
        byDataset.forEach((name, a) -> bars.add(new Bar(name, 100 * a.accuracy())));
        html.append(Svg.bars("Accuracy (%) by data set", bars, List.of(COUNT), v -> fmt("%.1f%%", v)));
        accuracyTable(html, "data set", byDataset, run, false);
        accuracyTable(html, "answering tier", report.accuracyByTier(), run, true);
        if (run.anySimulated()) {
            html.append("<p class=\"note\">Tier 0 runs for real, in process: its accuracy is measured. The simulators"
                    + " pick one of the offered labels at random, so no accuracy is claimed for simulated tiers, and"
                    + " per data set the figures mix in those simulated answers: they show that every expected label"
                    + " travels with its request to the result and is scored.</p>");
        }
        html.append("</section>\n");
    }

    /** One row per key; {@code byTier} rows of a simulated tier say so instead of claiming an accuracy. */
    private static void migration(final StringBuilder html, final DemoReport report, final RunInfo run,
                                  final String simulated) {
        open(html, "migration", "Shadow agreement, drift and migration recommendation per task type", simulated);
        final List<List<String>> rows = new ArrayList<>();
        for (MigrationFigures.TaskRow r : report.migration(run.producing())) {
            final MigrationReport.Row m = r.migration();
            rows.add(List.of("<td>" + esc(r.taskType().name()) + "</td>", num(r.compared()),
                    "<td class=\"n\">" + (Double.isNaN(r.agreement()) ? "-" : fmt("%.1f%%", 100 * r.agreement())) + "</td>",
                    "<td>" + esc(r.drift()) + "</td>",
                    "<td class=\"n\">" + fmt("%.1f%%", 100 * m.slmShare()) + "</td>",
                    "<td class=\"n\">" + perMillion(m.slmPerMillion()) + "</td>",
                    "<td class=\"n\">" + perMillion(m.gptPerMillion()) + "</td>",
                    "<td class=\"n\">" + perMillion(m.mixPerMillion()) + "</td>",
                    "<td><b>" + esc(m.recommendation().name()) + "</b>: " + esc(m.reason()) + "</td>"));
        }
        tableCells(html, List.of("task type", "shadow pairs", "agreement", "drift", "SLM share", "$/1M on SLM",
                "$/1M on GPT", "$/1M current mix", "recommendation"), rows);
        html.append("<p class=\"note\">Computed by the <code>insights</code> module's migration report and drift"
                + " detector from this run's results, escalations and shadow comparisons (<code>--shadow-rate</code>"
                + " of the SLM's answers were also answered by GPT off the user path). The recommendation needs "
                + MigrationFigures.RULES.minCompared() + " compared pairs here (100 in <code>insights report</code>);"
                + " daily volume is this run's rate extended to a day; self-hosting costs follow the report's default"
                + " cost model. A demo run is one hourly window, so the drift monitor has no baseline to compare it"
                + " with: drift shows what it would say of this traffic alone."
                + (run.anySimulated() ? " Both answers of a pair are simulated here: the agreement shows the"
                + " comparisons flowing, not how the models compare." : "") + "</p>");
        html.append("</section>\n");
    }

    private static String perMillion(final double usd) {
        return Double.isNaN(usd) ? "-" : fmt("$%,.2f", usd);
    }

    private static void accuracyTable(final StringBuilder html, final String key, final Map<String, Accuracy> scores,
                                      final RunInfo run, final boolean byTier) {
        final int total = scores.values().stream().mapToInt(Accuracy::expected).sum();
        final List<List<String>> rows = new ArrayList<>();
        scores.forEach((name, a) -> rows.add(List.of("<td>" + esc(name) + "</td>", num(a.expected()),
                "<td class=\"n\">" + fmt("%.1f%%", 100.0 * a.expected() / Math.max(1, total)) + "</td>",
                num(a.answered()), num(a.correct()),
                byTier && run.simulated(name) ? "<td><span class=\"simulated\">simulated</span> no accuracy claimed</td>"
                        : "<td class=\"n\">" + fmt("%.1f%%", 100 * a.accuracy()) + "</td>",
                "<td class=\"n\">" + fmt("%.1f%%", 100 * a.chance()) + "</td>")));
        tableCells(html, List.of(key, "with expected label", "share", "answered with a label", "correct", "accuracy",
                "random choice"), rows);
    }

    private static void splits(final StringBuilder html, final String title, final String key,
                               final Map<String, TierSplit> splits) {
        final List<Bar> bars = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        splits.forEach((name, s) -> {
            bars.add(new Bar(name, s.tier0(), s.slm(), s.gpt()));
            rows.add(List.of(esc(name), num(s.tier0()), num(s.slm()), num(s.gpt()), num(s.total())));
        });
        html.append(Svg.bars(title, bars, List.of(TIER0, SLM, GPT), v -> fmt("%.0f", v)));
        table(html, List.of(key, "to TIER0", "to SLM", "to GPT", "total"), rows);
    }

    private static void counts(final StringBuilder html, final String title, final String key,
                               final Map<String, Integer> counts, final Series series) {
        final List<Bar> bars = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        counts.forEach((name, n) -> {
            bars.add(new Bar(name, n));
            rows.add(List.of(esc(name), num(n)));
        });
        html.append(Svg.bars(title, bars, List.of(series), v -> fmt("%.0f", v)));
        final int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (!counts.isEmpty()) {
            rows.add(List.of("<b>total</b>", num(total)));
            table(html, List.of(key, "count"), rows);
        }
    }

    private static void open(final StringBuilder html, final String id, final String title, final String badge) {
        html.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append(badge).append("</h2>");
    }

    /** A table whose first cell per row is plain text (escaped by the caller) and the others ready cells. */
    private static void table(final StringBuilder html, final List<String> header, final List<List<String>> rows) {
        final List<List<String>> cells = new ArrayList<>();
        for (List<String> row : rows) {
            final List<String> r = new ArrayList<>();
            r.add(row.get(0).startsWith("<td") ? row.get(0) : "<td>" + row.get(0) + "</td>");
            r.addAll(row.subList(1, row.size()));
            cells.add(r);
        }
        tableCells(html, header, cells);
    }

    private static void tableCells(final StringBuilder html, final List<String> header, final List<List<String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        html.append("<table><thead><tr>");
        header.forEach(h -> html.append("<th>").append(h).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            html.append("<tr>");
            row.forEach(html::append);
            html.append("</tr>");
        }
        html.append("</tbody></table>");
    }

    private static List<String> row(final String label, final long value) {
        return List.of(esc(label), num(value));
    }

    private static String num(final long value) {
        return "<td class=\"n\">" + value + "</td>";
    }

    private static String money(final double usd) {
        return "<td class=\"n\">" + fmt("$%.4f", usd) + "</td>";
    }

    private static String fmt(final String format, final Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String esc(final String text) {
        return Svg.escape(text);
    }
}
