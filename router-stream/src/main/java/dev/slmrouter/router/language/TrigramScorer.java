package dev.slmrouter.router.language;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Lingua's trigram scoring, computed in one pass over a text with one table lookup per n-gram instead of
 * one per n-gram and language. Lingua (1.2) scores every text of 120 or more letters, and in low accuracy
 * mode every text, by trigrams alone: the sum over the text's distinct trigrams of the log of the
 * trigram's relative frequency in each language, backing off to the trigram's first two letters and then
 * its first letter when the language's model lacks it. This class reads the same model files from the
 * Lingua jar (its uni-, bi- and trigram models) and keeps them in one open-addressing table from packed
 * n-gram to a row of log-probabilities, one per language, so a text of 600 characters costs a few hundred
 * lookups instead of Lingua's several thousand (plus its regexes, sets and fork-join tasks).
 *
 * <p>The text is cleaned as Lingua cleans it: lower case, digits and punctuation removed (so "don't" is
 * one word), any other non-letter separating words. Thread-safe after construction.
 */
public final class TrigramScorer {

    /** Stored for a language that lacks the n-gram; any real log-probability is <= 0. */
    private static final float ABSENT = 1f;
    private static final JsonFactory JSON = new JsonFactory();

    private final String[] languages;
    private final int width;
    private final long[] keys;
    private final int[] rowOf;
    private final float[] rows;
    private final int mask;

    private TrigramScorer(final String[] languages, final long[] keys, final int[] rowOf, final float[] rows) {
        this.languages = languages;
        this.width = languages.length;
        this.keys = keys;
        this.rowOf = rowOf;
        this.rows = rows;
        this.mask = keys.length - 1;
    }

    /**
     * Loads the models of the given languages (ISO 639-1) from the Lingua jar. Languages without a trigram
     * model there (Chinese, Japanese: Lingua places them by script) are accepted and never score.
     *
     * @throws IllegalArgumentException for more than 64 languages
     */
    public static TrigramScorer load(final List<String> isoCodes) {
        if (isoCodes.size() > 64) {
            throw new IllegalArgumentException("at most 64 languages, got " + isoCodes.size());
        }
        final String[] languages = isoCodes.stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).toArray(String[]::new);
        final Builder builder = new Builder(languages.length);
        for (int l = 0; l < languages.length; l++) {
            for (String model : List.of("unigrams", "bigrams", "trigrams")) {
                builder.read(l, "/language-models/" + languages[l] + "/" + model + ".json");
            }
        }
        return builder.build(languages);
    }

    /** The languages scored, in the order of {@link Scores#logProbability}. */
    public List<String> languages() {
        return List.of(languages);
    }

    /** Index of a language in {@link #languages()}, or -1. */
    public int indexOf(final String isoCode) {
        for (int i = 0; i < languages.length; i++) {
            if (languages[i].equals(isoCode)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A text's scores: per language the summed log-probability (0 where no n-gram of the text is in the
     * language's models), the number of distinct trigrams, and the length of the text as Lingua cleans it
     * (Lingua uses trigrams alone from 120 characters on).
     */
    public record Scores(double[] logProbability, int trigrams, int cleanedLength) {
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
            } else if (isRemoved(c)) {
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
        final double[] sums = new double[width];
        // Distinct trigrams, as Lingua scores a set: a small open-addressing set of packed keys.
        final long[] seen = new long[Integer.highestOneBit(Math.max(16, n * 2)) << 1];
        final int seenMask = seen.length - 1;
        int trigrams = 0;
        for (int i = 0; i + 2 < n; i++) {
            final char a = letters[i];
            final char b = letters[i + 1];
            final char c = letters[i + 2];
            if (a == 0 || b == 0 || c == 0) {
                continue;
            }
            final long tri = key(3, a, b, c);
            int slot = mix(tri) & seenMask;
            boolean fresh = true;
            while (seen[slot] != 0) {
                if (seen[slot] == tri) {
                    fresh = false;
                    break;
                }
                slot = (slot + 1) & seenMask;
            }
            if (!fresh) {
                continue;
            }
            seen[slot] = tri;
            trigrams++;
            final int r3 = find(tri);
            final int r2 = find(key(2, a, b, (char) 0));
            final int r1 = find(key(1, a, (char) 0, (char) 0));
            for (int l = 0; l < width; l++) {
                if ((candidates & (1L << l)) == 0) {
                    continue;
                }
                float p = r3 < 0 ? ABSENT : rows[r3 * width + l];
                if (p > 0 && r2 >= 0) {
                    p = rows[r2 * width + l];
                }
                if (p > 0 && r1 >= 0) {
                    p = rows[r1 * width + l];
                }
                if (p <= 0) {
                    sums[l] += p;
                }
            }
        }
        return new Scores(sums, trigrams, cleanedLength);
    }

    /** Ranks the candidates of {@code scores} (languages with a sum of 0 had no evidence and are left out, as Lingua does). */
    public static Ranking rank(final Scores scores, final long candidates) {
        int best = -1;
        int second = -1;
        final double[] s = scores.logProbability();
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
        return new Ranking(best, second, second < 0 ? 1.0 : 1.0 - s[best] / s[second]);
    }

    private static boolean isRemoved(final char c) {
        switch (Character.getType(c)) {
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

    private int find(final long key) {
        int slot = mix(key) & mask;
        while (true) {
            final long k = keys[slot];
            if (k == key) {
                return rowOf[slot];
            }
            if (k == 0) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    static long key(final int length, final char a, final char b, final char c) {
        return ((long) length << 48) | ((long) a << 32) | ((long) b << 16) | c;
    }

    private static int mix(final long key) {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** Reads Lingua's JSON models ({"language":..., "ngrams": {"num/den": "ngram ngram ...", ...}}). */
    private static final class Builder {
        private final int width;
        private long[] keys = new long[1 << 17];
        private int[] rowOf = new int[1 << 17];
        private float[] rows;
        private int size;

        Builder(final int width) {
            this.width = width;
            rows = new float[(1 << 12) * width];
            Arrays.fill(rows, ABSENT);
        }

        void read(final int language, final String resource) {
            try (InputStream in = TrigramScorer.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return; // no model of this order for this language (Lingua places it by script)
                }
                try (JsonParser parser = JSON.createParser(in)) {
                    while (parser.nextToken() != null) {
                        if (parser.currentToken() == JsonToken.FIELD_NAME && "ngrams".equals(parser.getCurrentName())) {
                            parser.nextToken(); // START_OBJECT
                            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                                final String fraction = parser.getCurrentName();
                                parser.nextToken();
                                final int slash = fraction.indexOf('/');
                                final double p = Double.parseDouble(fraction.substring(0, slash))
                                        / Double.parseDouble(fraction.substring(slash + 1));
                                final float logP = (float) Math.log(p);
                                for (String ngram : parser.getText().split(" ")) {
                                    if (!ngram.isEmpty() && ngram.length() <= 3) {
                                        put(ngram, language, logP);
                                    }
                                }
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Lingua model " + resource, e);
            }
        }

        private void put(final String ngram, final int language, final float logP) {
            final long key = key(ngram.length(), ngram.charAt(0), ngram.length() > 1 ? ngram.charAt(1) : 0,
                    ngram.length() > 2 ? ngram.charAt(2) : 0);
            if ((size + 1) * 2 > keys.length) { // at most half full, so probes stay short
                rehash();
            }
            final int m = keys.length - 1;
            int slot = mix(key) & m;
            while (keys[slot] != 0 && keys[slot] != key) {
                slot = (slot + 1) & m;
            }
            if (keys[slot] == 0) {
                keys[slot] = key;
                rowOf[slot] = size;
                if ((size + 1) * width > rows.length) {
                    final int old = rows.length;
                    rows = Arrays.copyOf(rows, old * 2);
                    Arrays.fill(rows, old, rows.length, ABSENT);
                }
                size++;
            }
            rows[rowOf[slot] * width + language] = logP;
        }

        private void rehash() {
            final long[] oldKeys = keys;
            final int[] oldRows = rowOf;
            keys = new long[oldKeys.length * 2];
            rowOf = new int[oldKeys.length * 2];
            final int m = keys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    int slot = mix(oldKeys[i]) & m;
                    while (keys[slot] != 0) {
                        slot = (slot + 1) & m;
                    }
                    keys[slot] = oldKeys[i];
                    rowOf[slot] = oldRows[i];
                }
            }
        }

        TrigramScorer build(final String[] languages) {
            return new TrigramScorer(languages, keys, rowOf, Arrays.copyOf(rows, size * width));
        }
    }
}
