package dev.slmrouter.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Heap figures for the throughput report: the live heap after a forced full GC (for the steady state
 * with the models loaded) and, without forcing anything, the heap the collector left after its most
 * recent collection (for the heap while the router is busy, where a forced GC would disturb the run).
 */
final class HeapProbe {

    private static final long MB = 1024 * 1024;

    private HeapProbe() {
    }

    /** Used heap in MB after {@code System.gc()}; called twice so objects freed by finalisation go too. */
    static long usedAfterFullGcMb() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MB;
    }

    /** Heap in MB that survived the last collection of each heap pool (0 for a pool not yet collected). */
    static long usedAfterLastGcMb() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            final MemoryUsage afterGc = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && afterGc != null) {
                used += afterGc.getUsed();
            }
        }
        return used / MB;
    }

    /** The -Xmx of this JVM in MB. */
    static long maxHeapMb() {
        return Runtime.getRuntime().maxMemory() / MB;
    }
}
