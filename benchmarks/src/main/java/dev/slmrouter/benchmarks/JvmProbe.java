package dev.slmrouter.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * JVM figures for the throughput report: the live heap after a forced full GC (for the steady state
 * with the models loaded); without forcing anything, the heap the collector left after its most recent
 * collection (for the heap while the router is busy, where a forced GC would disturb the run); and the
 * GC and process CPU time a run used, which tell a CPU-bound run from one starved by other tenants.
 */
final class JvmProbe {

    private static final long MB = 1024 * 1024;

    private JvmProbe() {
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

    /** Milliseconds all collectors have spent collecting since the JVM started. */
    static long gcMillis() {
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, gc.getCollectionTime());
        }
        return millis;
    }

    /**
     * Milliseconds the JIT compilers have spent compiling since the JVM started (their threads' time, which
     * the process's CPU includes: a run during which the JIT still works measures the JIT too).
     */
    static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** CPU time of the whole process (every thread: broker, router, clients) in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU nanoseconds of the live threads whose name contains both parts (e.g. an application id, "StreamThread"). */
    static long threadsCpuNanos(final String part, final String otherPart) {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(part)
                    && info.getThreadName().contains(otherPart)) {
                nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return nanos;
    }

    /** The -Xmx of this JVM in MB. */
    static long maxHeapMb() {
        return Runtime.getRuntime().maxMemory() / MB;
    }
}
