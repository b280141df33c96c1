package dev.slmrouter.benchmarks.slm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU-time bookkeeping for the report. A {@link Snapshot} holds every live thread's CPU time by thread
 * id (and name) plus the whole process's CPU time; the difference of two snapshots, summed over the
 * threads whose name matches, is the CPU those threads used in between, including threads born after
 * the first snapshot. Threads that died between the snapshots are not counted, so take the second
 * snapshot before stopping what is measured.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** CPU times at one moment. */
    record Snapshot(Map<Long, Long> cpuById, Map<Long, String> nameById, long processNanos) {

        /** CPU nanoseconds that the threads named as {@code matches} accepts used from {@code earlier} to this. */
        long threadsSince(final Snapshot earlier, final Predicate<String> matches) {
            long nanos = 0;
            for (Map.Entry<Long, Long> e : cpuById.entrySet()) {
                if (matches.test(nameById.get(e.getKey()))) {
                    nanos += e.getValue() - earlier.cpuById.getOrDefault(e.getKey(), 0L);
                }
            }
            return nanos;
        }

        long processSince(final Snapshot earlier) {
            return processNanos - earlier.processNanos;
        }
    }

    static Snapshot snapshot() {
        final Map<Long, Long> cpu = new HashMap<>();
        final Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                final long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        return new Snapshot(cpu, names, processCpuNanos());
    }

    /** CPU time of the current thread. */
    static long currentThreadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
