package dev.slmrouter.simulators.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the prompt markers that script a simulator from inside a request, so a test that only controls
 * the prompt (e.g. through Kafka) still decides each answer. Markers (several may be combined):
 * {@code [sim:confidence=0.4]}, {@code [sim:schema-break]}, {@code [sim:truncate]}, {@code [sim:refuse]},
 * {@code [sim:error=500]}, {@code [sim:label=billing]}, {@code [sim:tokens=120]}, {@code [sim:hang]}.
 * See {@link Directive} for their meaning. Unknown or malformed markers are ignored, as a real model would.
 */
public final class Markers {

    private static final Pattern MARKER = Pattern.compile("\\[sim:([a-z-]+)(?:=([^\\]]*))?\\]");

    private Markers() {
    }

    public static Directive parse(final String prompt) {
        Directive d = Directive.NONE;
        final Matcher m = MARKER.matcher(prompt);
        while (m.find()) {
            d = d.merge(one(m.group(1).toLowerCase(Locale.ROOT), m.group(2)));
        }
        return d;
    }

    /** The prompt without markers, so markers never leak into detected labels. */
    public static String strip(final String prompt) {
        return MARKER.matcher(prompt).replaceAll("");
    }

    private static Directive one(final String name, final String value) {
        try {
            switch (name) {
                case "confidence":
                    return Directive.confidence(Double.parseDouble(value.trim()));
                case "schema-break":
                    return Directive.schemaBroken();
                case "truncate":
                    return Directive.truncated();
                case "refuse":
                    return Directive.refusal();
                case "error":
                    return Directive.error(Integer.parseInt(value.trim()));
                case "label":
                    return Directive.NONE.withLabel(value.trim());
                case "tokens":
                    return Directive.NONE.withOutputTokens(Math.max(1, Integer.parseInt(value.trim())));
                case "hang":
                    return Directive.hung();
                default:
                    return Directive.NONE;
            }
        } catch (RuntimeException malformed) {
            return Directive.NONE;
        }
    }
}
