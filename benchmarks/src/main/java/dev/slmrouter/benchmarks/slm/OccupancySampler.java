package dev.slmrouter.benchmarks.slm;

import dev.slmrouter.simulators.common.SimStats;
import dev.slmrouter.simulators.vllm.VllmSimulator;
import java.util.Locale;

/**
 * Samples the simulator's batch every few milliseconds during a run (sequences generating, requests
 * queued for a slot) on a daemon thread, so the report can show how busy each client kept the engine:
 * a client that keeps the engine full holds it at {@code max-num-seqs} running, and every millisecond
 * a client spends between an answer and its next request shows up as a lower mean. Samples are taken
 * only while the engine is not idle, so the start and the end of a run do not dilute the mean.
 */
final class OccupancySampler implements AutoCloseable {

    private static final long PERIOD_MILLIS = 5;

    private final Thread thread;
    private volatile boolean stop;
    private long samples;
    private long runningSum;
    private long waitingSum;

    OccupancySampler(final VllmSimulator sim) {
        this.thread = new Thread(() -> {
            while (!stop) {
                final SimStats stats = sim.stats();
                if (stats.running() + stats.waiting() > 0) {
                    synchronized (this) {
                        samples++;
                        runningSum += stats.running();
                        waitingSum += stats.waiting();
                    }
                }
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "occupancy-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Mean sequences running and waiting over the busy samples so far. */
    synchronized String summary() {
        return samples == 0 ? "engine never busy" : String.format(Locale.ROOT,
                "engine batch: mean %.1f running, %.1f queued", (double) runningSum / samples, (double) waitingSum / samples);
    }

    synchronized double meanRunning() {
        return samples == 0 ? 0 : (double) runningSum / samples;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(1_000);
    }
}
