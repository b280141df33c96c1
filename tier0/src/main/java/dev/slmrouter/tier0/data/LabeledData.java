package dev.slmrouter.tier0.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads labeled texts for training and evaluation. The format follows the file name:
 * <ul>
 *   <li>{@code .csv}: a header row naming a {@code text} column and a label column called {@code label},
 *       {@code category} (BANKING77's {@code text,category}) or {@code intent}; RFC 4180 quoting (quoted
 *       fields, doubled quotes, line breaks inside quotes).</li>
 *   <li>{@code .jsonl}: one object per line with {@code text} and {@code label} (or {@code category},
 *       {@code intent}, as xSID writes); blank lines are skipped.</li>
 *   <li>{@code .json}: CLINC150's {@code data_full.json} layout (split name to a list of
 *       {@code [text, label]} pairs); name the splits after a {@code #}: {@code data_full.json#test,oos_test}.
 *       Without one, {@code train} is read.</li>
 * </ul>
 * A row without text or label is an error naming the file and line, not a silent skip.
 */
public final class LabeledData {

    private static final List<String> LABEL_COLUMNS = List.of("label", "category", "intent");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabeledData() {
    }

    /** Reads {@code spec}: a path, optionally followed by {@code #split1,split2} for a CLINC150-style JSON file. */
    public static List<LabeledExample> read(final String spec) throws IOException {
        final int hash = spec.lastIndexOf('#');
        final Path path = Path.of(hash >= 0 ? spec.substring(0, hash) : spec);
        final List<String> splits = hash >= 0
                ? Arrays.stream(spec.substring(hash + 1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                : List.of();
        return read(path, splits);
    }

    public static List<LabeledExample> read(final Path path, final List<String> splits) throws IOException {
        final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(path)) {
            throw new IOException("no such file: " + path);
        }
        if (name.endsWith(".csv")) {
            return readCsv(path);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return readJsonLines(path);
        }
        if (name.endsWith(".json")) {
            return readSplits(path, splits.isEmpty() ? List.of("train") : splits);
        }
        throw new IOException(path + ": unknown format (expected .csv with a text,label header, .jsonl, or a "
                + "CLINC150-style .json)");
    }

    /** The distinct labels in order of first appearance. */
    public static List<String> labels(final List<LabeledExample> examples) {
        final Set<String> labels = new LinkedHashSet<>();
        examples.forEach(e -> labels.add(e.label()));
        return List.copyOf(labels);
    }

    static List<LabeledExample> readCsv(final Path path) throws IOException {
        final List<List<String>> rows;
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            rows = parseCsv(reader);
        }
        if (rows.isEmpty()) {
            throw new IOException(path + ": empty file (a header text,label is required)");
        }
        final List<String> header = rows.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT).replace("\uFEFF", ""))
                .toList();
        final int text = header.indexOf("text");
        int label = -1;
        for (String column : LABEL_COLUMNS) {
            if (label < 0) {
                label = header.indexOf(column);
            }
        }
        if (text < 0 || label < 0) {
            throw new IOException(path + ": the header must name a text column and a label column (label, category "
                    + "or intent); found " + rows.get(0));
        }
        final List<LabeledExample> examples = new ArrayList<>(rows.size());
        for (int r = 1; r < rows.size(); r++) {
            final List<String> row = rows.get(r);
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            if (row.size() <= Math.max(text, label) || row.get(text).isBlank() || row.get(label).isBlank()) {
                throw new IOException(path + ": record " + (r + 1) + " has no text or no label: " + row);
            }
            examples.add(new LabeledExample(row.get(text).strip(), row.get(label).strip()));
        }
        return examples;
    }

    /** RFC 4180: fields separated by commas, optionally quoted; a quote inside quotes is doubled. */
    static List<List<String>> parseCsv(final Reader reader) throws IOException {
        final List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int c;
        while ((c = reader.read()) != -1) {
            any = true;
            if (quoted) {
                if (c == '"') {
                    reader.mark(1);
                    final int next = reader.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next == -1) {
                            break;
                        }
                        reader.reset();
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    reader.mark(1);
                    if (reader.read() != '\n') {
                        reader.reset();
                    }
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                any = false;
            } else {
                field.append((char) c);
            }
        }
        if (any || field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    static List<LabeledExample> readJsonLines(final Path path) throws IOException {
        final List<LabeledExample> examples = new ArrayList<>();
        final List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            final JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new IOException(path + ": line " + (i + 1) + " is not JSON: " + e.getMessage(), e);
            }
            final String text = node.path("text").asText("");
            String label = "";
            for (String column : LABEL_COLUMNS) {
                if (label.isEmpty()) {
                    label = node.path(column).asText("");
                }
            }
            if (text.isBlank() || label.isBlank()) {
                throw new IOException(path + ": line " + (i + 1) + " needs \"text\" and \"label\"");
            }
            examples.add(new LabeledExample(text.strip(), label.strip()));
        }
        return examples;
    }

    static List<LabeledExample> readSplits(final Path path, final List<String> splits) throws IOException {
        final JsonNode root = JSON.readTree(path.toFile());
        final List<LabeledExample> examples = new ArrayList<>();
        for (String split : splits) {
            final JsonNode list = root.get(split);
            if (list == null || !list.isArray()) {
                final List<String> names = new ArrayList<>();
                root.fieldNames().forEachRemaining(names::add);
                throw new IOException(path + ": no split '" + split + "' (it has " + names + ")");
            }
            for (JsonNode pair : list) {
                if (!pair.isArray() || pair.size() < 2) {
                    throw new IOException(path + ": split " + split + " holds " + pair + ", not a [text, label] pair");
                }
                examples.add(new LabeledExample(pair.get(0).asText().strip(), pair.get(1).asText().strip()));
            }
        }
        return examples;
    }
}
