package dev.slmrouter.worker.loop;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The loop's meters, all tagged {@code loop=<name>}: gauges {@code worker.loop.in.flight} (records in the
 * handler), {@code worker.loop.pending} (fetched, not yet handed over), {@code worker.loop.held} (done,
 * waiting behind a slower record of their partition), {@code worker.loop.paused} (1 while partitions are
 * paused); counters {@code worker.loop.records.committed}, {@code worker.loop.outcomes.committed},
 * {@code worker.loop.records.dropped} (uncommitted work given up on revocation or restart, redone by the
 * next owner), {@code worker.loop.restarts}; timer {@code worker.loop.commit} (commit latency); distribution
 * summary {@code worker.loop.batch.size} (records per micro-batch handed to the handler; Prometheus
 * {@code worker_loop_batch_size_count}, {@code _sum}, {@code _max} and cumulative {@code _bucket}s with
 * {@code le} 1, 2, 4, ..., 64). Without a registry the meters live in a private {@link SimpleMeterRegistry}.
 * The counts the loop and its tests read are kept in plain atomics so reading them costs nothing.
 */
final class LoopMetrics {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger paused = new AtomicInteger();
    private final AtomicLong recordsCommitted = new AtomicLong();
    private final AtomicLong transactionsCommitted = new AtomicLong();
    private final Counter recordsCommittedCounter;
    private final Counter outcomesCommitted;
    private final Counter recordsDropped;
    private final Counter restarts;
    private final Timer commitLatency;
    private final DistributionSummary batchSize;

    LoopMetrics(final MeterRegistry given, final String loopName) {
        final MeterRegistry registry = given != null ? given : new SimpleMeterRegistry();
        // Gauges hold their state weakly; these atomics live as long as this object, which the loop holds.
        Gauge.builder("worker.loop.in.flight", inFlight, AtomicInteger::get).tag("loop", loopName)
                .description("records being handled").register(registry);
        Gauge.builder("worker.loop.pending", pending, AtomicInteger::get).tag("loop", loopName)
                .description("records fetched, not yet handed to the handler").register(registry);
        Gauge.builder("worker.loop.held", held, AtomicInteger::get).tag("loop", loopName)
                .description("records done, waiting behind a slower record of the same partition").register(registry);
        Gauge.builder("worker.loop.paused", paused, AtomicInteger::get).tag("loop", loopName)
                .description("1 while the loop's partitions are paused").register(registry);
        recordsCommittedCounter = Counter.builder("worker.loop.records.committed").tag("loop", loopName)
                .description("consumed records whose offsets were committed").register(registry);
        outcomesCommitted = Counter.builder("worker.loop.outcomes.committed").tag("loop", loopName)
                .description("records produced in committed transactions").register(registry);
        recordsDropped = Counter.builder("worker.loop.records.dropped").tag("loop", loopName)
                .description("uncommitted records given up on revocation or restart").register(registry);
        restarts = Counter.builder("worker.loop.restarts").tag("loop", loopName)
                .description("client restarts after a transaction failure").register(registry);
        commitLatency = Timer.builder("worker.loop.commit").tag("loop", loopName)
                .description("latency of sending offsets and committing a transaction").register(registry);
        batchSize = DistributionSummary.builder("worker.loop.batch.size").tag("loop", loopName)
                .description("records handed to the handler in one micro-batch")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
    }

    AtomicInteger inFlight() {
        return inFlight;
    }

    /** One micro-batch of {@code records} records went to the handler. */
    void handedOver(final int records) {
        inFlight.addAndGet(records);
        batchSize.record(records);
    }

    void state(final int pendingNow, final int heldNow, final boolean pausedNow) {
        pending.set(pendingNow);
        held.set(heldNow);
        paused.set(pausedNow ? 1 : 0);
    }

    boolean paused() {
        return paused.get() == 1;
    }

    void committed(final int records, final int outcomes, final long nanos) {
        recordsCommitted.addAndGet(records);
        transactionsCommitted.incrementAndGet();
        recordsCommittedCounter.increment(records);
        outcomesCommitted.increment(outcomes);
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void dropped(final int records) {
        if (records > 0) {
            recordsDropped.increment(records);
        }
    }

    void restarted() {
        restarts.increment();
    }

    long recordsCommitted() {
        return recordsCommitted.get();
    }

    long transactionsCommitted() {
        return transactionsCommitted.get();
    }
}
