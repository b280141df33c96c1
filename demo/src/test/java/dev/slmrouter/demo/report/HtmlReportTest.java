package dev.slmrouter.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML page: written where asked, every section present with the run's counts, nothing external. */
class HtmlReportTest {

    private static final RunInfo SIMULATED = new RunInfo(8, java.time.Duration.ofSeconds(2), "the vLLM simulator", true, "the OpenAI simulator", true,
            List.of("8 requests, built in"));

    private static String section(final String html, final String id) {
        final Matcher m = Pattern.compile("<section id=\"" + id + "\">(.*?)</section>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("section " + id).isTrue();
        return m.group(1);
    }

    private static String row(final String... cells) {
        final StringBuilder row = new StringBuilder("<tr><td>").append(cells[0]).append("</td>");
        for (int i = 1; i < cells.length; i++) {
            row.append("<td class=\"n\">").append(cells[i]).append("</td>");
        }
        return row.append("</tr>").toString();
    }

    @Test
    void writesTheFileAndEverySectionCarriesTheRunsCounts(@TempDir final Path dir) throws Exception {
        final Path file = HtmlReport.write(ReportEvents.knownRun(), SIMULATED, dir.resolve("report"));
        final String html = Files.readString(file, StandardCharsets.UTF_8);

        assertThat(file).isEqualTo(dir.resolve("report").resolve("demo-report.html"));
        assertThat(section(html, "summary")).contains(row("requests produced", "8"))
                .contains(row("finished (one result or one dead letter)", "11")).contains(row("duplicates", "1"))
                .contains(row("dead letters", "2")).contains(row("final answers", "9"));
        assertThat(section(html, "routing")).contains(row("CLASSIFICATION", "3", "4", "0", "7"))
                .contains(row("REASONING", "0", "0", "2", "2")).contains("<svg");
        assertThat(section(html, "rules")).contains(row("MATRIX_TIE", "4")).contains(row("MATRIX_GPT_REQUIRED", "2"))
                .contains(row("TIER0_CLASSIFIER", "3"));
        assertThat(section(html, "languages")).contains(row("de", "0", "0", "2", "2"));
        assertThat(section(html, "escalations")).contains(row("SLM -&gt; GPT LOW_CONFIDENCE", "1"))
                .contains(row("TIER0 -&gt; SLM LOW_CONFIDENCE", "1")).contains(row("TIER0 -&gt; GPT REFUSAL", "1"))
                .contains("<svg");
        assertThat(section(html, "outcomes")).contains(row("GPT FAILED", "1")).contains(row("SLM OK", "4"))
                .contains(row("TIER0 OK", "1"));
        assertThat(section(html, "latency")).contains(row("SLM", "4", "200", "300", "300"))
                .contains(row("GPT", "4", "1000", "1100", "1100")).contains(row("TIER0", "1", "5", "5", "5"));
        assertThat(section(html, "dead-letters")).contains(row("UNDECODABLE", "1"))
                .contains(row("MISSING_MESSAGES", "1")).contains(row("<b>total</b>", "2"));
        assertThat(section(html, "cost")).contains("$0.0144").contains("all on GPT-4o");
        assertThat(section(html, "confidence")).contains(row("0.40-0.45", "0", "1")).contains(row("0.95-1.00", "1", "0"))
                .contains("threshold 0.85");
        assertThat(section(html, "matrix")).contains("<td>CLASSIFICATION</td><td class=\"n s3\"><b>3 SLM</b></td>")
                .contains("<td class=\"n\">25.0%</td>").contains("<td class=\"n\">302,400</td>");
        assertThat(section(html, "migration")).contains("<td>CLASSIFICATION</td><td class=\"n\">2</td>"
                + "<td class=\"n\">50.0%</td><td>none</td>").contains("<b>HYBRID</b>").contains("<b>GPT</b>")
                .contains("simulated");
        assertThat(section(html, "accuracy")).contains("<td>banking77</td><td class=\"n\">7</td><td class=\"n\">100.0%</td>"
                        + "<td class=\"n\">7</td><td class=\"n\">6</td><td class=\"n\">85.7%</td><td class=\"n\">25.0%</td>")
                .contains("<td>TIER0</td><td class=\"n\">1</td><td class=\"n\">14.3%</td><td class=\"n\">1</td>"
                        + "<td class=\"n\">1</td><td class=\"n\">100.0%</td>")
                .contains("<td>SLM</td><td class=\"n\">4</td><td class=\"n\">57.1%</td><td class=\"n\">4</td>"
                        + "<td class=\"n\">3</td><td><span class=\"simulated\">simulated</span> no accuracy claimed</td>");
    }

    @Test
    void answersFromSimulatorsAreMarkedSimulatedAndRoutingIsNot() {
        final String html = HtmlReport.render(ReportEvents.knownRun(), SIMULATED, java.time.Instant.EPOCH);

        for (String id : List.of("escalations", "outcomes", "latency", "cost", "confidence", "accuracy")) {
            assertThat(section(html, id)).as(id).contains("<span class=\"simulated\">simulated</span>");
        }
        for (String id : List.of("routing", "rules", "dead-letters")) {
            assertThat(section(html, id)).as(id).doesNotContain("simulated");
        }
        final String real = HtmlReport.render(ReportEvents.knownRun(),
                new RunInfo(8, java.time.Duration.ofSeconds(2), "vLLM", false, "OpenAI", false, List.of()), java.time.Instant.EPOCH);
        assertThat(real).doesNotContain("class=\"simulated\"");
    }

    @Test
    void isSelfContainedAndEveryChartIsWellFormedSvg() throws Exception {
        final String html = HtmlReport.render(ReportEvents.knownRun(), SIMULATED, java.time.Instant.EPOCH);

        assertThat(html).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=")
                .doesNotContain("@import");
        final Matcher svgs = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (svgs.find()) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(svgs.group().getBytes(StandardCharsets.UTF_8)));
            count++;
        }
        assertThat(count).isEqualTo(10);
    }

    @Test
    void withoutExpectedLabelsThereIsNoAccuracySection() {
        final DemoReport report = new DemoReport(dev.slmrouter.router.policy.PolicyLoader.loadDefault().defaults(), 0.85);
        final String html = HtmlReport.render(report, SIMULATED, java.time.Instant.EPOCH);

        assertThat(html).doesNotContain("<section id=\"accuracy\">").contains("<section id=\"matrix\">");
        assertThat(section(html, "escalations")).contains("none");
    }
}
