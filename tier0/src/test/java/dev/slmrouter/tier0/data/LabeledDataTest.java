package dev.slmrouter.tier0.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabeledDataTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadCsvWithQuotesDoubledQuotesAndLineBreaks() throws IOException {
        final Path file = dir.resolve("tickets.csv");
        Files.writeString(file, "text,label\r\n"
                + "plain ticket,a\r\n"
                + "\"with, a comma\",b\n"
                + "\"she said \"\"hi\"\"\",a\n"
                + "\"two\nlines\",b\n");
        assertThat(LabeledData.read(file.toString())).containsExactly(
                new LabeledExample("plain ticket", "a"), new LabeledExample("with, a comma", "b"),
                new LabeledExample("she said \"hi\"", "a"), new LabeledExample("two\nlines", "b"));
    }

    @Test
    void shouldReadBanking77sTextCategoryHeader() throws IOException {
        final Path file = dir.resolve("train.csv");
        Files.writeString(file, "text,category\nHow do I locate my card?,card_arrival\n"
                + "\"I still have not received my new card, I ordered over a week ago.\",card_arrival\n");
        assertThat(LabeledData.read(file.toString())).extracting(LabeledExample::label)
                .containsExactly("card_arrival", "card_arrival");
    }

    @Test
    void shouldReadJsonLinesAndClincStyleSplits() throws IOException {
        final Path jsonl = dir.resolve("t.jsonl");
        Files.writeString(jsonl, "{\"text\":\"hello\",\"label\":\"greet\"}\n\n{\"lang\":\"de\",\"text\":\"hallo\",\"intent\":\"greet\"}\n");
        assertThat(LabeledData.read(jsonl.toString())).containsExactly(new LabeledExample("hello", "greet"),
                new LabeledExample("hallo", "greet"));

        final Path json = dir.resolve("data_full.json");
        Files.writeString(json, "{\"train\":[[\"t1\",\"x\"]],\"test\":[[\"t2\",\"y\"]],\"oos_test\":[[\"t3\",\"oos\"]]}");
        assertThat(LabeledData.read(json.toString())).containsExactly(new LabeledExample("t1", "x"));
        assertThat(LabeledData.read(json + "#test,oos_test")).containsExactly(new LabeledExample("t2", "y"),
                new LabeledExample("t3", "oos"));
        assertThatThrownBy(() -> LabeledData.read(json + "#val")).hasMessageContaining("no split 'val'");
    }

    @Test
    void shouldNameTheFileAndLineOfABadRecord() throws IOException {
        final Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "text,label\nok,a\n,b\n");
        assertThatThrownBy(() -> LabeledData.read(csv.toString())).hasMessageContaining("record 3");
        final Path header = dir.resolve("header.csv");
        Files.writeString(header, "sentence,tag\nx,y\n");
        assertThatThrownBy(() -> LabeledData.read(header.toString())).hasMessageContaining("header");
        final Path jsonl = dir.resolve("bad.jsonl");
        Files.writeString(jsonl, "{\"text\":\"x\"}\n");
        assertThatThrownBy(() -> LabeledData.read(jsonl.toString())).hasMessageContaining("line 1");
    }
}
