package dev.slmrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.demo.datasets.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo's options: defaults that need nothing, data sets by folder or by file, clear errors. */
class DemoOptionsTest {

    @Test
    void defaultsNeedNoDataAndWriteTheReportUnderTarget() {
        final DemoOptions options = DemoOptions.parse(new String[] {"demo"});

        assertThat(options.requests()).isEqualTo(500);
        assertThat(options.rate()).isEqualTo(200);
        assertThat(options.dataSets().isEmpty()).isTrue();
        assertThat(options.reportDir()).isEqualTo(Path.of("target", "demo-report").toAbsolutePath());
        assertThat(options.keepRunning()).isFalse();
    }

    @Test
    void aDataSetFolderFindsAllThreeAndAFileOptionReplacesOne() {
        final Path dir = Fixtures.dataSetDir();
        final DemoOptions options = DemoOptions.parse(new String[] {"--dataset-dir", dir.toString(),
                "--banking77", "/data/banking/train.csv", "--labels-per-request", "10", "--report-dir", "/tmp/r",
                "--requests", "300", "--rate", "300"});

        assertThat(options.dataSets().banking77()).contains(Path.of("/data/banking/train.csv"));
        assertThat(options.dataSets().clinc150()).contains(dir.resolve("clinc150/data_full.json"));
        assertThat(options.dataSets().xsid()).contains(dir.resolve("xsid/xsid-fixture.jsonl"));
        assertThat(options.labelsPerRequest()).isEqualTo(10);
        assertThat(options.reportDir()).isEqualTo(Path.of("/tmp/r"));
        assertThat(options.requests()).isEqualTo(300);
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--requests", "many"}))
                .hasMessageContaining("--requests").hasMessageContaining("many");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--dataset-dir"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--dataset-dir", "/no/such/dir"}))
                .hasMessageContaining("/no/such/dir");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--labels-per-request", "1"}))
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--colour"})).hasMessageContaining("--colour");
    }
}
