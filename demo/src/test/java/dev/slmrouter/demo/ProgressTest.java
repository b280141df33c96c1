package dev.slmrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Progress output: a redrawn line on a terminal, plain lines in CI or when piped. */
class ProgressTest {

    @Test
    void ciOrNoConsoleOrADumbTerminalMeansPlainLines() {
        assertThat(Progress.isInteractive(Map.of("CI", "true"), true)).isFalse();
        assertThat(Progress.isInteractive(Map.of("CI", "1"), true)).isFalse();
        assertThat(Progress.isInteractive(Map.of(), false)).isFalse();
        assertThat(Progress.isInteractive(Map.of("TERM", "dumb"), true)).isFalse();
        assertThat(Progress.isInteractive(Map.of("TERM", "xterm-256color", "CI", "false"), true)).isTrue();
    }

    @Test
    void plainOutputHasNoCarriageReturnsOrEscapesAndOnlyMilestoneLines() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        progress.log("Starting");
        for (int i = 1; i <= 300; i++) {
            progress.produced(i, 300);
        }
        progress.endLine();
        progress.finished(0, 300);
        progress.finished(300, 300);
        progress.finished(300, 300);
        progress.log("Done");
        final String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).doesNotContain("\r").doesNotContain("\u001b");
        assertThat(text.lines()).allMatch(line -> line.startsWith("[demo] "));
        assertThat(text.lines().filter(l -> l.contains("Produced"))).hasSize(10)
                .contains("[demo] Produced 30/300 requests", "[demo] Produced 300/300 requests");
        assertThat(text.lines().filter(l -> l.contains("Finished 300/300"))).hasSize(1);
        assertThat(text.lines()).first().isEqualTo("[demo] Starting");
        assertThat(text.lines()).last().isEqualTo("[demo] Done");
    }

    @Test
    void interactiveOutputRedrawsOneLineAndEndsItBeforeTheNextMessage() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        progress.produced(1, 2);
        progress.produced(2, 2);
        progress.log("next");
        final String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("\r\u001b[2K[demo] Produced 2/2 requests [##############################] 100%")
                .endsWith("100%" + System.lineSeparator() + "[demo] next" + System.lineSeparator());
    }
}
