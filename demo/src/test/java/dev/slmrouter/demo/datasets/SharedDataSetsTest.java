package dev.slmrouter.demo.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.demo.traffic.ClassificationTraffic;
import dev.slmrouter.demo.traffic.SampleTraffic;
import dev.slmrouter.events.InferenceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The readers on the real data sets in {@code ../shared/data} (system property {@code shared.dir}, set
 * by the build to the folder beside the checkout), read in place and never copied. Where that folder is
 * absent every test here is skipped with a message that says so.
 */
class SharedDataSetsTest {

    private static final Path DATA =
            Path.of(System.getProperty("shared.dir", "../../shared"), "data").toAbsolutePath().normalize();

    // Per test, not per class: each test is then reported as skipped (a class-level assumption reports none).
    @BeforeEach
    void requireTheSharedData() {
        final String reason = "SKIPPED: " + DATA + " is absent (no ../shared/data beside the checkout)";
        if (!Files.isDirectory(DATA)) {
            System.out.println(reason);
        }
        Assumptions.assumeTrue(Files.isDirectory(DATA), reason);
    }

    @Test
    void banking77TestSplitHas3080MessagesOver77Intents() {
        final LabeledData banking = Banking77.read(DATA.resolve("banking77/test.csv"));

        assertThat(banking.texts()).hasSize(3080);
        assertThat(banking.labels()).hasSize(77).contains("card_arrival", "lost_or_stolen_card");
        assertThat(banking.texts()).noneMatch(t -> t.text().isBlank() || t.text().startsWith("\n"));
    }

    @Test
    void clinc150Has1000OutOfScopeTestQueries() {
        assertThat(Clinc150.readOutOfScope(DATA.resolve("clinc150/data_full.json")).texts()).hasSize(1000);
    }

    @Test
    void xsidHas3250NonEnglishCommandsInSevenLanguages() {
        final LabeledData xsid = Xsid.readNonEnglish(DATA.resolve("xsid/xsid-0.7-test.jsonl"));

        assertThat(xsid.texts()).hasSize(3250);
        assertThat(xsid.texts()).extracting(LabeledText::language).containsOnly("ar", "de", "id", "it", "ja", "tr", "zh");
        assertThat(xsid.labels()).hasSize(15);
    }

    @Test
    void theDemoFindsThemInTheFolderAndBuildsRequestsWithTheirExpectedLabelsOffered() {
        final DataSets sets = DataSetFiles.inDirectory(DATA).load();
        final SampleTraffic traffic = new SampleTraffic(7, ClassificationTraffic.from(sets, 0));
        final Set<String> datasets = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            if (traffic.next() instanceof SampleTraffic.Request r && r.request().getLabels() != null) {
                final InferenceRequest request = r.request();
                datasets.add(request.getMetadata().get(SampleTraffic.DATASET));
                assertThat(request.getLabels()).contains(request.getMetadata().get(SampleTraffic.EXPECTED_LABEL));
            }
        }
        assertThat(datasets).containsExactlyInAnyOrder("banking77", "clinc150-oos", "xsid");
    }
}
