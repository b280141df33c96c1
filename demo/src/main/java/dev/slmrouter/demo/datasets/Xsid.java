package dev.slmrouter.demo.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads xSID (van der Goot et al. 2021, CC BY-SA 4.0) in the JSON Lines form of the shared data folder:
 * one object per line with {@code id}, {@code lang} (ISO 639-1), {@code text}, {@code text_en} and
 * {@code intent} (e.g. {@code weather/find}): short voice-assistant commands, the same 500 utterances
 * translated into each language. The demo uses it as non-English traffic, so English lines are left
 * out. The labels are every intent of the kept lines, sorted.
 */
public final class Xsid {

    public static final String NAME = "xsid";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Xsid() {
    }

    /** The lines whose language is not English. */
    public static LabeledData readNonEnglish(final Path jsonl) {
        try (BufferedReader reader = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            return read(reader, jsonl, Set.of("en"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jsonl, e);
        }
    }

    static LabeledData read(final BufferedReader reader, final Path source, final Set<String> excluded)
            throws IOException {
        final Set<String> labels = new TreeSet<>();
        final List<LabeledText> texts = new ArrayList<>();
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            final JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new DataSetFormatException(source, number, "not JSON: " + e.getOriginalMessage());
            }
            final String lang = text(node, "lang", source, number).toLowerCase(Locale.ROOT);
            final String text = text(node, "text", source, number);
            final String intent = text(node, "intent", source, number);
            if (!excluded.contains(lang)) {
                labels.add(intent);
                texts.add(new LabeledText(text, intent, lang));
            }
        }
        if (texts.isEmpty()) {
            throw new DataSetFormatException(source, 0, "no lines in a language other than " + excluded);
        }
        return new LabeledData(NAME, List.copyOf(labels), texts);
    }

    private static String text(final JsonNode node, final String field, final Path source, final int line) {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new DataSetFormatException(source, line, "no \"" + field + "\" text");
        }
        return value.asText().strip();
    }
}
