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
 * Lingua 1.2.2's n-gram models (orders 1 to {@link #maxOrder()}) of a set of languages, read from the Lingua jar's
 * model files ({@code /language-models/<iso>/{unigrams,...,fivegrams}.json}) into a few primitive arrays per order:
 * no object per n-gram. Lingua keeps the same data as one {@code String} key per n-gram and language in
 * fastutil maps (4.7 million objects for 16 languages in high accuracy mode), which the garbage collector has to
 * mark over and over; here the whole set is about twenty arrays.
 *
 * <p>Per order: an open-addressing table (linear probing, at most 3/4 full) from the n-gram's key to its first entry,
 * and the entries: per n-gram, consecutively, the languages whose model has it (a byte each, the last one flagged)
 * with the natural log of its relative frequency (a float). The frequency is computed as Lingua computes it
 * ({@code numerator.toFloat() / denominator.toInt()}, a float) and its log as Lingua takes it
 * ({@code ln(Float)}: the double log rounded to float), so sums over these values are Lingua's sums bit for bit
 * when taken in Lingua's order and in float.
 *
 * <p>Keys: an n-gram of up to 4 chars is its chars packed 16 bits each (exact; each order has its own table, so
 * no length bits are needed). A 5-gram (80 bits) is a 64-bit hash of its chars ({@link #key}): two n-grams share a
 * key with probability about 2^-64 per pair; with the 1.75 million distinct 5-grams of the router's 16 languages the
 * chance that any stored pair collides is about (1.75e6)^2 / 2^65 = 1e-7, and the chance that a text's 5-gram that
 * no model has is taken for a stored one is about 1.75e6 / 2^64 = 1e-13 per lookup. Thread-safe after construction.
 *
 * <p>Measured for the router's 16 languages (used heap after a full GC): orders 1 to 5, 4.6 million entries for 2.4
 * million distinct n-grams, 64 MB in 20 arrays (Lingua's high accuracy models: 345-355 MB in 9.3 million objects);
 * orders 1 to 3, 3.6 MB (Lingua's low accuracy models and the former trigram table: 28 MB).
 */
public final class NgramModels {

    /** The highest n-gram order Lingua uses. */
    public static final int MAX_ORDER = 5;

    private static final String[] FILE_NAMES = {null, "unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams"};
    private static final JsonFactory JSON = new JsonFactory();

    private final String[] languages;
    private final int maxOrder;
    /** Per order (index 1..maxOrder): the table. */
    private final Table[] tables;

    private NgramModels(final String[] languages, final int maxOrder, final Table[] tables) {
        this.languages = languages;
        this.maxOrder = maxOrder;
        this.tables = tables;
    }

    /**
     * Loads the models of orders 1 to {@code maxOrder} of the given languages (ISO 639-1) from the Lingua jar. A
     * language without a model of some order there (Chinese and Japanese have unigrams only) is accepted: it has
     * no n-gram of that order.
     *
     * @throws IllegalArgumentException for more than 64 languages or an order outside 1..5
     */
    public static NgramModels load(final List<String> isoCodes, final int maxOrder) {
        if (isoCodes.size() > 64) {
            throw new IllegalArgumentException("at most 64 languages, got " + isoCodes.size());
        }
        if (maxOrder < 1 || maxOrder > MAX_ORDER) {
            throw new IllegalArgumentException("n-gram order must be 1 to " + MAX_ORDER + ", got " + maxOrder);
        }
        final String[] codes = isoCodes.stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).toArray(String[]::new);
        final Table[] tables = new Table[maxOrder + 1];
        for (int order = 1; order <= maxOrder; order++) {
            final Builder builder = new Builder(order);
            for (int l = 0; l < codes.length; l++) {
                builder.read(l, "/language-models/" + codes[l] + "/" + FILE_NAMES[order] + ".json");
            }
            tables[order] = builder.build();
        }
        return new NgramModels(codes, maxOrder, tables);
    }

    /** The languages, in the order of the language indexes used here. */
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

    /** The highest order loaded. */
    public int maxOrder() {
        return maxOrder;
    }

    /**
     * The key of the n-gram {@code text[from, from + length)} (length 1 to 5) in the table of its order. The key of
     * a prefix of an n-gram of up to 4 chars is {@code key >>> 16 * (length - prefixLength)}.
     */
    public static long key(final char[] text, final int from, final int length) {
        long packed = 0;
        final int packedLength = Math.min(length, 4);
        for (int i = 0; i < packedLength; i++) {
            packed = (packed << 16) | text[from + i];
        }
        if (length <= 4) {
            return packed;
        }
        long h = packed ^ (text[from + 4] + 1L) * 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL; // murmur3 fmix64: a bijection, so no collision beyond the line above
        h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    /**
     * The first entry of the n-gram with key {@code key} in the table of {@code order}, or -1 when no language has
     * it. Its entries run from there to the first entry for which {@link #lastEntry} holds.
     */
    public int find(final int order, final long key) {
        final Table t = tables[order];
        int slot = slot(key, t.keys.length);
        while (true) {
            final long k = t.keys[slot];
            if (k == key) {
                return t.firstEntry[slot];
            }
            if (k == 0) {
                return -1;
            }
            if (++slot == t.keys.length) {
                slot = 0;
            }
        }
    }

    /**
     * Adds to {@code sums}, for each language of {@code pending} that has the n-gram with key {@code key} in the
     * table of {@code order}, that n-gram's log-probability: one step of Lingua's back-off, called from the longest
     * prefix of an n-gram down to its first letter.
     *
     * @return the languages of {@code pending} that do not have this n-gram, for the next shorter prefix
     */
    public long addLogProbabilities(final int order, final long key, final long pending, final float[] sums) {
        final int first = find(order, key);
        if (first < 0) {
            return pending;
        }
        long left = pending;
        for (int e = first; ; e++) {
            final int l = entryLanguage(order, e);
            if ((left & (1L << l)) != 0) {
                sums[l] += entryLogProbability(order, e);
                left &= ~(1L << l);
            }
            if (lastEntry(order, e)) {
                return left;
            }
        }
    }

    /** Whether {@code entry} is the last of its n-gram's entries. */
    public boolean lastEntry(final int order, final int entry) {
        return tables[order].languages[entry] < 0;
    }

    /** The language index of entry {@code entry} of {@code order}. */
    public int entryLanguage(final int order, final int entry) {
        return tables[order].languages[entry] & LANGUAGE_BITS;
    }

    /** The log-probability (float, as Lingua computes it; always below or at 0) of entry {@code entry} of {@code order}. */
    public float entryLogProbability(final int order, final int entry) {
        return tables[order].logProbabilities[entry];
    }

    /** Distinct n-grams, language entries and table slots of an order (for reports). */
    public long[] size(final int order) {
        final Table t = tables[order];
        int distinct = 0;
        for (byte language : t.languages) {
            if (language < 0) {
                distinct++;
            }
        }
        return new long[] {distinct, t.languages.length, t.keys.length};
    }

    /**
     * Adds a non-zero packed n-gram to an open-addressing set (length a power of two, never full, 0 =
     * empty); false when it was there already. Used to count each distinct n-gram of a text once.
     */
    static boolean addIfAbsent(final long[] set, final long key) {
        final int mask = set.length - 1;
        int slot = mix(key) & mask;
        while (set[slot] != 0) {
            if (set[slot] == key) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        set[slot] = key;
        return true;
    }

    static int mix(final long key) {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** The home slot of {@code key} in a table of {@code capacity} slots (any capacity: Lemire's multiply-shift). */
    private static int slot(final long key, final int capacity) {
        return (int) (((mix(key) & 0xFFFFFFFFL) * capacity) >>> 32);
    }

    /** An entry's language index is its low 6 bits; the sign bit marks the last entry of an n-gram. */
    private static final int LANGUAGE_BITS = 0x3F;

    /**
     * One order's table: key -> first entry, by linear probing over slots at most 3/4 full; the entries of an
     * n-gram (language, log-probability) are consecutive, the last one flagged.
     */
    private record Table(long[] keys, int[] firstEntry, byte[] languages, float[] logProbabilities) {
    }

    /** Reads Lingua's JSON models ({"language":..., "ngrams": {"num/den": "ngram ngram ...", ...}}) of one order. */
    private static final class Builder {
        private final int order;
        private long[] keys = new long[1 << 12];
        private int[] ids = new int[1 << 12];
        private int distinct;
        /** Entries in reading order: n-gram id, language, log-probability. */
        private int[] entryIds = new int[1 << 12];
        private byte[] entryLanguages = new byte[1 << 12];
        private float[] entryLogs = new float[1 << 12];
        private int entries;
        private final char[] buffer = new char[MAX_ORDER];

        Builder(final int order) {
            this.order = order;
        }

        void read(final int language, final String resource) {
            try (InputStream in = NgramModels.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return; // no model of this order for this language
                }
                try (JsonParser parser = JSON.createParser(in)) {
                    while (parser.nextToken() != null) {
                        if (parser.currentToken() == JsonToken.FIELD_NAME && "ngrams".equals(parser.getCurrentName())) {
                            parser.nextToken(); // START_OBJECT
                            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                                final String fraction = parser.getCurrentName();
                                parser.nextToken();
                                final int slash = fraction.indexOf('/');
                                // As Lingua 1.2.2 (TrainingDataLanguageModel.fromJson): a float fraction.
                                final float p = Float.parseFloat(fraction.substring(0, slash))
                                        / Integer.parseInt(fraction.substring(slash + 1));
                                if (!(p > 0)) {
                                    continue; // Lingua backs off past a probability of 0
                                }
                                final float logP = (float) Math.log(p); // Kotlin's ln(Float)
                                for (String ngram : parser.getText().split(" ")) {
                                    // Lingua looks an n-gram up in the model of its length: other lengths are never found.
                                    if (ngram.length() == order) {
                                        ngram.getChars(0, order, buffer, 0);
                                        add(key(buffer, 0, order), language, logP);
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

        private void add(final long key, final int language, final float logP) {
            if ((distinct + 1) * 2 > keys.length) { // at most half full while building
                rehash(keys.length * 2);
            }
            final int m = keys.length - 1;
            int slot = mix(key) & m;
            while (keys[slot] != 0 && keys[slot] != key) {
                slot = (slot + 1) & m;
            }
            if (keys[slot] == 0) {
                keys[slot] = key;
                ids[slot] = distinct++;
            }
            if (entries == entryIds.length) {
                entryIds = Arrays.copyOf(entryIds, entries * 2);
                entryLanguages = Arrays.copyOf(entryLanguages, entries * 2);
                entryLogs = Arrays.copyOf(entryLogs, entries * 2);
            }
            // A language's file lists an n-gram once; if it did twice, Lingua's map would keep the last value.
            entryIds[entries] = ids[slot];
            entryLanguages[entries] = (byte) language;
            entryLogs[entries] = logP;
            entries++;
        }

        private void rehash(final int capacity) {
            final long[] oldKeys = keys;
            final int[] oldIds = ids;
            keys = new long[capacity];
            ids = new int[capacity];
            final int m = capacity - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    int slot = mix(oldKeys[i]) & m;
                    while (keys[slot] != 0) {
                        slot = (slot + 1) & m;
                    }
                    keys[slot] = oldKeys[i];
                    ids[slot] = oldIds[i];
                }
            }
        }

        Table build() {
            // Group the entries by n-gram id (counting sort); a language appears at most once per n-gram, the last
            // value read winning as in Lingua's map.
            final int[] offsets = new int[distinct + 1];
            for (int e = 0; e < entries; e++) {
                offsets[entryIds[e] + 1]++;
            }
            for (int i = 0; i < distinct; i++) {
                offsets[i + 1] += offsets[i];
            }
            final int[] fill = Arrays.copyOf(offsets, distinct);
            final byte[] languages = new byte[entries];
            final float[] logs = new float[entries];
            for (int e = 0; e < entries; e++) {
                final int id = entryIds[e];
                int at = -1;
                for (int i = offsets[id]; i < fill[id]; i++) {
                    if (languages[i] == entryLanguages[e]) {
                        at = i; // duplicate: overwrite
                    }
                }
                if (at < 0) {
                    at = fill[id]++;
                }
                languages[at] = entryLanguages[e];
                logs[at] = entryLogs[e];
            }
            entryIds = null;
            entryLanguages = null;
            entryLogs = null;
            // Compact away the slots duplicates left unused (none in Lingua 1.2.2's files); flag each last entry.
            int used = 0;
            final int[] first = new int[distinct];
            for (int id = 0; id < distinct; id++) {
                first[id] = used;
                for (int i = offsets[id]; i < fill[id]; i++) {
                    languages[used] = languages[i];
                    logs[used] = logs[i];
                    used++;
                }
                languages[used - 1] |= (byte) 0x80;
            }
            // The final table: at most 3/4 full, any capacity (not a power of two: a third less heap on average).
            final int capacity = (int) Math.max(16, distinct * 4L / 3 + 1);
            final long[] finalKeys = new long[capacity];
            final int[] firstEntry = new int[capacity];
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != 0) {
                    int slot = slot(keys[i], capacity);
                    while (finalKeys[slot] != 0) {
                        if (++slot == capacity) {
                            slot = 0;
                        }
                    }
                    finalKeys[slot] = keys[i];
                    firstEntry[slot] = first[ids[i]];
                }
            }
            return new Table(finalKeys, firstEntry, Arrays.copyOf(languages, used), Arrays.copyOf(logs, used));
        }
    }
}
