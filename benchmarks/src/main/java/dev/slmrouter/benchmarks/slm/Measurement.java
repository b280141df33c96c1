package dev.slmrouter.benchmarks.slm;

/**
 * One timed run, direct or through the worker. The rate is counted over the steady window from the first
 * observed completion to the last, excluding what the first observation already held, so both kinds of
 * run are measured the same way: {@code (completed - atFirst) / window}. For the direct generator an
 * observation is one response; for the worker it is a poll that saw newly committed outcomes, so the
 * first transaction's outcomes are excluded just as the first response is. CPU figures are per completed
 * request: {@code clientCpuNanos} is the CPU of the client's own threads (the generator's threads, or
 * the worker's call, loop, commit and Kafka client threads), {@code processCpuNanos} that of this whole
 * JVM (broker, simulator and client together) over the same run. {@code errors} counts failed calls
 * (direct) or outcomes still missing at the run's time limit (worker).
 */
record Measurement(String label, int concurrency, int completed, int atFirst, long windowNanos, int errors,
                   long clientCpuNanos, long processCpuNanos, String detail, double meanRunning) {

    Measurement(final String label, final int concurrency, final int completed, final int atFirst,
                final long windowNanos, final int errors, final long clientCpuNanos, final long processCpuNanos,
                final String detail) {
        this(label, concurrency, completed, atFirst, windowNanos, errors, clientCpuNanos, processCpuNanos, detail, 0);
    }

    /** This run with the engine's mean batch occupancy (see {@link OccupancySampler}) added. */
    Measurement withOccupancy(final double running, final String summary) {
        return new Measurement(label, concurrency, completed, atFirst, windowNanos, errors, clientCpuNanos,
                processCpuNanos, detail.isEmpty() ? summary : summary + "; " + detail, running);
    }

    double perSecond() {
        return windowNanos <= 0 ? 0 : (completed - atFirst) * 1e9 / windowNanos;
    }

    double clientCpuMicrosPerRequest() {
        return completed == 0 ? 0 : clientCpuNanos / 1e3 / completed;
    }

    double processCpuMicrosPerRequest() {
        return completed == 0 ? 0 : processCpuNanos / 1e3 / completed;
    }

    String line() {
        return String.format(java.util.Locale.ROOT,
                "%-22s concurrency %3d: %,6d done (%d errors) in %,6.0f ms window = %,7.1f req/s;"
                        + " client CPU %,6.0f us/req, JVM CPU %,6.0f us/req%s",
                label, concurrency, completed, errors, windowNanos / 1e6, perSecond(), clientCpuMicrosPerRequest(),
                processCpuMicrosPerRequest(), detail.isEmpty() ? "" : "; " + detail);
    }
}
