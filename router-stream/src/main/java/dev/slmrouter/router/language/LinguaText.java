package dev.slmrouter.router.language;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.internal.Alphabet;
import com.github.pemistahl.lingua.internal.Constant;
import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first two steps of Lingua 1.2.2's detection, as {@link CompactLinguaDetector} takes them: the text's clean-up
 * ({@code cleanUpInputText}) and its words ({@code splitTextIntoWords}).
 *
 * <p>The logogram scripts are read from Lingua's own classes ({@code LANGUAGES_SUPPORTING_LOGOGRAMS}, no models are
 * loaded): they are Lingua's by construction.
 */
final class LinguaText {

    /** Scripts whose characters are words of their own (Lingua's logograms). */
    private static final boolean[] LOGOGRAM_SCRIPTS = logogramScripts();

    private LinguaText() {
    }

    private static boolean[] logogramScripts() {
        final boolean[] logogramScript = new boolean[UnicodeScript.values().length];
        for (Language language : Constant.INSTANCE.getLANGUAGES_SUPPORTING_LOGOGRAMS()) {
            for (Alphabet alphabet : language.getAlphabets$lingua()) {
                final UnicodeScript script = LinguaRules.scriptOf(alphabet);
                if (script != null) {
                    logogramScript[script.ordinal()] = true;
                }
            }
        }
        return logogramScript;
    }

    /** Lingua's cleanUpInputText: trim, lower case, no punctuation, no numbers, white space runs to one space. */
    static String cleanUp(final String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isKotlinWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isKotlinWhitespace(text.charAt(end - 1))) {
            end--;
        }
        final String lower = text.substring(start, end).toLowerCase(Locale.ROOT);
        final StringBuilder out = new StringBuilder(lower.length());
        boolean inSpace = false;
        for (int i = 0; i < lower.length(); ) {
            final int cp = lower.codePointAt(i);
            final int next = i + Character.charCount(cp);
            if (isPunctuationOrNumber(cp)) {
                i = next; // removed before white space is collapsed: "a - b" is "a b"
                continue;
            }
            if (cp == ' ' || cp == '\t' || cp == '\n' || cp == 0x0B || cp == '\f' || cp == '\r') { // regex \s
                if (!inSpace) {
                    out.append(' ');
                    inSpace = true;
                }
            } else {
                inSpace = false;
                out.append(lower, i, next);
            }
            i = next;
        }
        return out.toString();
    }

    /** Kotlin's Char.isWhitespace() on the JVM, which String.trim() uses. */
    private static boolean isKotlinWhitespace(final char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** Regex {@code \p{P}} or {@code \p{N}}: what Lingua's clean-up removes (the trigram stage too). */
    static boolean isPunctuationOrNumber(final int cp) {
        switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                    Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Whether a code point of {@code text} is a letter: a cleaned text without one gets no answer. */
    static boolean hasLetter(final String text) {
        for (int i = 0; i < text.length(); ) {
            final int cp = text.codePointAt(i);
            if (Character.isLetter(cp)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /** Lingua's splitTextIntoWords: split at ' ', each logogram a word of its own. */
    static List<String> splitIntoWords(final String text) {
        final List<String> words = new ArrayList<>();
        int nextWordStart = 0;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == ' ') {
                if (nextWordStart != i) {
                    words.add(text.substring(nextWordStart, i));
                }
                nextWordStart = i + 1;
            } else if (!isKotlinWhitespace(c) && LOGOGRAM_SCRIPTS[UnicodeScript.of(c).ordinal()]) {
                if (nextWordStart != i) {
                    words.add(text.substring(nextWordStart, i));
                }
                words.add(String.valueOf(c));
                nextWordStart = i + 1;
            }
        }
        if (nextWordStart != text.length()) {
            words.add(text.substring(nextWordStart));
        }
        return words;
    }
}
