package dev.slmrouter.demo.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads BANKING77 (PolyAI, CC BY 4.0): English online-banking customer messages, each with one of 77
 * intents, as CSV with the header {@code text,category} ({@code train.csv}, {@code test.csv}). The file is
 * RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; lines end in CRLF or LF.
 * Texts are trimmed (a few start with blank lines). The labels are the categories in order of first
 * appearance.
 */
public final class Banking77 {

    public static final String NAME = "banking77";

    private Banking77() {
    }

    public static LabeledData read(final Path csv) {
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return read(reader, csv);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + csv, e);
        }
    }

    static LabeledData read(final Reader reader, final Path source) throws IOException {
        final CsvRecords records = new CsvRecords(reader, source);
        final List<String> header = records.next();
        if (header == null || header.size() != 2 || !stripBom(header.get(0)).equals("text")
                || !header.get(1).equals("category")) {
            throw new DataSetFormatException(source, 1, "expected the header text,category, found " + header);
        }
        final Set<String> labels = new LinkedHashSet<>();
        final List<LabeledText> texts = new ArrayList<>();
        for (List<String> row = records.next(); row != null; row = records.next()) {
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue; // a trailing empty line
            }
            if (row.size() != 2) {
                throw new DataSetFormatException(source, records.recordLine(),
                        "expected 2 fields (text,category), found " + row.size());
            }
            final String text = row.get(0).strip();
            final String label = row.get(1).strip();
            if (text.isEmpty() || label.isEmpty()) {
                throw new DataSetFormatException(source, records.recordLine(), "empty text or category");
            }
            labels.add(label);
            texts.add(new LabeledText(text, label, "en"));
        }
        if (texts.isEmpty()) {
            throw new DataSetFormatException(source, 0, "no rows after the header");
        }
        return new LabeledData(NAME, List.copyOf(labels), texts);
    }

    private static String stripBom(final String field) {
        return field.startsWith("\uFEFF") ? field.substring(1) : field;
    }

    /** RFC 4180 records from a reader, one at a time, remembering the line each record started on. */
    private static final class CsvRecords {

        private final Reader reader;
        private final Path source;
        private int line = 1;
        private int recordLine;
        private int pending = -2; // -2: nothing pushed back

        CsvRecords(final Reader reader, final Path source) {
            this.reader = reader;
            this.source = source;
        }

        int recordLine() {
            return recordLine;
        }

        /** The next record's fields, or null at the end of the input. */
        List<String> next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            recordLine = line;
            final List<String> fields = new ArrayList<>();
            final StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean fieldStart = true;
            while (true) {
                if (quoted) {
                    if (c == -1) {
                        throw new DataSetFormatException(source, recordLine, "a quoted field is not closed");
                    }
                    if (c == '"') {
                        final int following = read();
                        if (following == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            c = following;
                            continue;
                        }
                    } else {
                        field.append((char) c);
                    }
                } else if (c == -1 || c == '\n' || c == '\r') {
                    if (c == '\r') {
                        final int following = read();
                        if (following != '\n') {
                            pending = following;
                        }
                    }
                    fields.add(field.toString());
                    return fields;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldStart = true;
                    c = read();
                    continue;
                } else if (c == '"' && fieldStart) {
                    quoted = true;
                } else {
                    field.append((char) c);
                }
                fieldStart = false;
                c = read();
            }
        }

        private int read() throws IOException {
            final int c;
            if (pending != -2) {
                c = pending;
                pending = -2;
                return c;
            }
            c = reader.read();
            if (c == '\n') {
                line++;
            }
            return c;
        }
    }
}
