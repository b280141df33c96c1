package dev.slmrouter.router.policy;

import java.util.Arrays;

/**
 * Daily-volume bands: {@code limits} are the exclusive upper bounds of every band but the last, so
 * limits [10000, 100000] make the bands &lt; 10k, 10k-100k and &gt;= 100k requests per day.
 */
public record VolumeBands(long[] limits) {

    public VolumeBands {
        limits = limits.clone();
    }

    public int count() {
        return limits.length + 1;
    }

    /** The band index (0 = lowest) of a daily volume. */
    public int bandOf(final long dailyVolume) {
        for (int i = 0; i < limits.length; i++) {
            if (dailyVolume < limits[i]) {
                return i;
            }
        }
        return limits.length;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof VolumeBands bands && Arrays.equals(limits, bands.limits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(limits);
    }

    @Override
    public String toString() {
        return Arrays.toString(limits);
    }
}
