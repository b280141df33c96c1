package dev.slmrouter.simulators.common;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the allowed labels of a classification prompt that does not use vLLM's {@code structured_outputs}.
 * Recognized: a line containing {@code labels:}, {@code categories:}, {@code classes:}, {@code choices:},
 * {@code options:} or {@code one of:} (case-insensitive) followed by a JSON array or by labels separated by
 * commas, {@code |} or " or ", e.g. {@code Answer with one of: billing, technical, other}. Quotes and
 * backticks around labels are dropped. Fewer than two labels means "not a classification prompt".
 */
public final class LabelFinder {

    private static final Pattern LIST = Pattern.compile(
            "(?i)\\b(?:labels|categories|classes|choices|options|one of)\\s*:\\s*([^\\n]+)");
    private static final Pattern SEPARATORS = Pattern.compile("\\s*(?:,|\\||\\bor\\b)\\s*");

    private LabelFinder() {
    }

    public static List<String> find(final String prompt) {
        final Matcher m = LIST.matcher(Markers.strip(prompt));
        List<String> found = List.of();
        while (m.find()) {
            final List<String> labels = parse(m.group(1));
            if (labels.size() >= 2) {
                found = labels; // the last list wins: instructions usually end with the allowed answers
            }
        }
        return found;
    }

    private static List<String> parse(final String raw) {
        String list = raw.trim();
        if (list.startsWith("[") && list.contains("]")) {
            list = list.substring(1, list.indexOf(']'));
        }
        final List<String> labels = new ArrayList<>();
        for (final String part : SEPARATORS.split(list)) {
            final String label = clean(part);
            if (!label.isEmpty() && !labels.contains(label)) {
                labels.add(label);
            }
        }
        return labels;
    }

    private static String clean(final String part) {
        String label = part.trim();
        while (label.endsWith(".") || label.endsWith(";")) {
            label = label.substring(0, label.length() - 1).trim();
        }
        return label.replaceAll("^[\"'`]+|[\"'`]+$", "");
    }
}
