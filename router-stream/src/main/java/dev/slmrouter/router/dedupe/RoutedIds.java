package dev.slmrouter.router.dedupe;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.LongConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request ids one stream task has routed within the dedupe window, so that a producer's resend is
 * recognised: looked up in memory ({@link IdFingerprints}) and logged in chunks to a changelogged window
 * store, from which a restarted or moved task rebuilds them.
 *
 * <p>Why chunks: one changelog record per id doubled the records the router writes and was most of what
 * the check cost (BENCHMARKS.md). The log store has caching on, and each id rewrites its chunk's entry
 * (key: the chunk's sequence number; value: up to {@link #CHUNK_IDS} fingerprint and time pairs), so the
 * cache sends one changelog record per chunk. Kafka Streams flushes the cache before every commit, so
 * every id whose input offset is committed is in the committed changelog: after a crash, the restored log
 * holds exactly the ids of the requests whose routing committed. A chunk also closes once it spans
 * {@link #chunkSpan}, so a chunk is dropped by the store's retention only after its newest id has left the window.
 */
public final class RoutedIds {

    private static final Logger LOG = LoggerFactory.getLogger(RoutedIds.class);

    /** Ids per chunk: a rewrite copies up to 16 x 16 bytes, and the changelog gets 1/16 of a record per id. */
    static final int CHUNK_IDS = 16;
    private static final int PAIR_BYTES = 2 * Long.BYTES;

    private final WindowStore<Long, byte[]> log;
    private final long windowMillis;
    private final long chunkSpan;
    private final IdFingerprints ids;
    private final LongConsumer forgotten;
    private final String owner;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_IDS * PAIR_BYTES);
    private long chunkSeq;
    private long chunkStart;

    /**
     * Rebuilds the ids of the window from {@code log}.
     *
     * @param maxIds    the most ids held (32 bytes of heap each); past it the oldest are forgotten early
     * @param forgotten told how many ids were forgotten early, each time some are
     * @param owner     names the stream task in log lines
     */
    public RoutedIds(final WindowStore<Long, byte[]> log, final Duration window, final int maxIds,
                     final LongConsumer forgotten, final String owner) {
        this.log = log;
        this.windowMillis = window.toMillis();
        this.chunkSpan = chunkSpan(window).toMillis();
        this.ids = new IdFingerprints(windowMillis, maxIds);
        this.forgotten = forgotten;
        this.owner = owner;
        long lastSeq = -1;
        int chunks = 0;
        try (KeyValueIterator<Windowed<Long>, byte[]> entries = log.all()) {
            while (entries.hasNext()) {
                final KeyValue<Windowed<Long>, byte[]> entry = entries.next();
                chunks++;
                lastSeq = Math.max(lastSeq, entry.key.key());
                final ByteBuffer pairs = ByteBuffer.wrap(entry.value);
                while (pairs.remaining() >= PAIR_BYTES) {
                    ids.add(pairs.getLong(), pairs.getLong());
                }
            }
        }
        this.chunkSeq = lastSeq + 1;
        reportForgotten(0);
        LOG.info("Stream task {}: {} request ids routed within the last {} restored from {} chunks of the dedupe log",
                owner, ids.size(), window, chunks);
    }

    /** How long one chunk may span: a small part of the window, so retention drops chunks close to on time. */
    public static Duration chunkSpan(final Duration window) {
        return window.dividedBy(16);
    }

    /** The log store's retention: the window plus a chunk's span, so no chunk goes while its newest id is in the window. */
    public static Duration retention(final Duration window) {
        return window.plus(chunkSpan(window));
    }

    /** True when {@code requestId} was routed within the window before {@code timestamp}. */
    public boolean routedBefore(final String requestId, final long timestamp) {
        return ids.seenSince(IdFingerprints.fingerprint(requestId), timestamp - windowMillis);
    }

    /** Records that {@code requestId} was routed at {@code timestamp}. */
    public void add(final String requestId, final long timestamp) {
        final long fingerprint = IdFingerprints.fingerprint(requestId);
        final long forgottenBefore = ids.forgottenEarly();
        ids.add(fingerprint, timestamp);
        if (ids.forgottenEarly() != forgottenBefore) {
            reportForgotten(forgottenBefore);
        }
        if (chunk.position() == chunk.capacity() || timestamp - chunkStart >= chunkSpan) {
            if (chunk.position() > 0) {
                chunkSeq++;
            }
            chunk.clear();
            chunkStart = timestamp;
        }
        chunk.putLong(fingerprint).putLong(timestamp);
        log.put(chunkSeq, Arrays.copyOf(chunk.array(), chunk.position()), chunkStart);
    }

    private void reportForgotten(final long before) {
        final long count = ids.forgottenEarly() - before;
        if (count > 0) {
            forgotten.accept(count);
            LOG.warn("Stream task {}: more request ids within the dedupe window than router.dedupe.max.ids; forgot the"
                    + " {} routed before {}, so a resend of one of them would be routed again", owner, count,
                    Instant.ofEpochMilli(ids.forgottenBefore()));
        }
    }
}
