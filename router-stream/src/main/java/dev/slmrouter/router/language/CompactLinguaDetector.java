package dev.slmrouter.router.language;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.internal.Alphabet;
import com.github.pemistahl.lingua.internal.Constant;
import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lingua 1.2.2's own detection ({@code LanguageDetector.computeLanguageConfidenceValues}), computed over the
 * primitive tables of {@link NgramModels} instead of Lingua's in-heap models (millions of {@code String} keys), with
 * the same answers: the router's last language stage, without loading Lingua's models at all.
 *
 * <p>The steps, each as Lingua 1.2.2 takes it (its source and the jar's bytecode):
 * <ol>
 *   <li>Clean-up: trim (Kotlin's white space), lower case ({@code Locale.ROOT}), remove {@code \p{P}}, remove
 *       {@code \p{N}}, collapse runs of {@code \s} to one space. Empty, or no letter: no answer.</li>
 *   <li>Words: split at spaces, every logogram (Han, kana, Hangul) a word of its own.</li>
 *   <li>Rules ({@code detectLanguageWithRules}): per word, the languages its characters point to (a script only one
 *       language writes, Han for Chinese, kana for Japanese, a language's unique characters); a language that wins
 *       the words outright is the answer, with confidence 1.</li>
 *   <li>Candidates ({@code filterLanguagesByRules}): the languages writing the words' most frequent alphabet,
 *       narrowed to those whose characteristic characters ({@code CHARS_TO_LANGUAGES_MAPPING}) occur in at least
 *       half the words. One candidate left: the answer, with confidence 1.</li>
 *   <li>N-grams: for a cleaned text below 120 characters in high accuracy mode, orders 1 to 5 (up to the text's
 *       length), else (and in low accuracy mode, where a text below 3 characters gets no answer) order 3 alone.
 *       Per order and candidate, the float sum, over the text's distinct n-grams of only letters, of the log of
 *       the relative frequency of the n-gram or, when the language lacks it, of its longest prefix the language
 *       has; a language whose sum is not below 0 has no evidence in that order.</li>
 *   <li>With order 1: per language (among those with unigram evidence, or all candidates if none has any) the
 *       number of the text's distinct unigrams it knows; each candidate's sum over the orders is divided by it.
 *       Sums of 0 are dropped.</li>
 *   <li>Confidence per language: the best (highest) sum divided by the language's sum, in float, sorted by
 *       descending confidence then by Lingua's language order.</li>
 * </ol>
 * Lingua sums floats in the iteration order of the {@code HashSet} holding the text's n-grams; this class sums in
 * the same order (see {@link #hashSetOrder}), so the sums, and the confidences, are Lingua's bit for bit (a set in
 * which 8 or more n-grams share a bucket would be ordered differently by Java's tree bins; with at most about a
 * hundred n-grams per order that does not happen in practice, and only the last bits of a sum would change).
 *
 * <p>The tables of the scripts, unique characters and characteristic characters are read from Lingua's own classes
 * (no models are loaded): they are Lingua's by construction.
 *
 * <p>{@link #detect} answers as {@link LinguaLanguageDetector#detect} does: the best language and the margin over
 * the runner-up, {@code 1 - second/best} on the confidence values (1.0 when only one language is possible).
 * Thread-safe after construction; allocates only small per-call arrays.
 */
public final class CompactLinguaDetector implements LanguageDetector {

    /** Lingua scores a cleaned text of this length or more by trigrams alone. */
    static final int HIGH_ACCURACY_MODE_MAX_TEXT_LENGTH = 120;

    private static final UnicodeScript[] SCRIPTS = UnicodeScript.values();

    private final NgramModels models;
    private final boolean highAccuracy;
    private final int width;
    private final String[] isoCodes;
    /** Lingua's language order (enum ordinal) per index: the tie-break of equal confidences. */
    private final int[] linguaOrder;
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
    /** Scripts whose characters are words of their own (Lingua's logograms). */
    private final boolean[] logogramScript = new boolean[SCRIPTS.length];

    /**
     * A detector over {@code models}' languages: high accuracy (orders 1 to 5, models of order 5 needed) or low
     * accuracy (trigrams alone, models of order 3 enough), as Lingua's two modes.
     *
     * @throws IllegalArgumentException naming a code Lingua does not know, or for models of too low an order
     */
    public CompactLinguaDetector(final NgramModels models, final boolean highAccuracy) {
        if (models.maxOrder() < (highAccuracy ? NgramModels.MAX_ORDER : 3)) {
            throw new IllegalArgumentException((highAccuracy ? "high" : "low") + " accuracy needs n-gram models of"
                    + " orders 1 to " + (highAccuracy ? NgramModels.MAX_ORDER : 3) + ", got 1 to " + models.maxOrder());
        }
        this.models = models;
        this.highAccuracy = highAccuracy;
        this.isoCodes = models.languages().toArray(String[]::new);
        this.width = isoCodes.length;
        if (width < 2) {
            throw new IllegalArgumentException("Language detection needs at least two languages, got " + models.languages());
        }
        this.all = width == 64 ? -1L : (1L << width) - 1;
        final Language[] languages = new Language[width];
        linguaOrder = new int[width];
        uniqueCharacters = new String[width];
        for (int l = 0; l < width; l++) {
            languages[l] = Language.getByIsoCode639_1(LinguaLanguageDetector.isoCode(isoCodes[l]));
            linguaOrder[l] = languages[l].ordinal();
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
        java.util.Arrays.fill(onlyLanguageOfScript, -1);
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
        for (Language language : Constant.INSTANCE.getLANGUAGES_SUPPORTING_LOGOGRAMS()) {
            for (Alphabet alphabet : language.getAlphabets$lingua()) {
                final UnicodeScript script = scriptOf(alphabet);
                if (script != null) {
                    logogramScript[script.ordinal()] = true;
                }
            }
        }
    }

    /** Loads the models of {@code isoCodes} (orders 1 to 5 for high accuracy, 1 to 3 for low) and builds the detector. */
    public static CompactLinguaDetector forLanguages(final Collection<String> isoCodes, final boolean highAccuracy) {
        return new CompactLinguaDetector(NgramModels.load(List.copyOf(isoCodes), highAccuracy ? NgramModels.MAX_ORDER : 3),
                highAccuracy);
    }

    /** Lingua's Alphabet.script: the Unicode script of the same name, null for NONE. */
    static UnicodeScript scriptOf(final Alphabet alphabet) {
        try {
            return UnicodeScript.forName(alphabet.name());
        } catch (IllegalArgumentException none) {
            return null;
        }
    }

    /** The n-gram models this detector scores over. */
    public NgramModels models() {
        return models;
    }

    @Override
    public LanguageGuess detect(final String text) {
        final int max = LinguaLanguageDetector.MAX_CHARS;
        final Confidences c = confidences(text.length() > max ? text.substring(0, max) : text);
        if (c.ranked().length == 0) {
            return LanguageGuess.UNDETECTED;
        }
        final int best = c.ranked()[0];
        final double margin = c.ranked().length > 1
                ? 1.0 - c.values()[c.ranked()[1]] / c.values()[best]
                : 1.0;
        return new LanguageGuess(isoCodes[best], margin);
    }

    /**
     * Lingua's confidence values for {@code text} (not truncated here): {@code ranked} lists the language indexes with
     * a value, best first, as Lingua sorts them; {@code values} holds each one's value (1.0 for the best).
     */
    public record Confidences(int[] ranked, double[] values) {
    }

    /** The languages, in the order of the indexes of {@link Confidences}. */
    public List<String> languages() {
        return List.of(isoCodes);
    }

    /** Lingua's {@code computeLanguageConfidenceValues} for {@code text}. */
    public Confidences confidences(final String text) {
        final String cleaned = cleanUp(text);
        if (cleaned.isEmpty() || !hasLetter(cleaned)) {
            return new Confidences(new int[0], new double[width]);
        }
        final List<String> words = splitIntoWords(cleaned);
        final int byRules = detectWithRules(words);
        if (byRules >= 0) {
            return single(byRules);
        }
        final long filtered = filterByRules(words);
        if (Long.bitCount(filtered) == 1) {
            return single(Long.numberOfTrailingZeros(filtered));
        }
        final int length = cleaned.length();
        if (!highAccuracy && length < 3) {
            return new Confidences(new int[0], new double[width]);
        }
        final boolean trigramsOnly = length >= HIGH_ACCURACY_MODE_MAX_TEXT_LENGTH || !highAccuracy;
        final char[] chars = cleaned.toCharArray();
        final float[] total = new float[width];
        int[] unigramCounts = null;
        for (int order = trigramsOnly ? 3 : 1; order <= (trigramsOnly ? 3 : NgramModels.MAX_ORDER); order++) {
            if (length < order) {
                continue;
            }
            final Ngrams ngrams = ngrams(chars, order);
            final float[] sums = new float[width];
            for (int n = 0; n < ngrams.count; n++) {
                long pending = filtered;
                for (int k = order; k >= 1 && pending != 0; k--) {
                    final int id = models.find(k, ngrams.prefixKey(n, k));
                    if (id < 0) {
                        continue;
                    }
                    for (int e = id; ; e++) {
                        final int l = models.entryLanguage(k, e);
                        if ((pending & (1L << l)) != 0) {
                            sums[l] += models.entryLogProbability(k, e);
                            pending &= ~(1L << l);
                        }
                        if (models.lastEntry(k, e)) {
                            break;
                        }
                    }
                }
            }
            long evidence = 0;
            for (int l = 0; l < width; l++) {
                if ((filtered & (1L << l)) != 0 && sums[l] < 0) {
                    evidence |= 1L << l;
                    total[l] += sums[l]; // languages without evidence in this order add 0, as in Lingua
                }
            }
            if (order == 1) {
                unigramCounts = countUnigrams(ngrams, evidence != 0 ? filtered & evidence : filtered);
            }
        }
        float highest = 0;
        boolean any = false;
        for (int l = 0; l < width; l++) {
            if ((filtered & (1L << l)) == 0) {
                continue;
            }
            if (unigramCounts != null && unigramCounts[l] > 0) {
                total[l] = total[l] / unigramCounts[l];
            }
            if (total[l] != 0 && (!any || total[l] > highest)) {
                highest = total[l];
                any = true;
            }
        }
        if (!any) {
            return new Confidences(new int[0], new double[width]);
        }
        final double[] values = new double[width];
        final List<Integer> ranked = new ArrayList<>();
        for (int l = 0; l < width; l++) {
            if ((filtered & (1L << l)) != 0 && total[l] != 0) {
                values[l] = highest / total[l]; // float division, as Lingua, then widened
                ranked.add(l);
            }
        }
        ranked.sort((a, b) -> values[a] != values[b] ? Double.compare(values[b], values[a])
                : Integer.compare(linguaOrder[a], linguaOrder[b]));
        return new Confidences(ranked.stream().mapToInt(Integer::intValue).toArray(), values);
    }

    private Confidences single(final int language) {
        final double[] values = new double[width];
        values[language] = 1.0;
        return new Confidences(new int[] {language}, values);
    }

    // ---- clean-up and words -------------------------------------------------------------------------------------

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

    /** Regex {@code \p{P}} or {@code \p{N}}. */
    private static boolean isPunctuationOrNumber(final int cp) {
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

    private static boolean hasLetter(final String text) {
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
    List<String> splitIntoWords(final String text) {
        final List<String> words = new ArrayList<>();
        int nextWordStart = 0;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == ' ') {
                if (nextWordStart != i) {
                    words.add(text.substring(nextWordStart, i));
                }
                nextWordStart = i + 1;
            } else if (!isKotlinWhitespace(c) && logogramScript[UnicodeScript.of(c).ordinal()]) {
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

    // ---- rules --------------------------------------------------------------------------------------------------

    /** Lingua's detectLanguageWithRules: the configured language index the words decide for, or -1 (UNKNOWN). */
    int detectWithRules(final List<String> words) {
        final int slots = width + 2; // configured languages, then Chinese and Japanese when not configured
        final int[] totals = new int[width];
        int unknown = 0;
        final int[] counts = new int[slots];
        for (String word : words) {
            java.util.Arrays.fill(counts, 0);
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

    // ---- n-grams ------------------------------------------------------------------------------------------------

    /** A text's distinct n-grams of one order, of letters only, in the iteration order of Lingua's HashSet. */
    private static final class Ngrams {
        final int order;
        final int count;
        /** Per n-gram: the key of its first min(order, 4) chars (packed), and for order 5 its hashed key. */
        final long[] packed;
        final long[] key5;

        Ngrams(final int order, final int count, final long[] packed, final long[] key5) {
            this.order = order;
            this.count = count;
            this.packed = packed;
            this.key5 = key5;
        }

        long prefixKey(final int n, final int length) {
            if (length == 5) {
                return key5[n];
            }
            return packed[n] >>> 16 * (Math.min(order, 4) - length);
        }
    }

    private static Ngrams ngrams(final char[] text, final int order) {
        final int windows = Math.max(0, text.length - order + 1);
        final long[] packed = new long[windows];
        final long[] key5 = order == 5 ? new long[windows] : null;
        final int[] hashes = new int[windows];
        int count = 0;
        final long[] seen = new long[Integer.highestOneBit(Math.max(8, windows) * 2) << 1];
        for (int i = 0; i < windows; i++) {
            if (!allLetters(text, i, i + order)) {
                continue;
            }
            final long key = NgramModels.key(text, i, order);
            if (!NgramModels.addIfAbsent(seen, key)) {
                continue;
            }
            packed[count] = NgramModels.key(text, i, Math.min(order, 4));
            if (key5 != null) {
                key5[count] = key;
            }
            int h = 0;
            for (int j = i; j < i + order; j++) {
                h = 31 * h + text[j]; // String.hashCode of the n-gram
            }
            hashes[count] = h;
            count++;
        }
        final int[] order2 = hashSetOrder(hashes, count);
        final long[] p = new long[count];
        final long[] k5 = key5 == null ? null : new long[count];
        for (int n = 0; n < count; n++) {
            p[n] = packed[order2[n]];
            if (k5 != null) {
                k5[n] = key5[order2[n]];
            }
        }
        return new Ngrams(order, count, p, k5);
    }

    /**
     * The order in which a {@code java.util.HashSet} filled with elements of the given hash codes, in this order and
     * all distinct, iterates them: by bucket ({@code (h ^ h >>> 16) & (capacity - 1)}, the capacity doubling from 16
     * while more than 3/4 full), insertion order within a bucket (resizing keeps it).
     */
    static int[] hashSetOrder(final int[] hashes, final int count) {
        int capacity = 16;
        while (count > capacity * 3 / 4) {
            capacity <<= 1;
        }
        final int[] bucket = new int[count];
        final Integer[] indexes = new Integer[count];
        for (int i = 0; i < count; i++) {
            final int h = hashes[i];
            bucket[i] = (h ^ (h >>> 16)) & (capacity - 1);
            indexes[i] = i;
        }
        java.util.Arrays.sort(indexes, (a, b) -> bucket[a] != bucket[b] ? Integer.compare(bucket[a], bucket[b])
                : Integer.compare(a, b));
        final int[] result = new int[count];
        for (int i = 0; i < count; i++) {
            result[i] = indexes[i];
        }
        return result;
    }

    /** Lingua's {@code \p{L}+} on {@code text[from, to)}: every code point within the window a letter. */
    private static boolean allLetters(final char[] text, final int from, final int to) {
        for (int i = from; i < to; ) {
            final int cp = Character.codePointAt(text, i, to);
            if (!Character.isLetter(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** Lingua's countUnigramsOfInputText: per language of {@code languages}, the text's unigrams it knows. */
    private int[] countUnigrams(final Ngrams unigrams, final long languages) {
        final int[] counts = new int[width];
        for (int n = 0; n < unigrams.count; n++) {
            final int id = models.find(1, unigrams.prefixKey(n, 1));
            if (id < 0) {
                continue;
            }
            for (int e = id; ; e++) {
                final int l = models.entryLanguage(1, e);
                if ((languages & (1L << l)) != 0) {
                    counts[l]++;
                }
                if (models.lastEntry(1, e)) {
                    break;
                }
            }
        }
        return counts;
    }
}
