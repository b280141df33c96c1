package dev.slmrouter.tier0.encoder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Sentence vectors kept on disk, so training again (another lambda grid, another name) does not encode
 * the same texts again. One append-only file per encoder and token window in the cache folder
 * ({@code <encoder-id>-<window>.vectors}): records of the text's SHA-256 and its vector. A torn last record
 * (a crash while appending) is ignored. Meant for one writer at a time.
 */
public final class EmbeddingCache {

    private static final int MAGIC = 0x54304543; // "T0EC"

    private final Path file;
    private final int dimensions;
    private final Map<String, float[]> vectors = new HashMap<>();

    private EmbeddingCache(final Path file, final int dimensions) {
        this.file = file;
        this.dimensions = dimensions;
    }

    /** Opens (or creates) the cache of {@code encoder} in {@code dir}. */
    /** The cache folder when none is given: {@code TIER0_CACHE_DIR}, else {@code target/tier0-cache}. */
    public static Path defaultDir() {
        final String env = System.getenv("TIER0_CACHE_DIR");
        return Path.of(env != null && !env.isBlank() ? env : "target/tier0-cache");
    }

    public static EmbeddingCache open(final Path dir, final OnnxSentenceEncoder encoder) throws IOException {
        return open(dir, encoder.id() + "-" + encoder.maxTokens(), encoder.dimensions());
    }

    public static EmbeddingCache open(final Path dir, final String key, final int dimensions) throws IOException {
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new IOException("the embedding cache folder " + dir + " is not writable (choose one with --cache-dir)");
        }
        final EmbeddingCache cache = new EmbeddingCache(dir.resolve(key + ".vectors"), dimensions);
        cache.load();
        return cache;
    }

    public Path file() {
        return file;
    }

    public int size() {
        return vectors.size();
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != dimensions) {
                throw new IOException(file + " is not an embedding cache of " + dimensions + " dimensions: delete it");
            }
            final byte[] hash = new byte[32];
            while (true) {
                try {
                    in.readFully(hash);
                    final float[] v = new float[dimensions];
                    for (int j = 0; j < dimensions; j++) {
                        v[j] = in.readFloat();
                    }
                    vectors.put(HexFormat.of().formatHex(hash), v);
                } catch (EOFException e) {
                    return;
                }
            }
        }
    }

    /**
     * The vectors of {@code texts}, in order: cached ones from the file, the rest encoded by {@code encoder}
     * (on its threads) and appended.
     */
    public float[][] embedAll(final List<String> texts, final SentenceEncoder encoder) throws IOException {
        final float[][] out = new float[texts.size()][];
        final List<String> missing = new ArrayList<>();
        final List<Integer> missingAt = new ArrayList<>();
        final Map<String, Integer> firstMissing = new HashMap<>();
        final String[] keys = new String[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            keys[i] = hash(texts.get(i));
            final float[] cached = vectors.get(keys[i]);
            if (cached != null) {
                out[i] = cached;
            } else if (firstMissing.putIfAbsent(keys[i], i) == null) {
                missing.add(texts.get(i));
                missingAt.add(i);
            }
        }
        if (!missing.isEmpty()) {
            final float[][] fresh = encoder.embedAll(missing);
            final boolean created = !Files.exists(file);
            try (OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                 DataOutputStream data = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
                if (created) {
                    data.writeInt(MAGIC);
                    data.writeInt(dimensions);
                }
                for (int m = 0; m < fresh.length; m++) {
                    final String key = keys[missingAt.get(m)];
                    data.write(HexFormat.of().parseHex(key));
                    for (float v : fresh[m]) {
                        data.writeFloat(v);
                    }
                    vectors.put(key, fresh[m]);
                }
            }
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) {
                    out[i] = vectors.get(keys[i]);
                }
            }
        }
        return out;
    }

    static String hash(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
