package dev.slmrouter.router.classify;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import java.util.List;

/**
 * Turns a request into hashed sparse features without building strings: word unigrams and bigrams,
 * character 3-5-grams, the first two words of the main message, and a few structural features. Text is
 * lower-cased char by char with {@link Character#toLowerCase(char)}, which is locale-independent (the
 * same mapping as {@code Locale.ROOT} for single chars), digits are folded to {@code 0} so that invoice
 * numbers and dates generalise, and whitespace runs collapse to one space. Hash signs (Weinberger et
 * al.) make bucket collisions cancel out on average instead of adding up. The main message is the last
 * user message at full weight, except that the middle of a long one counts less (see
 * {@link #EDGE_CHARS}); system and earlier user messages count at {@link #CONTEXT_WEIGHT} in the same
 * feature space, because training examples are single prompts and a separate namespace for context
 * would never receive any training signal. Assistant messages are skipped: they are model output, often
 * long, and say little about what is being asked now. Instances are immutable and thread-safe.
 */
final class NgramFeaturizer {

    /** Weight of system and earlier user messages relative to the last user message. */
    static final float CONTEXT_WEIGHT = 0.5f;

    /**
     * The first and last this many chars of the main message count in full, the chars between them at
     * {@link #MIDDLE_FACTOR}: the instruction ("Summarize the report below", "...extract the total as
     * JSON") sits at an edge, and a long pasted document in the middle would otherwise drown it.
     */
    static final int EDGE_CHARS = 256;

    /** Relative weight of the middle of a long main message. */
    static final float MIDDLE_FACTOR = 0.25f;

    private static final int FNV_PRIME = 0x01000193;
    private static final int WORD_SEED = 0x811C_9DC5;
    private static final int UNIGRAM_NS = 0x1B87_3593;
    private static final int BIGRAM_NS = 0x2545_F491;
    private static final int FIRST_WORD_NS = 0x68E3_1DA4;
    private static final int FIRST_BIGRAM_NS = 0x5D58_8B65;
    private static final int GOLDEN = 0x9E37_79B1;
    private static final long GOLDEN_64 = 0x9E37_79B9_7F4A_7C15L;
    // Random odd multipliers for the chars of an n-gram by position (newest first) and offsets per length.
    private static final long POSITION_1 = 0xC2B2_AE3D_27D4_EB4FL;
    private static final long POSITION_2 = 0x1656_67B1_9E37_79F9L;
    private static final long POSITION_3 = 0x85EB_CA77_C2B2_AE63L;
    private static final long POSITION_4 = 0x27D4_EB2F_1656_67C5L;
    private static final long POSITION_5 = 0x9FB2_1C65_1E98_DF25L;
    private static final long LENGTH_3 = 0x6A09_E667_F3BC_C909L;
    private static final long LENGTH_4 = 0xBB67_AE85_84CA_A73BL;
    private static final long LENGTH_5 = 0x3C6E_F372_FE94_F82BL;

    private static final int[] LENGTH_BUCKET_LIMITS = {40, 100, 250, 600, 1500, 4000};
    private static final int[] MESSAGE_BUCKET_LIMITS = {1, 2, 3, 6};

    /**
     * For ASCII chars (most prompts are mostly ASCII): the normalised char. Looking it up is several
     * times cheaper than the general {@link Character} methods, which non-ASCII chars still go through.
     */
    private static final char[] ASCII = asciiTable();
    /** For ASCII chars: whether they belong to a word (letters and digits). */
    private static final boolean[] ASCII_WORD = asciiWordTable();
    private static final char SPACE = ' ';

    private final int bits;
    /** 64 minus {@link #bits}: shifting a 64-bit hash right by this keeps its top bits. */
    private final int shift;
    private final int maxMainChars;
    private final int maxContextChars;

    // Structural features get fixed buckets, computed once.
    private final int biasIndex;
    private final int labelsIndex;
    private final int noLabelsIndex;
    private final int schemaIndex;
    private final int noSchemaIndex;
    private final int[] lengthIndexes;
    private final int[] messageIndexes;

    /**
     * @param bucketBits      log2 of the number of hash buckets
     * @param maxMainChars    characters of the main message to read: longer ones are read as the first
     *                        and the last half of this (instructions sit at the start or the end)
     * @param maxContextChars characters to read from system and earlier user messages, in total
     */
    NgramFeaturizer(int bucketBits, int maxMainChars, int maxContextChars) {
        if (bucketBits < 10 || bucketBits > 26) {
            throw new IllegalArgumentException("bucketBits must be in [10, 26], was " + bucketBits);
        }
        if (maxMainChars < 2 || maxContextChars < 0) {
            throw new IllegalArgumentException("maxMainChars must be >= 2 and maxContextChars >= 0");
        }
        this.bits = bucketBits;
        this.shift = 64 - bucketBits;
        this.maxMainChars = maxMainChars;
        this.maxContextChars = maxContextChars;
        this.biasIndex = structureIndex(1);
        this.labelsIndex = structureIndex(2);
        this.noLabelsIndex = structureIndex(3);
        this.schemaIndex = structureIndex(4);
        this.noSchemaIndex = structureIndex(5);
        this.lengthIndexes = new int[LENGTH_BUCKET_LIMITS.length + 1];
        for (int i = 0; i < lengthIndexes.length; i++) {
            lengthIndexes[i] = structureIndex(100 + i);
        }
        this.messageIndexes = new int[MESSAGE_BUCKET_LIMITS.length + 1];
        for (int i = 0; i < messageIndexes.length; i++) {
            messageIndexes[i] = structureIndex(200 + i);
        }
    }

    int bucketCount() {
        return 1 << bits;
    }

    /** Replaces the content of {@code out} with the features of a live request. */
    void featurize(InferenceRequest request, FeatureBuffer out) {
        out.reset();
        List<ChatMessage> messages = request.getMessages();
        int count = messages == null ? 0 : messages.size();
        int main = -1;
        for (int i = count - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).getRole())) {
                main = i;
                break;
            }
        }
        if (main < 0) {
            main = count - 1; // no user message (the router rejects these); use whatever came last
        }
        int budget = maxContextChars;
        for (int i = 0; i < count && budget > 0; i++) {
            ChatMessage message = messages.get(i);
            String role = message.getRole();
            if (i != main && ("system".equals(role) || "user".equals(role))) {
                String content = message.getContent();
                int end = Math.min(content.length(), budget);
                segment(content, 0, end, end, end, CONTEXT_WEIGHT, false, out);
                budget -= end;
            }
        }
        String mainText = main >= 0 ? messages.get(main).getContent() : "";
        mainMessage(mainText, out);
        List<String> labels = request.getLabels();
        String schema = request.getResponseSchema();
        structure(labels != null && !labels.isEmpty(), schema != null && !schema.isBlank(), count,
                mainText.length(), out);
    }

    /** Replaces the content of {@code out} with the features of an example: those its request would have. */
    void featurize(TaskExample example, FeatureBuffer out) {
        out.reset();
        mainMessage(example.prompt(), out);
        structure(example.hasLabels(), example.hasSchema(), example.messageCount(), example.prompt().length(), out);
    }

    private void mainMessage(String text, FeatureBuffer out) {
        int length = text.length();
        int tailStart = Math.max(0, length - EDGE_CHARS);
        if (length <= maxMainChars) {
            segment(text, 0, length, EDGE_CHARS, tailStart, 1f, true, out);
        } else {
            int half = maxMainChars / 2;
            segment(text, 0, half, EDGE_CHARS, half, 1f, true, out);
            segment(text, length - half, length, length - half, tailStart, 1f, false, out);
        }
    }

    private void structure(boolean hasLabels, boolean hasSchema, int messageCount, int mainLength, FeatureBuffer out) {
        out.structure(biasIndex);
        out.structure(hasLabels ? labelsIndex : noLabelsIndex);
        out.structure(hasSchema ? schemaIndex : noSchemaIndex);
        out.structure(lengthIndexes[bucket(mainLength, LENGTH_BUCKET_LIMITS)]);
        out.structure(messageIndexes[bucket(messageCount, MESSAGE_BUCKET_LIMITS)]);
    }

    private static int bucket(int value, int[] upperLimits) {
        for (int i = 0; i < upperLimits.length; i++) {
            if (value <= upperLimits[i]) {
                return i;
            }
        }
        return upperLimits.length;
    }

    /**
     * Streams the characters of {@code text[from, to)} once, emitting character n-grams as each
     * normalised char arrives and word features as each word ends. The last five chars live in locals
     * and features are written straight into the buffer's arrays (capacity ensured up front), so the
     * loop allocates nothing and makes no calls that the JIT cannot inline. Chars in
     * {@code [quietFrom, quietTo)} count at {@link #MIDDLE_FACTOR} times {@code weight}.
     */
    private void segment(String text, int from, int to, int quietFrom, int quietTo, float weight,
                         boolean firstWords, FeatureBuffer out) {
        // At most 3 n-grams per char plus 4 word features per word end (one per two chars), plus the flush.
        out.ensureCapacity(5 * (to - from) + 16);
        int[] indexes = out.indexArray();
        float[] values = out.valueArray();
        int n = out.size();
        int loudBits = Float.floatToRawIntBits(weight);
        int quietBits = Float.floatToRawIntBits(weight * MIDDLE_FACTOR);
        int weightBits = loudBits;
        int c1 = SPACE;
        int c2 = 0;
        int c3 = 0;
        int c4 = 0;
        int c5 = 0;
        int streamLength = 1; // a virtual leading space, so that word starts form their own n-grams
        int wordHash = WORD_SEED;
        int wordLength = 0;
        int previousWord = 0;
        int wordOrdinal = 0;
        for (int i = from; i < to; i++) {
            if (i == quietFrom && quietFrom < quietTo) {
                weightBits = quietBits;
            } else if (i == quietTo && quietFrom < quietTo) {
                weightBits = loudBits;
            }
            char raw = text.charAt(i);
            int c;
            boolean wordChar;
            if (raw < 128) {
                c = ASCII[raw];
                wordChar = ASCII_WORD[raw];
            } else {
                c = normaliseNonAscii(raw);
                wordChar = Character.isLetterOrDigit(raw);
            }
            if (wordChar) {
                wordHash = (wordHash ^ c) * FNV_PRIME;
                wordLength++;
            } else {
                if (wordLength > 0) {
                    int word = mix(wordHash + wordLength);
                    n = words(word, previousWord, wordOrdinal, firstWords, weightBits, indexes, values, n);
                    previousWord = word;
                    wordOrdinal++;
                    wordHash = WORD_SEED;
                    wordLength = 0;
                }
                if (c == SPACE && c1 == SPACE) {
                    continue; // whitespace runs count as one space
                }
            }
            c5 = c4;
            c4 = c3;
            c3 = c2;
            c2 = c1;
            c1 = c;
            streamLength++;
            n = charGrams(c1, c2, c3, c4, c5, streamLength, weightBits, indexes, values, n);
        }
        if (wordLength > 0) {
            n = words(mix(wordHash + wordLength), previousWord, wordOrdinal, firstWords, weightBits, indexes, values, n);
        }
        if (c1 != SPACE) {
            n = charGrams(SPACE, c1, c2, c3, c4, streamLength + 1, weightBits, indexes, values, n);
        }
        out.commitText(n);
    }

    /**
     * Emits the 3-, 4- and 5-gram ending at {@code c1}. The hash is multilinear (each char times a random
     * odd 64-bit constant for its position, top bits kept): the multiplies are independent of each other,
     * unlike a chained FNV hash, so the CPU runs them in parallel.
     */
    private int charGrams(int c1, int c2, int c3, int c4, int c5, int streamLength, int weightBits,
                          int[] indexes, float[] values, int n) {
        if (streamLength < 3) {
            return n;
        }
        long h = c1 * POSITION_1 + c2 * POSITION_2 + c3 * POSITION_3;
        n = emit(h + LENGTH_3, weightBits, indexes, values, n);
        if (streamLength >= 4) {
            h += c4 * POSITION_4;
            n = emit(h + LENGTH_4, weightBits, indexes, values, n);
            if (streamLength >= 5) {
                h += c5 * POSITION_5;
                n = emit(h + LENGTH_5, weightBits, indexes, values, n);
            }
        }
        return n;
    }

    private int words(int word, int previousWord, int ordinal, boolean firstWords, int weightBits,
                      int[] indexes, float[] values, int n) {
        n = emit((word ^ UNIGRAM_NS) * GOLDEN_64, weightBits, indexes, values, n);
        int bigram = mix(previousWord * GOLDEN + word);
        if (ordinal > 0) {
            n = emit((bigram ^ BIGRAM_NS) * GOLDEN_64, weightBits, indexes, values, n);
        }
        // The opening words of a prompt ("Summarize", "Classify", "Write a") are its strongest cue.
        if (firstWords) {
            if (ordinal == 0) {
                n = emit((word ^ FIRST_WORD_NS) * GOLDEN_64, weightBits, indexes, values, n);
            } else if (ordinal == 1) {
                n = emit((bigram ^ FIRST_BIGRAM_NS) * GOLDEN_64, weightBits, indexes, values, n);
            }
        }
        return n;
    }

    /**
     * Writes one text feature: the top {@code bits} bits of the 64-bit hash choose the bucket and the bit
     * below them the sign, applied by flipping the float's sign bit rather than by a branch that would
     * be mispredicted half of the time.
     */
    private int emit(long hash, int weightBits, int[] indexes, float[] values, int n) {
        indexes[n] = (int) (hash >>> shift);
        values[n] = Float.intBitsToFloat(weightBits ^ ((int) (hash >>> (shift - 1)) << 31));
        return n + 1;
    }

    private int structureIndex(int id) {
        return (int) ((mix(0x3C6E_F372 + id) * GOLDEN_64) >>> shift);
    }

    /** Folds digits to '0', lower-cases letters, maps whitespace and controls to a space. */
    private static int normaliseNonAscii(char raw) {
        if (Character.isLetter(raw)) {
            return Character.toLowerCase(raw);
        }
        if (Character.isDigit(raw)) {
            return '0';
        }
        if (Character.isWhitespace(raw) || Character.isSpaceChar(raw) || Character.isISOControl(raw)) {
            return SPACE;
        }
        return raw;
    }

    private static boolean[] asciiWordTable() {
        boolean[] table = new boolean[128];
        for (char c = 0; c < 128; c++) {
            table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
        return table;
    }

    private static char[] asciiTable() {
        char[] table = new char[128];
        for (char c = 0; c < 128; c++) {
            if (c >= 'A' && c <= 'Z') {
                table[c] = (char) (c + ('a' - 'A'));
            } else if (c >= '0' && c <= '9') {
                table[c] = '0';
            } else if (c <= ' ' || c == 127) {
                table[c] = SPACE;
            } else {
                table[c] = c;
            }
        }
        return table;
    }

    /** Murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EB_CA6B;
        h ^= h >>> 13;
        h *= 0xC2B2_AE35;
        h ^= h >>> 16;
        return h;
    }
}
