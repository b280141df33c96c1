package dev.slmrouter.simulators.common;

/**
 * A snapshot of a simulator's counters for tests and benchmarks.
 *
 * @param requestsReceived completion requests that reached the simulator (including rejected ones)
 * @param requestsServed   completion requests answered with 200
 * @param errorsReturned   completion requests answered with an error status (scripted, outage, limits)
 * @param running          requests generating right now
 * @param waiting          requests queued for a slot in the batch
 * @param maxRunning       the largest number of requests seen generating at once
 */
public record SimStats(long requestsReceived, long requestsServed, long errorsReturned, int running,
                       int waiting, int maxRunning) {
}
