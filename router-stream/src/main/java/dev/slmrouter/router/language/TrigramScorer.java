package dev.slmrouter.router.language;

import java.util.List;

/**
 * Lingua's trigram scoring, computed in one pass over a text with one table lookup per n-gram instead of
 * one per n-gram and language. Lingua (1.2) scores every text of 120 or more letters, and in low accuracy
 * mode every text, by trigrams alone: the sum over the text's distinct trigrams of the log of the
 * trigram's relative frequency in each language, backing off to the trigram's first two letters and then
 * its first letter when the language's model lacks it. This class scores over the same model files from the
 * Lingua jar (its uni-, bi- and trigram models) as held by {@link NgramModels}, where one lookup per n-gram
 * gives every language's value, so a text of 600 characters costs a few hundred lookups instead of Lingua's
 * several thousand (plus its regexes, sets and fork-join tasks). {@link CompactLinguaDetector} scores the orders
 * 1 to 5 of shorter texts over the same tables.
 *
 * <p>The text is cleaned as Lingua cleans it: lower case, digits and punctuation removed (so "don't" is
 * one word), any other non-letter separating words. Thread-safe after construction.
 */
public final class TrigramScorer {

    private final NgramModels models;
    private final int width;

    /** A scorer over {@code models} (orders 1 to 3 at least), which it may share with {@link CompactLinguaDetector}. */
    public TrigramScorer(final NgramModels models) {
        if (models.maxOrder() < 3) {
            throw new IllegalArgumentException("trigram scoring needs the models of orders 1 to 3");
        }
        this.models = models;
        this.width = models.languages().size();
    }

    /**
     * Loads the uni-, bi- and trigram models of the given languages (ISO 639-1) from the Lingua jar. Languages
     * without a trigram model there (Chinese, Japanese: Lingua places them by script) are accepted and never score.
     *
     * @throws IllegalArgumentException for more than 64 languages
     */
    public static TrigramScorer load(final List<String> isoCodes) {
        return new TrigramScorer(NgramModels.load(isoCodes, 3));
    }

    /** The models scored over. */
    public NgramModels models() {
        return models;
    }

    /** The languages scored, in the order of {@link Scores#logProbability}. */
    public List<String> languages() {
        return models.languages();
    }

    /** Index of a language in {@link #languages()}, or -1. */
    public int indexOf(final String isoCode) {
        return models.indexOf(isoCode);
    }

    /**
     * A text's scores: per language the summed log-probability (0 where no n-gram of the text is in the
     * language's models), the number of distinct trigrams, and the length of the text as Lingua cleans it
     * (Lingua uses trigrams alone from 120 characters on).
     */
    public record Scores(float[] logProbability, int trigrams, int cleanedLength) {
    }

    /**
     * The best and second-best candidate by score and Lingua's margin between them,
     * {@code 1 - best/second} (both sums negative; best is the one nearer zero). {@code best} is -1 when no
     * candidate has any evidence; the margin is 1 when only one has.
     */
    public record Ranking(int best, int second, double margin) {
    }

    /** Scores the first {@code maxChars} characters of {@code text}. */
    public Scores score(final String text, final int maxChars, final long candidates) {
        final int end = Math.min(text.length(), maxChars);
        // Cleaned letters, words separated by one 0 char; cleaned length counted as Lingua counts it.
        final char[] letters = new char[end + 1];
        int n = 0;
        int cleanedLength = 0;
        boolean pendingSpace = false;
        for (int i = 0; i < end; i++) {
            final char c = text.charAt(i);
            if (Character.isLetter(c)) {
                if (pendingSpace && cleanedLength > 0) {
                    cleanedLength++;
                }
                pendingSpace = false;
                letters[n++] = Character.toLowerCase(c);
                cleanedLength++;
            } else if (LinguaText.isPunctuationOrNumber(c)) {
                continue; // digits and punctuation vanish without splitting the word
            } else {
                if (n > 0 && letters[n - 1] != 0) {
                    letters[n++] = 0;
                }
                if (Character.isWhitespace(c)) {
                    pendingSpace = true;
                } else {
                    if (pendingSpace && cleanedLength > 0) {
                        cleanedLength++;
                    }
                    pendingSpace = false;
                    cleanedLength++; // a symbol stays in Lingua's cleaned text
                }
            }
        }
        final float[] sums = new float[width]; // float, as Lingua sums
        // Distinct trigrams, as Lingua scores a set: a small open-addressing set of packed keys.
        final long[] seen = new long[Integer.highestOneBit(Math.max(16, n * 2)) << 1];
        int trigrams = 0;
        for (int i = 0; i + 2 < n; i++) {
            final char a = letters[i];
            final char b = letters[i + 1];
            final char c = letters[i + 2];
            if (a == 0 || b == 0 || c == 0) {
                continue;
            }
            final long tri = NgramModels.key(letters, i, 3);
            if (!NgramModels.addIfAbsent(seen, tri)) {
                continue;
            }
            trigrams++;
            // Back-off as Lingua: the trigram, else its first two letters, else its first letter.
            long pending = candidates;
            for (int order = 3; order >= 1 && pending != 0; order--) {
                pending = models.addLogProbabilities(order, tri >>> 16 * (3 - order), pending, sums);
            }
        }
        return new Scores(sums, trigrams, cleanedLength);
    }

    /** Ranks the candidates of {@code scores} (languages with a sum of 0 had no evidence and are left out, as Lingua does). */
    public static Ranking rank(final Scores scores, final long candidates) {
        int best = -1;
        int second = -1;
        final float[] s = scores.logProbability();
        for (int l = 0; l < s.length; l++) {
            if ((candidates & (1L << l)) == 0 || s[l] >= 0) {
                continue;
            }
            if (best < 0 || s[l] > s[best]) {
                second = best;
                best = l;
            } else if (second < 0 || s[l] > s[second]) {
                second = l;
            }
        }
        if (best < 0) {
            return new Ranking(-1, -1, 0.0);
        }
        return new Ranking(best, second, second < 0 ? 1.0 : 1.0 - (double) s[best] / s[second]);
    }
}
