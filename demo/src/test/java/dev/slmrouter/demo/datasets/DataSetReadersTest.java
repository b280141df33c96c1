package dev.slmrouter.demo.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The three readers on small files in each format, written for these tests, and on malformed input. */
class DataSetReadersTest {

    private static final Path DIR = Fixtures.dataSetDir();

    @Test
    void banking77ReadsQuotedCommasDoubledQuotesLineBreaksAndCrlf() {
        final LabeledData data = Banking77.read(DIR.resolve("banking77/test.csv"));

        assertThat(data.name()).isEqualTo("banking77");
        assertThat(data.texts()).extracting(LabeledText::text).containsExactly(
                "Where is the new card you promised me?",
                "My card got eaten by the ATM, what now?",
                "The app says \"declined\" every time I pay",
                "How long does a transfer from abroad take?",
                "my card still has not shown up");
        assertThat(data.labels()).containsExactly("card_arrival", "card_swallowed", "declined_card_payment",
                "transfer_timing");
        assertThat(data.texts()).allMatch(t -> t.language().equals("en"));
    }

    @Test
    void banking77RejectsAWrongHeaderAndARowWithoutACategory() {
        assertThatThrownBy(() -> Banking77.read(new StringReader("sentence,label\nhi,x\n"), Path.of("a.csv")))
                .isInstanceOf(DataSetFormatException.class).hasMessageContaining("a.csv:1").hasMessageContaining("header");
        assertThatThrownBy(() -> Banking77.read(new StringReader("text,category\nok,card_arrival\nno category here\n"),
                Path.of("b.csv")))
                .isInstanceOf(DataSetFormatException.class).hasMessageContaining("b.csv:3")
                .hasMessageContaining("expected 2 fields");
        assertThatThrownBy(() -> Banking77.read(new StringReader("text,category\n\"never closed,card_arrival\n"),
                Path.of("c.csv")))
                .isInstanceOf(DataSetFormatException.class).hasMessageContaining("not closed");
    }

    @Test
    void clinc150ReadsOnlyTheOutOfScopeTestSplit() {
        final LabeledData data = Clinc150.readOutOfScope(DIR.resolve("clinc150/data_full.json"));

        assertThat(data.name()).isEqualTo("clinc150-oos");
        assertThat(data.texts()).extracting(LabeledText::text).containsExactly(
                "who painted the ceiling of the old chapel", "how many moons does the ninth planet have",
                "recommend a board game for four people");
        assertThat(data.texts()).allMatch(t -> t.label().equals("oos"));
    }

    @Test
    void clinc150NamesTheKeysWhenTheSplitIsMissingAndRejectsAnInScopeIntentThere() {
        assertThatThrownBy(() -> Clinc150.readOutOfScope("{\"train\": []}", Path.of("d.json")))
                .isInstanceOf(DataSetFormatException.class).hasMessageContaining("oos_test").hasMessageContaining("[train]");
        assertThatThrownBy(() -> Clinc150.readOutOfScope("{\"oos_test\": [[\"play jazz\", \"play_music\"]]}",
                Path.of("e.json")))
                .isInstanceOf(DataSetFormatException.class).hasMessageContaining("play_music");
        assertThatThrownBy(() -> Clinc150.readOutOfScope("{not json", Path.of("f.json")))
                .isInstanceOf(DataSetFormatException.class).hasMessageContaining("not JSON");
    }

    @Test
    void xsidKeepsTheNonEnglishLinesWithTheirLanguageAndSkipsBlankLines() {
        final LabeledData data = Xsid.readNonEnglish(DIR.resolve("xsid/xsid-fixture.jsonl"));

        assertThat(data.name()).isEqualTo("xsid");
        assertThat(data.texts()).extracting(LabeledText::language).containsExactly("de", "it", "tr", "ja");
        assertThat(data.texts().get(3)).isEqualTo(new LabeledText("明日の天気を教えて", "weather/find", "ja"));
        assertThat(data.labels()).containsExactly("alarm/set_alarm", "reminder/set_reminder", "weather/find");
    }

    @Test
    void xsidNamesTheLineOfABrokenRecord() {
        final String lines = "{\"lang\": \"de\", \"text\": \"hallo\", \"intent\": \"a\"}\n{\"lang\": \"de\", \"text\": \"x\"}\n";
        assertThatThrownBy(() -> Xsid.read(new BufferedReader(new StringReader(lines)), Path.of("g.jsonl"), Set.of("en")))
                .isInstanceOf(DataSetFormatException.class).hasMessageContaining("g.jsonl:2")
                .hasMessageContaining("intent");
    }

    @Test
    void aDataSetFolderIsSearchedLikeTheSharedOneAndSingleFilesOverrideIt() {
        final DataSetFiles found = DataSetFiles.inDirectory(DIR);

        assertThat(found.banking77()).contains(DIR.resolve("banking77/test.csv"));
        assertThat(found.clinc150()).contains(DIR.resolve("clinc150/data_full.json"));
        assertThat(found.xsid()).contains(DIR.resolve("xsid/xsid-fixture.jsonl"));

        final Path other = Path.of("/elsewhere/train.csv");
        final DataSetFiles overridden = found.overriddenBy(new DataSetFiles(java.util.Optional.of(other),
                java.util.Optional.empty(), java.util.Optional.empty()));
        assertThat(overridden.banking77()).contains(other);
        assertThat(overridden.xsid()).isEqualTo(found.xsid());

        final DataSets loaded = found.load();
        assertThat(loaded.banking77()).isPresent();
        assertThat(loaded.outOfScope().orElseThrow().texts()).hasSize(3);
        assertThat(loaded.nonEnglish().orElseThrow().texts()).hasSize(4);
    }

    @Test
    void aMissingFolderOrFileIsNamed() {
        assertThatThrownBy(() -> DataSetFiles.inDirectory(DIR.resolve("nowhere")))
                .hasMessageContaining("nowhere").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new DataSetFiles(java.util.Optional.of(DIR.resolve("missing.csv")),
                java.util.Optional.empty(), java.util.Optional.empty()).load())
                .hasMessageContaining("missing.csv");
    }
}
