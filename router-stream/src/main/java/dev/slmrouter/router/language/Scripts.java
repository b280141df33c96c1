package dev.slmrouter.router.language;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writing systems and the languages (of those Lingua knows) written in them, and a one-pass count of
 * which script a text is written in. Most scripts other than Latin are written by one language or a
 * handful, so the script alone places a text (Japanese kana, Korean Hangul, Greek, Hebrew, Thai, ...)
 * or narrows the candidates (Cyrillic, Arabic, Devanagari).
 *
 * <p>Counting follows Lingua's rules engine: a run of letters of one script counts as one word for that
 * script, and every Han or kana character counts as a word of its own (those scripts do not separate
 * words with spaces, and one character carries about as much evidence as a short word).
 */
public final class Scripts {

    /** The scripts told apart. KANA is Hiragana and Katakana together (Japanese only). */
    public enum Script {
        LATIN, CYRILLIC, ARABIC, HAN, KANA, HANGUL, GREEK, HEBREW, THAI, DEVANAGARI, BENGALI, GEORGIAN,
        ARMENIAN, GUJARATI, GURMUKHI, TAMIL, TELUGU, OTHER
    }

    /**
     * The languages Lingua 1.2 knows that are not written in Latin script, by script; the first one is
     * the script's main language, named when none of the configured languages writes the script. Han is
     * listed for Chinese only: Japanese is told by its kana.
     */
    private static final Map<Script, List<String>> NON_LATIN = new EnumMap<>(Map.ofEntries(
            Map.entry(Script.CYRILLIC, List.of("ru", "uk", "bg", "be", "sr", "mk", "kk", "mn")),
            Map.entry(Script.ARABIC, List.of("ar", "fa", "ur")),
            Map.entry(Script.HAN, List.of("zh")),
            Map.entry(Script.KANA, List.of("ja")),
            Map.entry(Script.HANGUL, List.of("ko")),
            Map.entry(Script.GREEK, List.of("el")),
            Map.entry(Script.HEBREW, List.of("he")),
            Map.entry(Script.THAI, List.of("th")),
            Map.entry(Script.DEVANAGARI, List.of("hi", "mr")),
            Map.entry(Script.BENGALI, List.of("bn")),
            Map.entry(Script.GEORGIAN, List.of("ka")),
            Map.entry(Script.ARMENIAN, List.of("hy")),
            Map.entry(Script.GUJARATI, List.of("gu")),
            Map.entry(Script.GURMUKHI, List.of("pa")),
            Map.entry(Script.TAMIL, List.of("ta")),
            Map.entry(Script.TELUGU, List.of("te"))));

    private static final Script[] SCRIPTS = Script.values();

    private Scripts() {
    }

    /** The script a language (ISO 639-1) is written in: Latin unless listed above. */
    public static Script scriptOf(final String isoCode) {
        final String code = isoCode.trim().toLowerCase(Locale.ROOT);
        for (Map.Entry<Script, List<String>> entry : NON_LATIN.entrySet()) {
            if (entry.getValue().contains(code)) {
                return entry.getKey();
            }
        }
        return Script.LATIN;
    }

    /** The language named when a text is in {@code script} and no configured language writes it; null for Latin/other. */
    public static String mainLanguage(final Script script) {
        final List<String> languages = NON_LATIN.get(script);
        return languages == null ? null : languages.get(0);
    }

    /** Which of {@code languages} are written in {@code script}, in their order. */
    public static List<String> writtenIn(final Script script, final Collection<String> languages) {
        final List<String> result = new ArrayList<>();
        for (String language : languages) {
            if (scriptOf(language) == script) {
                result.add(language);
            }
        }
        return result;
    }

    /** The script of one letter (a code point for which {@link Character#isLetter(int)} holds). */
    static Script scriptOfLetter(final int codePoint) {
        if (codePoint < 0x250) {
            return Script.LATIN; // Basic Latin to Latin Extended-B: the common case, no table search
        }
        return switch (Character.UnicodeScript.of(codePoint)) {
            case LATIN -> Script.LATIN;
            case CYRILLIC -> Script.CYRILLIC;
            case ARABIC -> Script.ARABIC;
            case HAN -> Script.HAN;
            case HIRAGANA, KATAKANA -> Script.KANA;
            case HANGUL -> Script.HANGUL;
            case GREEK -> Script.GREEK;
            case HEBREW -> Script.HEBREW;
            case THAI -> Script.THAI;
            case DEVANAGARI -> Script.DEVANAGARI;
            case BENGALI -> Script.BENGALI;
            case GEORGIAN -> Script.GEORGIAN;
            case ARMENIAN -> Script.ARMENIAN;
            case GUJARATI -> Script.GUJARATI;
            case GURMUKHI -> Script.GURMUKHI;
            case TAMIL -> Script.TAMIL;
            case TELUGU -> Script.TELUGU;
            default -> Script.OTHER;
        };
    }

    /**
     * Word counts per script over the first {@code maxChars} characters of {@code text}, indexed by
     * {@link Script#ordinal()}.
     */
    public static int[] wordCounts(final String text, final int maxChars) {
        final int[] counts = new int[SCRIPTS.length];
        final int end = Math.min(text.length(), maxChars);
        Script previous = null;
        for (int i = 0; i < end; ) {
            final int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                previous = null;
                continue;
            }
            final Script script = scriptOfLetter(cp);
            if (script == Script.HAN || script == Script.KANA) {
                counts[script.ordinal()]++;
                previous = null;
            } else if (script != previous) {
                counts[script.ordinal()]++;
                previous = script;
            }
        }
        return counts;
    }
}
