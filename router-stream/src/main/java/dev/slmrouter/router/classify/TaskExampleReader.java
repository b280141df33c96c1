package dev.slmrouter.router.classify;

import dev.slmrouter.events.TaskType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads labeled task examples from a tab-separated file. Format, one example per line:
 * {@code task_type<TAB>prompt[<TAB>attributes]}. Blank lines and lines starting with {@code #} are
 * skipped; a first line whose first column is {@code task_type} is a header and skipped too. The prompt
 * may contain the escapes {@code \n}, {@code \t} and {@code \\} so that multi-line prompts fit on one
 * line. The optional attributes column is a comma-separated list of {@code labels} (the request carried
 * a labels list), {@code schema} (it carried a response_schema) and {@code messages=N} (it had N
 * messages). Any malformed line fails the whole read with a {@link TaskExampleFormatException} naming
 * the line, because silently skipping a mislabeled example would quietly skew the model.
 */
public final class TaskExampleReader {

    private static final String HEADER_FIRST_COLUMN = "task_type";

    private TaskExampleReader() {
    }

    /** Reads a UTF-8 file. */
    public static List<TaskExample> read(Path path) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(reader, path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read task examples from " + path, e);
        }
    }

    /** Reads all examples from {@code reader}; {@code source} names it in error messages. */
    public static List<TaskExample> read(Reader reader, String source) {
        BufferedReader lines = reader instanceof BufferedReader br ? br : new BufferedReader(reader);
        List<TaskExample> examples = new ArrayList<>();
        int lineNumber = 0;
        boolean seenContent = false;
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1); // a BOM left by some editors must not become part of the header
                }
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                boolean first = !seenContent;
                seenContent = true;
                if (first && firstColumn(line).strip().equalsIgnoreCase(HEADER_FIRST_COLUMN)) {
                    continue;
                }
                examples.add(parseLine(line, source, lineNumber));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read task examples from " + source, e);
        }
        return List.copyOf(examples);
    }

    private static String firstColumn(String line) {
        int tab = line.indexOf('\t');
        return tab < 0 ? line : line.substring(0, tab);
    }

    private static TaskExample parseLine(String line, String source, int lineNumber) {
        String[] columns = line.split("\t", -1);
        if (columns.length < 2) {
            throw new TaskExampleFormatException(source, lineNumber,
                    "expected task_type<TAB>prompt[<TAB>attributes], found no tab");
        }
        if (columns.length > 3) {
            throw new TaskExampleFormatException(source, lineNumber,
                    "expected at most 3 tab-separated columns, found " + columns.length
                            + " (write a tab inside a prompt as \\t)");
        }
        TaskType type = parseType(columns[0].strip(), source, lineNumber);
        String prompt = unescape(columns[1]).strip();
        if (prompt.isEmpty()) {
            throw new TaskExampleFormatException(source, lineNumber, "empty prompt");
        }
        boolean labels = false;
        boolean schema = false;
        int messages = 1;
        if (columns.length == 3) {
            for (String raw : columns[2].split(",")) {
                String attribute = raw.strip().toLowerCase(Locale.ROOT);
                if (attribute.isEmpty()) {
                    continue;
                }
                if (attribute.equals("labels")) {
                    labels = true;
                } else if (attribute.equals("schema")) {
                    schema = true;
                } else if (attribute.startsWith("messages=")) {
                    messages = parseMessages(attribute.substring("messages=".length()), source, lineNumber);
                } else {
                    throw new TaskExampleFormatException(source, lineNumber, "unknown attribute '" + raw.strip()
                            + "' (expected labels, schema or messages=N)");
                }
            }
        }
        return new TaskExample(type, prompt, labels, schema, messages);
    }

    private static TaskType parseType(String name, String source, int lineNumber) {
        for (TaskType type : TaskType.values()) {
            if (type != TaskType.UNKNOWN && type.name().equalsIgnoreCase(name)) {
                return type;
            }
        }
        String expected = Arrays.stream(TaskType.values())
                .filter(t -> t != TaskType.UNKNOWN)
                .map(Enum::name)
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
        throw new TaskExampleFormatException(source, lineNumber,
                "unknown task type '" + name + "' (expected one of " + expected + ")");
    }

    private static int parseMessages(String value, String source, int lineNumber) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the line number
        }
        throw new TaskExampleFormatException(source, lineNumber,
                "messages=" + value + " is not a positive integer");
    }

    private static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                switch (next) {
                    case 'n' -> { out.append('\n'); i++; }
                    case 't' -> { out.append('\t'); i++; }
                    case '\\' -> { out.append('\\'); i++; }
                    default -> out.append(c); // a lone backslash (e.g. a regex in a prompt) stays as written
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
