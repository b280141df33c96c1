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
 * the check cost (BENCHMARKS.md). A chunk (key: its sequence number) holds up to {@link #CHUNK_IDS}
 * fingerprint and time pairs after a header, the input offset it covers: every request at or below it
 * that was routed is in this chunk or an earlier one. A chunk is written when it is full, when it would
 * span more than {@link #chunkSpan} (so the store's retention drops a chunk only after its newest id has
 * left the window), and by {@link #flush()} every second. A commit can therefore include requests whose
 * ids are not logged yet; after a restart, {@link #unloggedFrom()} says from which input offset to read
 * them again ({@link UnloggedTail}), so that every request whose routing committed is known.
 */
public final class RoutedIds {

    private static final Logger LOG = LoggerFactory.getLogger(RoutedIds.class);

    /**
     * Ids per chunk: the changelog gets one record (1 KB) per 64 ids. With 16 the chunk writes (a RocksDB put
     * and a changelog record each) were 4% of the hinted path's stream thread; the tail a restart reads again
     * is bounded by the one-second flush at any rate where this matters.
     */
    static final int CHUNK_IDS = 64;
    private static final int PAIR_BYTES = 2 * Long.BYTES;

    private final WindowStore<Long, byte[]> log;
    private final long windowMillis;
    private final long chunkSpan;
    private final IdFingerprints ids;
    private final LongConsumer forgotten;
    private final String owner;
    /** Header (covered offset), then the pairs. */
    private final ByteBuffer chunk = ByteBuffer.allocate(Long.BYTES + CHUNK_IDS * PAIR_BYTES);
    /** Whether the log held a chunk at start, and the input offset its chunks cover. */
    private final boolean restored;
    private final long restoredThrough;
    private boolean logStarted;
    private long chunkSeq;
    private long chunkStart;
    private long handledOffset = -1;
    private long handledTime;
    private long loggedOffset;
    private String lastId;
    private long lastFingerprint;

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
        long covered = -1;
        int chunks = 0;
        try (KeyValueIterator<Windowed<Long>, byte[]> entries = log.all()) {
            while (entries.hasNext()) {
                final KeyValue<Windowed<Long>, byte[]> entry = entries.next();
                chunks++;
                lastSeq = Math.max(lastSeq, entry.key.key());
                final ByteBuffer bytes = ByteBuffer.wrap(entry.value);
                covered = Math.max(covered, bytes.getLong());
                while (bytes.remaining() >= PAIR_BYTES) {
                    ids.add(bytes.getLong(), bytes.getLong());
                }
            }
        }
        this.chunkSeq = lastSeq + 1;
        this.restored = chunks > 0;
        this.logStarted = restored;
        this.restoredThrough = covered;
        this.loggedOffset = covered;
        chunk.putLong(0);
        reportForgotten(0);
        LOG.info("Stream task {}: {} request ids routed within the last {} restored from {} chunks of the dedupe log"
                + " (input logged through offset {})", owner, ids.size(), window, chunks, restoredThrough);
    }

    /** How long one chunk may span: a small part of the window, so retention drops chunks close to on time. */
    public static Duration chunkSpan(final Duration window) {
        return window.dividedBy(16);
    }

    /** The log store's retention: the window plus a chunk's span, so no chunk goes while its newest id is in the window. */
    public static Duration retention(final Duration window) {
        return window.plus(chunkSpan(window));
    }

    /**
     * The first input offset whose request may have been routed without its id being logged: read the input
     * from here to the first offset this task processes and {@link #add} what was routed. -1 when the log was
     * empty at start, so there is nothing to read (the first {@link #handled} logs where this log begins).
     */
    public long unloggedFrom() {
        return restored ? restoredThrough + 1 : -1;
    }

    /**
     * Notes that the input record at {@code offset} is being handled, before it is routed or rejected:
     * chunks written from now on cover it.
     */
    public void handled(final long offset, final long timestamp) {
        handledTime = timestamp;
        if (!logStarted) {
            // A new log starts with an empty chunk, so a restart knows which input it covers.
            handledOffset = offset - 1;
            write();
        }
        handledOffset = offset;
    }

    /** True when {@code requestId} was routed within the window before {@code timestamp}. */
    public boolean routedBefore(final String requestId, final long timestamp) {
        return ids.seenSince(fingerprint(requestId), timestamp - windowMillis);
    }

    /** Records that {@code requestId} was routed at {@code timestamp}. */
    public void add(final String requestId, final long timestamp) {
        final long fingerprint = fingerprint(requestId);
        final long forgottenBefore = ids.forgottenEarly();
        ids.add(fingerprint, timestamp);
        if (ids.forgottenEarly() != forgottenBefore) {
            reportForgotten(forgottenBefore);
        }
        if (pending() > 0 && timestamp - chunkStart >= chunkSpan) {
            write();
        }
        if (pending() == 0) {
            chunkStart = timestamp;
        }
        chunk.putLong(fingerprint).putLong(timestamp);
        if (pending() == CHUNK_IDS) {
            write();
        }
    }

    /** Writes the current chunk if it holds ids or input was handled since the last one (every second). */
    public void flush() {
        if (pending() > 0 || handledOffset > loggedOffset) {
            write();
        }
    }

    /** The id's fingerprint, computed once for the lookup and the add that follows it for the same id. */
    private long fingerprint(final String requestId) {
        if (requestId != lastId) {
            lastId = requestId;
            lastFingerprint = IdFingerprints.fingerprint(requestId);
        }
        return lastFingerprint;
    }

    private int pending() {
        return (chunk.position() - Long.BYTES) / PAIR_BYTES;
    }

    private void write() {
        chunk.putLong(0, handledOffset);
        log.put(chunkSeq++, Arrays.copyOf(chunk.array(), chunk.position()), pending() > 0 ? chunkStart : handledTime);
        loggedOffset = handledOffset;
        logStarted = true;
        chunk.position(Long.BYTES);
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
