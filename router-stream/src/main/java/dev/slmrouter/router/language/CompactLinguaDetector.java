package dev.slmrouter.router.language;

import com.github.pemistahl.lingua.api.Language;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Lingua 1.2.2's own detection ({@code LanguageDetector.computeLanguageConfidenceValues}), computed over the
 * primitive tables of {@link NgramModels} instead of Lingua's in-heap models (millions of {@code String} keys), with
 * the same answers: the router's last language stage, without loading Lingua's models at all.
 *
 * <p>The steps, each as Lingua 1.2.2 takes it (its source and the jar's bytecode):
 * <ol>
 *   <li>Clean-up ({@link LinguaText#cleanUp}): trim (Kotlin's white space), lower case ({@code Locale.ROOT}), remove
 *       {@code \p{P}}, remove {@code \p{N}}, collapse runs of {@code \s} to one space. Empty, or no letter: no
 *       answer.</li>
 *   <li>Words ({@link LinguaText#splitIntoWords}): split at spaces, every logogram (Han, kana, Hangul) a word of its
 *       own.</li>
 *   <li>Rules ({@code detectLanguageWithRules}, {@link LinguaRules#detectWithRules}): per word, the languages its
 *       characters point to (a script only one language writes, Han for Chinese, kana for Japanese, a language's
 *       unique characters); a language that wins the words outright is the answer, with confidence 1.</li>
 *   <li>Candidates ({@code filterLanguagesByRules}, {@link LinguaRules#filterByRules}): the languages writing the
 *       words' most frequent alphabet, narrowed to those whose characteristic characters
 *       ({@code CHARS_TO_LANGUAGES_MAPPING}) occur in at least half the words. One candidate left: the answer, with
 *       confidence 1.</li>
 *   <li>N-grams ({@link LinguaNgrams}, scored here): for a cleaned text below 120 characters in high accuracy mode,
 *       orders 1 to 5 (up to the text's length), else (and in low accuracy mode, where a text below 3 characters
 *       gets no answer) order 3 alone. Per order and candidate, the float sum, over the text's distinct n-grams of
 *       only letters, of the log of the relative frequency of the n-gram or, when the language lacks it, of its
 *       longest prefix the language has; a language whose sum is not below 0 has no evidence in that order.</li>
 *   <li>With order 1: per language (among those with unigram evidence, or all candidates if none has any) the
 *       number of the text's distinct unigrams it knows; each candidate's sum over the orders is divided by it.
 *       Sums of 0 are dropped.</li>
 *   <li>Confidence per language: the best (highest) sum divided by the language's sum, in float, sorted by
 *       descending confidence then by Lingua's language order.</li>
 * </ol>
 * Lingua sums floats in the iteration order of the {@code HashSet} holding the text's n-grams; this class sums in
 * the same order (see {@link LinguaNgrams}), so the sums, and the confidences, are Lingua's bit for bit.
 *
 * <p>{@link #detect} answers as {@link LinguaLanguageDetector#detect} does: the best language and the margin over
 * the runner-up, {@code 1 - second/best} on the confidence values (1.0 when only one language is possible).
 * Thread-safe after construction; allocates only small per-call arrays.
 */
public final class CompactLinguaDetector implements LanguageDetector {

    /** Lingua scores a cleaned text of this length or more by trigrams alone. */
    static final int HIGH_ACCURACY_MODE_MAX_TEXT_LENGTH = 120;

    private final NgramModels models;
    private final boolean highAccuracy;
    private final int width;
    private final String[] isoCodes;
    /** Lingua's language order (enum ordinal) per index: the tie-break of equal confidences. */
    private final int[] linguaOrder;
    /** The rule steps over the configured languages. */
    private final LinguaRules rules;

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
        final Language[] languages = new Language[width];
        linguaOrder = new int[width];
        for (int l = 0; l < width; l++) {
            languages[l] = Language.getByIsoCode639_1(LinguaLanguageDetector.isoCode(isoCodes[l]));
            linguaOrder[l] = languages[l].ordinal();
        }
        this.rules = new LinguaRules(languages);
    }

    /** Loads the models of {@code isoCodes} (orders 1 to 5 for high accuracy, 1 to 3 for low) and builds the detector. */
    public static CompactLinguaDetector forLanguages(final Collection<String> isoCodes, final boolean highAccuracy) {
        return new CompactLinguaDetector(NgramModels.load(List.copyOf(isoCodes), highAccuracy ? NgramModels.MAX_ORDER : 3),
                highAccuracy);
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

    /** The rule steps of this detector's languages. */
    LinguaRules rules() {
        return rules;
    }

    /** Lingua's {@code computeLanguageConfidenceValues} for {@code text}. */
    public Confidences confidences(final String text) {
        final String cleaned = LinguaText.cleanUp(text);
        if (cleaned.isEmpty() || !LinguaText.hasLetter(cleaned)) {
            return new Confidences(new int[0], new double[width]);
        }
        final List<String> words = LinguaText.splitIntoWords(cleaned);
        final int byRules = rules.detectWithRules(words);
        if (byRules >= 0) {
            return single(byRules);
        }
        final long filtered = rules.filterByRules(words);
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
            final LinguaNgrams ngrams = LinguaNgrams.of(chars, order);
            final float[] sums = new float[width];
            for (int n = 0; n < ngrams.count; n++) {
                long pending = filtered;
                for (int k = order; k >= 1 && pending != 0; k--) {
                    pending = models.addLogProbabilities(k, ngrams.prefixKey(n, k), pending, sums);
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

    /** Lingua's countUnigramsOfInputText: per language of {@code languages}, the text's unigrams it knows. */
    private int[] countUnigrams(final LinguaNgrams unigrams, final long languages) {
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
