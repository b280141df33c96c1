package dev.slmrouter.router.volume;

import java.nio.ByteBuffer;

/**
 * A sliding 24-hour count in 24 hourly buckets (a ring indexed by hour of epoch). Exactness is not
 * needed: the count only selects a volume band, whose limits are orders of magnitude apart.
 * Not thread-safe: one instance belongs to one stream task.
 */
final class HourlyCounts {

    static final int HOURS = 24;

    private final long[] hourOfBucket = new long[HOURS];
    private final long[] counts = new long[HOURS];

    void add(final long epochHour) {
        final int bucket = (int) Math.floorMod(epochHour, (long) HOURS);
        if (hourOfBucket[bucket] != epochHour) {
            hourOfBucket[bucket] = epochHour;
            counts[bucket] = 0;
        }
        counts[bucket]++;
    }

    /** Requests counted in the 24 hours ending with {@code epochHour}. */
    long total(final long epochHour) {
        long total = 0;
        for (int i = 0; i < HOURS; i++) {
            if (hourOfBucket[i] > epochHour - HOURS && hourOfBucket[i] <= epochHour) {
                total += counts[i];
            }
        }
        return total;
    }

    byte[] toBytes() {
        final ByteBuffer buffer = ByteBuffer.allocate(HOURS * 2 * Long.BYTES);
        for (int i = 0; i < HOURS; i++) {
            buffer.putLong(hourOfBucket[i]).putLong(counts[i]);
        }
        return buffer.array();
    }

    static HourlyCounts fromBytes(final byte[] bytes) {
        final HourlyCounts restored = new HourlyCounts();
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        for (int i = 0; i < HOURS && buffer.remaining() >= 2 * Long.BYTES; i++) {
            restored.hourOfBucket[i] = buffer.getLong();
            restored.counts[i] = buffer.getLong();
        }
        return restored;
    }
}
