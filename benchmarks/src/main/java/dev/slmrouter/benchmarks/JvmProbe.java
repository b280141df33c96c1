package dev.slmrouter.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

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

    /**
     * CPU nanoseconds of every thread of this process, summed per thread name with its digits replaced by
     * {@code #}; the JVM's own threads included (GC, JIT), which the ThreadMXBean does not see. Linux names a
     * thread by the first 15 characters of its Java name, so groups are named that way (a stream thread of
     * application {@code bench-hinted-0-..} is {@code bench-hinted-#-}, every client's network thread
     * {@code kafka-producer-}). Read from /proc/self/task/<tid>/schedstat (nanoseconds on CPU); empty where that
     * does not exist. A thread that ended between two readings drops out of the later one.
     */
    static Map<String, Long> cpuNanosByThreadGroup() {
        final Map<String, Long> groups = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    final String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#");
                    final long nanos = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    groups.merge(name, nanos, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return groups;
    }

    /**
     * Requests the in-JVM broker has handled since it started, by request type (Produce, Fetch, EndTxn, ...):
     * the Count of its {@code kafka.network:type=RequestMetrics,name=RequestsPerSec} meters, summed over
     * versions. Empty when no broker runs in this JVM.
     */
    static Map<String, Long> brokerRequests() {
        final Map<String, Long> counts = new HashMap<>();
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName name : server.queryNames(
                    new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
                final Object count = server.getAttribute(name, "Count");
                if (count instanceof Number number) {
                    counts.merge(name.getKeyProperty("request"), number.longValue(), Long::sum);
                }
            }
        } catch (JMException e) {
            return Map.of();
        }
        return counts;
    }

    /** The -Xmx of this JVM in MB. */
    static long maxHeapMb() {
        return Runtime.getRuntime().maxMemory() / MB;
    }
}
