package dev.slmrouter.worker.answer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a model's answer to one of the allowed labels of a classification request: an exact match
 * first, then a forgiving one that ignores case, surrounding whitespace and quotes, runs of inner
 * whitespace and one trailing period ({@code " Positive."} is {@code positive}). If the forgiving
 * form of the answer fits two labels (labels that differ only in case), nothing is chosen: guessing
 * would hide an ambiguity the caller should see.
 */
public final class LabelMatcher {

    private final Set<String> exact;
    private final Map<String, String> normalized = new HashMap<>();
    private final Set<String> ambiguous = new HashSet<>();

    public LabelMatcher(final List<String> labels) {
        this.exact = Set.copyOf(labels);
        for (String label : exact) {
            final String key = normalize(label);
            if (normalized.putIfAbsent(key, label) != null) {
                ambiguous.add(key);
            }
        }
    }

    /** The allowed label this answer names, or empty when it names none (or more than one). */
    public Optional<String> match(final String answer) {
        if (answer == null) {
            return Optional.empty();
        }
        if (exact.contains(answer)) {
            return Optional.of(answer);
        }
        final String key = normalize(answer);
        return ambiguous.contains(key) ? Optional.empty() : Optional.ofNullable(normalized.get(key));
    }

    static String normalize(final String text) {
        String s = text.strip();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        while (s.length() >= 2 && isQuote(s.charAt(0)) && isQuote(s.charAt(s.length() - 1))) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static boolean isQuote(final char c) {
        return c == '"' || c == '\'' || c == '`' || c == '\u201C' || c == '\u201D' || c == '\u2018' || c == '\u2019';
    }
}
