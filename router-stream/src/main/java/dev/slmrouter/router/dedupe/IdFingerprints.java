package dev.slmrouter.router.dedupe;

import java.util.Arrays;

/**
 * Request ids seen recently, as 64-bit fingerprints with the time each was last seen, in one
 * open-addressing table of primitives (16 bytes per slot, at most half the slots used): a lookup is a
 * hash and a probe or two. A slot's fingerprint and time sit side by side in one array, so a lookup in a
 * table of megabytes costs one cache miss, not two. Ids older than the window are ignored by lookups and dropped when the table
 * is rebuilt. The table grows to at most twice {@code maxIds} rounded up to a power of two (32 MB for a
 * million ids); when it is that large and full, the older half of the ids is forgotten early
 * ({@link #forgottenBefore()} says up to when), so memory stays bounded at any request rate.
 *
 * <p>Two ids share a fingerprint with probability about n / 2^64 per lookup for n ids held (a million
 * ids: 5 x 10^-14), and a shared fingerprint would make the second id look like a resend. Not thread-safe:
 * one per stream task.
 */
final class IdFingerprints {

    private static final int MIN_SLOTS = 1 << 10;
    private static final long EMPTY = 0;

    private final long windowMillis;
    private final int maxSlots;
    /** Slot i: its fingerprint at 2i, its time at 2i + 1. */
    private long[] table = new long[2 * MIN_SLOTS];
    /** Slots in use, expired ids included until the next rebuild. */
    private int used;
    private long newest = Long.MIN_VALUE;
    private long forgottenBefore = Long.MIN_VALUE;
    private long forgottenEarly;

    IdFingerprints(final long windowMillis, final int maxIds) {
        if (maxIds < 1) {
            throw new IllegalArgumentException("maxIds must be positive, got " + maxIds);
        }
        this.windowMillis = windowMillis;
        this.maxSlots = Math.max(MIN_SLOTS, Integer.highestOneBit(Math.min(maxIds, 1 << 29) - 1) << 2);
    }

    /** The fingerprint of an id: FNV-1a over its UTF-16 units, then a 64-bit finalizer so all bits mix. */
    static long fingerprint(final String id) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            hash = (hash ^ id.charAt(i)) * 0x100000001b3L;
        }
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        hash ^= hash >>> 31;
        return hash == EMPTY ? 1 : hash;
    }

    /** True when {@code fingerprint} was added with a time at or after {@code since}. */
    boolean seenSince(final long fingerprint, final long since) {
        final int mask = slots() - 1;
        for (int slot = (int) fingerprint & mask; ; slot = (slot + 1) & mask) {
            final long held = table[2 * slot];
            if (held == fingerprint) {
                return table[2 * slot + 1] >= since;
            }
            if (held == EMPTY) {
                return false;
            }
        }
    }

    /** Remembers {@code fingerprint} as seen at {@code time} (a later time replaces an earlier one). */
    void add(final long fingerprint, final long time) {
        newest = Math.max(newest, time);
        final int mask = slots() - 1;
        int slot = (int) fingerprint & mask;
        while (table[2 * slot] != EMPTY) {
            if (table[2 * slot] == fingerprint) {
                table[2 * slot + 1] = Math.max(table[2 * slot + 1], time);
                return;
            }
            slot = (slot + 1) & mask;
        }
        table[2 * slot] = fingerprint;
        table[2 * slot + 1] = time;
        if (++used * 2 > slots()) {
            rebuild();
        }
    }

    /** Ids last seen before this time are forgotten early because the table was full; MIN_VALUE: none were. */
    long forgottenBefore() {
        return forgottenBefore;
    }

    /** How many ids were forgotten before their window ended, since this table was made. */
    long forgottenEarly() {
        return forgottenEarly;
    }

    /** Ids held within the window of the newest time added. */
    int size() {
        return countFrom(newest - windowMillis);
    }

    private int slots() {
        return table.length / 2;
    }

    /** Drops expired ids, then grows the table, or, at its largest, forgets the older half of the ids. */
    private void rebuild() {
        long cutoff = newest - windowMillis;
        final int live = countFrom(cutoff);
        int slots = slots();
        while (live > slots / 4 && slots < maxSlots) {
            slots <<= 1;
        }
        if (live > slots / 4) {
            final long median = medianTimeFrom(cutoff);
            // Many ids with one time: cut after it, or the table could fill up.
            cutoff = countFrom(median) > slots / 4 ? median + 1 : median;
            forgottenBefore = Math.max(forgottenBefore, cutoff);
            forgottenEarly += live - countFrom(cutoff);
        }
        final long[] old = table;
        table = new long[2 * slots];
        used = 0;
        final int mask = slots - 1;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != EMPTY && old[i + 1] >= cutoff) {
                int slot = (int) old[i] & mask;
                while (table[2 * slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                table[2 * slot] = old[i];
                table[2 * slot + 1] = old[i + 1];
                used++;
            }
        }
    }

    private int countFrom(final long cutoff) {
        int live = 0;
        for (int i = 0; i < table.length; i += 2) {
            if (table[i] != EMPTY && table[i + 1] >= cutoff) {
                live++;
            }
        }
        return live;
    }

    /** A time that about half of the ids at or after {@code cutoff} are older than. */
    private long medianTimeFrom(final long cutoff) {
        final long[] live = new long[countFrom(cutoff)];
        int n = 0;
        for (int i = 0; i < table.length; i += 2) {
            if (table[i] != EMPTY && table[i + 1] >= cutoff) {
                live[n++] = table[i + 1];
            }
        }
        Arrays.sort(live);
        return live[live.length / 2];
    }
}
