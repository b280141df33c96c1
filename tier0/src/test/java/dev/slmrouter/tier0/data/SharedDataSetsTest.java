package dev.slmrouter.tier0.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real data sets the benchmarks use, read in place from {@code ../shared/data} (the repository root's
 * parent's {@code shared/}; surefire passes it as {@code shared.dir}). Where they are absent the tests say
 * SKIPPED and are skipped.
 */
class SharedDataSetsTest {

    private static Path dataDir(final String name) {
        final String shared = System.getProperty("shared.dir", "../../shared");
        final Path dir = Path.of(shared, "data", name);
        if (!Files.isDirectory(dir)) {
            System.out.println("SKIPPED: " + dir + " is absent, so the " + name + " file checks cannot run here");
        }
        Assumptions.assumeTrue(Files.isDirectory(dir), "SKIPPED: " + dir + " is absent");
        return dir;
    }

    @Test
    void shouldReadBanking77sSplitsWithTheSame77Intents() throws IOException {
        final Path dir = dataDir("banking77");
        final List<LabeledExample> train = LabeledData.read(dir.resolve("train.csv").toString());
        final List<LabeledExample> test = LabeledData.read(dir.resolve("test.csv").toString());
        assertThat(train).hasSize(10_003);
        assertThat(test).hasSize(3_080);
        assertThat(new HashSet<>(LabeledData.labels(train))).hasSize(77)
                .isEqualTo(new HashSet<>(LabeledData.labels(test)));
        assertThat(train).allSatisfy(e -> assertThat(e.text()).isNotBlank());
    }

    @Test
    void shouldReadClinc150sInScopeAndOutOfScopeSplits() throws IOException {
        final Path file = dataDir("clinc150").resolve("data_full.json");
        assertThat(LabeledData.read(file.toString())).hasSize(15_000);
        final List<LabeledExample> test = LabeledData.read(file + "#test,oos_test");
        assertThat(test).hasSize(5_500);
        assertThat(test.stream().filter(e -> e.label().equals("oos"))).hasSize(1_000);
        assertThat(new HashSet<>(LabeledData.labels(LabeledData.read(file + "#train")))).hasSize(150);
    }
}
