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
 * user message at full weight; system and earlier user messages count at {@link #CONTEXT_WEIGHT} in the
 * same feature space, because training examples are single prompts and a separate namespace for context
 * would never receive any training signal. Assistant messages are skipped: they are model output, often
 * long, and say little about what is being asked now. Instances are immutable and thread-safe.
 */
final class NgramFeaturizer {

    /** Weight of system and earlier user messages relative to the last user message. */
    static final float CONTEXT_WEIGHT = 0.5f;

    private static final int FNV_PRIME = 0x01000193;
    private static final int CHAR_SEED = 0x2F1C_3A5B;
    private static final int WORD_SEED = 0x811C_9DC5;
    private static final int UNIGRAM_NS = 0x1B87_3593;
    private static final int BIGRAM_NS = 0x2545_F491;
    private static final int FIRST_WORD_NS = 0x68E3_1DA4;
    private static final int FIRST_BIGRAM_NS = 0x5D58_8B65;
    private static final int GOLDEN = 0x9E37_79B1;

    private static final int[] LENGTH_BUCKET_LIMITS = {40, 100, 250, 600, 1500, 4000};
    private static final int[] MESSAGE_BUCKET_LIMITS = {1, 2, 3, 6};

    /**
     * For ASCII chars (most prompts are mostly ASCII): the normalised char, or one of the markers below.
     * Looking it up is several times cheaper than the general {@link Character} methods.
     */
    private static final char[] ASCII = asciiTable();
    /** For ASCII chars: whether they belong to a word (letters and digits). */
    private static final boolean[] ASCII_WORD = asciiWordTable();
    private static final char SPACE = ' ';

    private final int bits;
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
        this.shift = 32 - bucketBits;
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

    /** Features of a live request. */
    void featurize(InferenceRequest request, FeatureBuffer sink) {
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
                segment(content, 0, end, CONTEXT_WEIGHT, false, sink);
                budget -= end;
            }
        }
        String mainText = main >= 0 ? messages.get(main).getContent() : "";
        mainMessage(mainText, sink);
        List<String> labels = request.getLabels();
        String schema = request.getResponseSchema();
        structure(labels != null && !labels.isEmpty(), schema != null && !schema.isBlank(), count,
                mainText.length(), sink);
    }

    /** Features of a training example; the same features its request would have. */
    void featurize(TaskExample example, FeatureBuffer sink) {
        mainMessage(example.prompt(), sink);
        structure(example.hasLabels(), example.hasSchema(), example.messageCount(), example.prompt().length(), sink);
    }

    private void mainMessage(String text, FeatureBuffer sink) {
        int length = text.length();
        if (length <= maxMainChars) {
            segment(text, 0, length, 1f, true, sink);
        } else {
            int half = maxMainChars / 2;
            segment(text, 0, half, 1f, true, sink);
            segment(text, length - half, length, 1f, false, sink);
        }
    }

    private void structure(boolean hasLabels, boolean hasSchema, int messageCount, int mainLength, FeatureBuffer sink) {
        sink.structure(biasIndex);
        sink.structure(hasLabels ? labelsIndex : noLabelsIndex);
        sink.structure(hasSchema ? schemaIndex : noSchemaIndex);
        sink.structure(lengthIndexes[bucket(mainLength, LENGTH_BUCKET_LIMITS)]);
        sink.structure(messageIndexes[bucket(messageCount, MESSAGE_BUCKET_LIMITS)]);
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
     * rather than a buffer so that this allocates nothing.
     */
    private void segment(String text, int from, int to, float weight, boolean firstWords, FeatureBuffer sink) {
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
                    words(word, previousWord, wordOrdinal, firstWords, weight, sink);
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
            charGrams(c1, c2, c3, c4, c5, streamLength, weight, sink);
        }
        if (wordLength > 0) {
            words(mix(wordHash + wordLength), previousWord, wordOrdinal, firstWords, weight, sink);
        }
        if (c1 != SPACE) {
            charGrams(SPACE, c1, c2, c3, c4, streamLength + 1, weight, sink);
        }
    }

    /** Emits the 3-, 4- and 5-gram ending at {@code c1}, hashing newest to oldest to share the prefix. */
    private void charGrams(int c1, int c2, int c3, int c4, int c5, int streamLength, float weight, FeatureBuffer sink) {
        if (streamLength < 3) {
            return;
        }
        int h = (CHAR_SEED ^ c1) * FNV_PRIME;
        h = (h ^ c2) * FNV_PRIME;
        h = (h ^ c3) * FNV_PRIME;
        emit(h + 3, weight, sink);
        if (streamLength >= 4) {
            h = (h ^ c4) * FNV_PRIME;
            emit(h + 4, weight, sink);
            if (streamLength >= 5) {
                h = (h ^ c5) * FNV_PRIME;
                emit(h + 5, weight, sink);
            }
        }
    }

    private void words(int word, int previousWord, int ordinal, boolean firstWords, float weight, FeatureBuffer sink) {
        emit(word ^ UNIGRAM_NS, weight, sink);
        int bigram = previousWord * GOLDEN + word;
        if (ordinal > 0) {
            emit(mix(bigram) ^ BIGRAM_NS, weight, sink);
        }
        // The opening words of a prompt ("Summarize", "Classify", "Write a") are its strongest cue.
        if (firstWords) {
            if (ordinal == 0) {
                emit(word ^ FIRST_WORD_NS, weight, sink);
            } else if (ordinal == 1) {
                emit(mix(bigram) ^ FIRST_BIGRAM_NS, weight, sink);
            }
        }
    }

    private void emit(int hash, float weight, FeatureBuffer sink) {
        // Fibonacci hashing: one multiply, then the top bits choose the bucket and the bit below them
        // the sign. Cheaper than a full finaliser per n-gram, and the FNV chain has already mixed the chars.
        int m = hash * GOLDEN;
        sink.text(m >>> shift, (m << bits) < 0 ? -weight : weight);
    }

    private int structureIndex(int id) {
        return (mix(0x3C6E_F372 + id) * GOLDEN) >>> shift;
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
