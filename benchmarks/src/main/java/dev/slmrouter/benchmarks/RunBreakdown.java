package dev.slmrouter.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * Where a run's CPU went, for {@code RouterThroughput --thread-cpu=true}: CPU per thread group (the JVM's GC
 * and JIT threads included) and the requests the in-JVM broker handled, by type. Taken at a run's start and
 * end; {@link #since} gives the run's share.
 *
 * @param cpuNanosByThreadGroup {@link JvmProbe#cpuNanosByThreadGroup()}
 * @param brokerRequests        {@link JvmProbe#brokerRequests()}
 */
record RunBreakdown(Map<String, Long> cpuNanosByThreadGroup, Map<String, Long> brokerRequests) {

    static final RunBreakdown NONE = new RunBreakdown(Map.of(), Map.of());

    static RunBreakdown take() {
        return new RunBreakdown(JvmProbe.cpuNanosByThreadGroup(), JvmProbe.brokerRequests());
    }

    /** What was used between {@code start} and this snapshot (a thread group or request type new since then counts whole). */
    RunBreakdown since(final RunBreakdown start) {
        return new RunBreakdown(minus(cpuNanosByThreadGroup, start.cpuNanosByThreadGroup),
                minus(brokerRequests, start.brokerRequests));
    }

    /** The busiest thread groups in CPU microseconds per record, and the broker's requests per 1,000 records. */
    String describe(final int records) {
        return "    CPU us/record by thread (Linux names, 15 characters): "
                + top(cpuNanosByThreadGroup, 10, nanos -> String.format("%.2f", nanos / 1e3 / records))
                + "\n    broker requests per 1,000 records: "
                + top(brokerRequests, 8, count -> String.format("%.1f", count * 1000.0 / records));
    }

    private static String top(final Map<String, Long> values, final int limit, final LongFunction<String> format) {
        return values.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .map(e -> e.getKey() + " " + format.apply(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static Map<String, Long> minus(final Map<String, Long> end, final Map<String, Long> start) {
        final Map<String, Long> used = new HashMap<>(end);
        start.forEach((key, atStart) -> used.computeIfPresent(key, (k, atEnd) -> atEnd - atStart));
        return used;
    }
}
