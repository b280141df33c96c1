package dev.slmrouter.worker.loop;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one partition's consumed records have become during one assignment of that partition: tracked
 * records (fetched, then handled) in fetch order, and which of them are done with their outcome. It hands
 * out only the contiguous done prefix ({@link #takeCommittable()}): if offsets 10, 11 and 13 are done and 12
 * is not, it gives the outcomes of 10 and 11 and the offset 12 to commit, and keeps 13 until 12 is done.
 * That rule is what makes the loop exactly-once: an outcome leaves memory only in the same transaction as
 * the offset that covers it. "Contiguous" means in fetch order, not offset + 1, because offsets have gaps
 * (transaction markers, aborted or compacted records). An instance belongs to one assignment: after
 * {@link #revoke()} it accepts no completions, which is how late completions of a revoked partition are
 * told apart from those of a later assignment of the same partition (a new instance). Pure logic, not
 * thread-safe: only the loop thread touches it.
 *
 * @param <O> the outcome of one record (in the loop: the records to produce for it)
 */
final class PartitionProgress<O> {

    private final ArrayDeque<Entry<O>> entries = new ArrayDeque<>();
    private final Map<Long, Entry<O>> byOffset = new HashMap<>();
    private long lastTracked = -1;
    private long committedUpTo = -1;
    private int held;
    private boolean revoked;

    /** Starts tracking a fetched record; offsets must arrive in increasing order, as a partition's do. */
    void track(final long offset) {
        if (revoked) {
            throw new IllegalStateException("partition revoked; offset " + offset + " cannot be tracked");
        }
        if (offset <= lastTracked) {
            throw new IllegalArgumentException("offset " + offset + " is not after " + lastTracked);
        }
        final Entry<O> entry = new Entry<>(offset);
        entries.addLast(entry);
        byOffset.put(offset, entry);
        lastTracked = offset;
    }

    /**
     * Records the outcome of a tracked record. Returns false, and changes nothing, when the partition was
     * revoked, the offset is not tracked (already taken, or never tracked here) or it was completed before.
     */
    boolean complete(final long offset, final O outcome) {
        if (revoked) {
            return false;
        }
        final Entry<O> entry = byOffset.get(offset);
        if (entry == null || entry.done) {
            return false;
        }
        entry.outcome = outcome;
        entry.done = true;
        held++;
        return true;
    }

    /**
     * Removes and returns the done records at the head, in offset order, with the offset to commit for
     * them (the last one's offset + 1). Returns {@link Committable#isEmpty() an empty result} when the head
     * is not done.
     */
    Committable<O> takeCommittable() {
        List<O> outcomes = null;
        long next = -1;
        while (!entries.isEmpty() && entries.peekFirst().done) {
            final Entry<O> entry = entries.pollFirst();
            byOffset.remove(entry.offset);
            held--;
            if (outcomes == null) {
                outcomes = new ArrayList<>();
            }
            outcomes.add(entry.outcome);
            next = entry.offset + 1;
        }
        if (outcomes == null) {
            return Committable.empty();
        }
        committedUpTo = next;
        return new Committable<>(List.copyOf(outcomes), next);
    }

    /**
     * Moves the commit position forward over offsets that hold no records for this consumer (a
     * transaction marker after the last record), which is allowed only when nothing is tracked. Returns
     * true when the position moved.
     */
    boolean advanceTo(final long offset) {
        if (!entries.isEmpty()) {
            throw new IllegalStateException("records are tracked; cannot skip to " + offset);
        }
        if (offset <= committedUpTo) {
            return false;
        }
        committedUpTo = offset;
        lastTracked = Math.max(lastTracked, offset - 1);
        return true;
    }

    /**
     * Ends this assignment: forgets every tracked record and refuses later completions. Returns how many
     * records were dropped (their work is redone by whoever owns the partition next).
     */
    int revoke() {
        final int dropped = entries.size();
        revoked = true;
        entries.clear();
        byOffset.clear();
        held = 0;
        return dropped;
    }

    boolean isRevoked() {
        return revoked;
    }

    /** Tracked records not yet taken (pending, in flight, or done but held). */
    int tracked() {
        return entries.size();
    }

    /** Done records waiting behind an unfinished one. */
    int held() {
        return held;
    }

    /** The offset after the last taken record (or the last {@link #advanceTo}), -1 before the first take. */
    long committedUpTo() {
        return committedUpTo;
    }

    /**
     * Outcomes of a contiguous done prefix and the offset that covers them.
     *
     * @param outcomes the outcomes in offset order
     * @param nextOffset the offset to commit (the next record to read), -1 when empty
     * @param <O> the outcome type
     */
    record Committable<O>(List<O> outcomes, long nextOffset) {

        private static final Committable<?> EMPTY = new Committable<>(List.of(), -1);

        @SuppressWarnings("unchecked")
        static <O> Committable<O> empty() {
            return (Committable<O>) EMPTY;
        }

        boolean isEmpty() {
            return outcomes.isEmpty();
        }
    }

    private static final class Entry<O> {
        private final long offset;
        private O outcome;
        private boolean done;

        private Entry(final long offset) {
            this.offset = offset;
        }
    }
}
