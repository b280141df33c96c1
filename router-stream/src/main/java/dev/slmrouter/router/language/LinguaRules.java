package dev.slmrouter.router.language;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.internal.Alphabet;
import com.github.pemistahl.lingua.internal.Constant;
import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The rule steps of Lingua 1.2.2's detection, as {@link CompactLinguaDetector} takes them, over the configured
 * languages (indexes as the detector's, at most 64, sets of them as bit masks): {@code detectLanguageWithRules}
 * ({@link #detectWithRules}) and {@code filterLanguagesByRules} ({@link #filterByRules}).
 *
 * <p>The tables of the scripts, unique characters and characteristic characters are read from Lingua's own classes
 * (no models are loaded): they are Lingua's by construction. Immutable after construction.
 */
final class LinguaRules {

    private static final UnicodeScript[] SCRIPTS = UnicodeScript.values();

    private final int width;
    private final long all;
    /** Per Lingua alphabet (enum order): its script, null for NONE, and the configured languages writing it. */
    private final UnicodeScript[] alphabetScripts;
    private final long[] writtenIn;
    /** Per Unicode script: the configured language that is the only one (of all Lingua's) writing it, else -1. */
    private final int[] onlyLanguageOfScript = new int[SCRIPTS.length];
    /** Indexes of Chinese and Japanese for the rules: their configured index, else a slot past the configured ones. */
    private final int chinese;
    private final int japanese;
    /** Per configured language: its unique characters (null if none). */
    private final String[] uniqueCharacters;
    /** Lingua's CHARS_TO_LANGUAGES_MAPPING, restricted to the configured languages, in its order. */
    private final String[] characteristicChars;
    private final long[] characteristicLanguages;

    /** The rules over {@code languages}, the configured languages in index order (2 to 64 of them). */
    LinguaRules(final Language[] languages) {
        this.width = languages.length;
        this.all = width == 64 ? -1L : (1L << width) - 1;
        uniqueCharacters = new String[width];
        for (int l = 0; l < width; l++) {
            final String unique = languages[l].getUniqueCharacters$lingua();
            uniqueCharacters[l] = unique == null || unique.isBlank() ? null : unique;
        }
        final List<Language> configured = List.of(languages);
        chinese = configured.contains(Language.CHINESE) ? configured.indexOf(Language.CHINESE) : width;
        japanese = configured.contains(Language.JAPANESE) ? configured.indexOf(Language.JAPANESE) : width + 1;

        final Alphabet[] alphabets = Alphabet.values();
        alphabetScripts = new UnicodeScript[alphabets.length];
        writtenIn = new long[alphabets.length];
        for (Alphabet alphabet : alphabets) {
            alphabetScripts[alphabet.ordinal()] = scriptOf(alphabet);
            for (int l = 0; l < width; l++) {
                if (languages[l].getAlphabets$lingua().contains(alphabet)) {
                    writtenIn[alphabet.ordinal()] |= 1L << l;
                }
            }
        }
        Arrays.fill(onlyLanguageOfScript, -1);
        for (Map.Entry<Alphabet, Language> entry : Alphabet.Companion.allSupportingExactlyOneLanguage().entrySet()) {
            final int l = configured.indexOf(entry.getValue());
            final UnicodeScript script = scriptOf(entry.getKey());
            if (l >= 0 && script != null) {
                onlyLanguageOfScript[script.ordinal()] = l;
            }
        }
        final List<String> chars = new ArrayList<>();
        final List<Long> masks = new ArrayList<>();
        for (Map.Entry<String, EnumSet<Language>> entry : Constant.INSTANCE.getCHARS_TO_LANGUAGES_MAPPING().entrySet()) {
            long mask = 0;
            for (int l = 0; l < width; l++) {
                if (entry.getValue().contains(languages[l])) {
                    mask |= 1L << l;
                }
            }
            chars.add(entry.getKey());
            masks.add(mask);
        }
        characteristicChars = chars.toArray(String[]::new);
        characteristicLanguages = masks.stream().mapToLong(Long::longValue).toArray();
    }

    /** Lingua's Alphabet.script: the Unicode script of the same name, null for NONE. */
    static UnicodeScript scriptOf(final Alphabet alphabet) {
        try {
            return UnicodeScript.forName(alphabet.name());
        } catch (IllegalArgumentException none) {
            return null;
        }
    }

    /** Lingua's detectLanguageWithRules: the configured language index the words decide for, or -1 (UNKNOWN). */
    int detectWithRules(final List<String> words) {
        final int slots = width + 2; // configured languages, then Chinese and Japanese when not configured
        final int[] totals = new int[width];
        int unknown = 0;
        final int[] counts = new int[slots];
        for (String word : words) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < word.length(); i++) {
                final char c = word.charAt(i);
                final UnicodeScript script = UnicodeScript.of(c);
                final int only = onlyLanguageOfScript[script.ordinal()];
                if (only >= 0) {
                    counts[only]++;
                } else if (script == UnicodeScript.HAN) {
                    counts[chinese]++;
                } else if (script == UnicodeScript.HIRAGANA || script == UnicodeScript.KATAKANA) {
                    counts[japanese]++; // Lingua's isJapaneseAlphabet (Han is taken as Chinese just above)
                } else if (script == UnicodeScript.LATIN || script == UnicodeScript.CYRILLIC
                        || script == UnicodeScript.DEVANAGARI) {
                    for (int l = 0; l < width; l++) {
                        if (uniqueCharacters[l] != null && uniqueCharacters[l].indexOf(c) >= 0) {
                            counts[l]++;
                        }
                    }
                }
            }
            int present = 0;
            int first = -1;
            int second = -1;
            for (int s = 0; s < slots; s++) {
                if (counts[s] == 0) {
                    continue;
                }
                present++;
                if (first < 0 || counts[s] > counts[first]) {
                    second = first;
                    first = s;
                } else if (second < 0 || counts[s] > counts[second]) {
                    second = s;
                }
            }
            if (present == 0) {
                unknown++;
            } else if (present == 1) {
                if (first < width) {
                    totals[first]++;
                } else {
                    unknown++;
                }
            } else if (counts[first] > counts[second] && first < width) {
                totals[first]++;
            } else {
                unknown++;
            }
        }
        final boolean unknownKept = unknown > 0 && unknown >= 0.5 * words.size();
        int keys = unknownKept ? 1 : 0;
        int first = -1; // -2 stands for UNKNOWN
        int firstCount = unknownKept ? unknown : -1;
        if (unknownKept) {
            first = -2;
        }
        int secondCount = -1;
        for (int l = 0; l < width; l++) {
            if (totals[l] == 0) {
                continue;
            }
            keys++;
            if (totals[l] > firstCount) {
                secondCount = firstCount;
                firstCount = totals[l];
                first = l;
            } else if (totals[l] > secondCount) {
                secondCount = totals[l];
            }
        }
        if (keys == 0) {
            return -1;
        }
        if (keys == 1) {
            return first == -2 ? -1 : first;
        }
        if (keys == 2 && !unknownKept && chinese < width && japanese < width && totals[chinese] > 0
                && totals[japanese] > 0) {
            return japanese;
        }
        if (firstCount == secondCount || first == -2) {
            return -1;
        }
        return first;
    }

    /** Lingua's filterLanguagesByRules: the candidates (a mask of configured language indexes). */
    long filterByRules(final List<String> words) {
        // Per alphabet (Lingua's enum order) the words written wholly in it, and the order alphabets were first seen.
        final int[] detected = new int[alphabetScripts.length];
        final int[] firstSeen = new int[alphabetScripts.length];
        int seen = 0;
        for (String word : words) {
            for (int a = 0; a < alphabetScripts.length; a++) {
                if (alphabetScripts[a] != null && wholly(word, alphabetScripts[a])) {
                    if (detected[a]++ == 0) {
                        firstSeen[seen++] = a;
                    }
                    break;
                }
            }
        }
        if (seen == 0) {
            return all;
        }
        if (seen > 1) {
            boolean allEqual = true;
            for (int i = 1; i < seen; i++) {
                allEqual &= detected[firstSeen[i]] == detected[firstSeen[0]];
            }
            if (allEqual) {
                return all;
            }
        }
        int most = firstSeen[0]; // maxByOrNull over a LinkedHashMap: the first alphabet seen among the most frequent
        for (int i = 1; i < seen; i++) {
            if (detected[firstSeen[i]] > detected[most]) {
                most = firstSeen[i];
            }
        }
        final long filtered = writtenIn[most];
        final int[] languageCounts = new int[width];
        for (int m = 0; m < characteristicChars.length; m++) {
            final long relevant = characteristicLanguages[m] & filtered;
            final String characters = characteristicChars[m];
            for (String word : words) {
                for (int i = 0; i < characters.length(); i++) {
                    if (word.indexOf(characters.charAt(i)) >= 0) {
                        for (long r = relevant; r != 0; r &= r - 1) {
                            languageCounts[Long.numberOfTrailingZeros(r)]++;
                        }
                    }
                }
            }
        }
        long subset = 0;
        for (int l = 0; l < width; l++) {
            if (languageCounts[l] > 0 && languageCounts[l] >= words.size() / 2.0) {
                subset |= 1L << l;
            }
        }
        return subset != 0 ? subset : filtered;
    }

    /** Lingua's Alphabet.matches(word): every code point of the word in the script. */
    private static boolean wholly(final String word, final UnicodeScript script) {
        for (int i = 0; i < word.length(); ) {
            final int cp = word.codePointAt(i);
            if (UnicodeScript.of(cp) != script) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }
}
