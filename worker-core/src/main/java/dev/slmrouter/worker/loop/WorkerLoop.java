package dev.slmrouter.worker.loop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.slmrouter.serde.SchemaRegistryUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional consume-call-produce loop both workers run: it consumes its topics in a consumer
 * group, hands records to a {@link RecordHandler} with at most {@code maxInFlight} in the handler at once,
 * and commits each record's outcome records in the same Kafka transaction as the offset that covers it
 * (contiguous prefix per partition, see {@link PartitionProgress}), so read_committed readers see exactly
 * one outcome per consumed record through crashes, restarts and rebalances. Work flows continuously: new
 * records are handed out as handler calls finish, and transactions commit every {@code commitInterval}.
 * When the {@link ConsumeGate} is closed or a memory limit is reached, partitions are paused. On a
 * transaction failure the loop aborts, closes both clients and starts again from the committed offsets
 * (uncommitted work is redone; calls are at-least-once, outcomes exactly-once), up to
 * {@code maxConsecutiveRestarts} times without a successful commit in between; it stops for good on a
 * fenced producer (another live instance has this transactional id, or a transaction outlived
 * {@code transaction.timeout.ms}: Kafka 4 reports both alike, and restarting would fence the other instance
 * in turn), an authorization or configuration error, a missing topic, or a handler bug. {@link #start()}
 * runs it on its own thread; {@link #terminated()} tells how it ended. The package documentation has the
 * whole design.
 */
public final class WorkerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
    /** How long close and kill wait for the loop thread beyond the in-flight grace period. */
    private static final Duration JOIN_SLACK = Duration.ofSeconds(30);

    private final WorkerLoopConfig config;
    private final RecordHandler handler;
    private final ConsumeGate gate;
    private final LoopMetrics metrics;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Thread thread;
    private volatile LoopSession session;
    private volatile boolean stopRequested;
    private volatile boolean killed;
    private volatile long closeDeadlineNanos;

    public WorkerLoop(final WorkerLoopConfig config, final RecordHandler handler) {
        this(config, handler, ConsumeGate.OPEN, null);
    }

    /** A loop; {@code registry} may be null (meters then stay private). */
    public WorkerLoop(final WorkerLoopConfig config, final RecordHandler handler, final ConsumeGate gate,
                      final MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.metrics = new LoopMetrics(registry, config.name());
        this.thread = new Thread(this::run, "worker-loop-" + config.name());
        // A daemon, so a forgotten loop never keeps a JVM alive; a service waits on terminated() instead.
        this.thread.setDaemon(true);
    }

    /** Starts the loop thread (once). */
    public synchronized WorkerLoop start() {
        if (thread.getState() != Thread.State.NEW) {
            throw new IllegalStateException("the worker loop " + config.name() + " was started before");
        }
        thread.start();
        return this;
    }

    /**
     * Stops gracefully: hands out no more records, waits up to {@code grace} for the records in the
     * handler, commits what is done, and closes both clients (leaving the group, so the partitions move at
     * once). Records not committed by then are redone by the next owner. Blocks until the loop thread ended
     * or {@code grace} plus 30 s passed.
     */
    public void close(final Duration grace) {
        closeDeadlineNanos = System.nanoTime() + grace.toNanos();
        stopRequested = true;
        if (thread.getState() == Thread.State.NEW) {
            terminated.complete(null);
            return;
        }
        join(grace.plus(JOIN_SLACK));
    }

    /** {@link #close(Duration)} with a 30 s grace period. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Simulates a crash (for tests): closes the producer at once, mid-transaction if one is open, without
     * committing or aborting, and the consumer without leaving the group, so the group notices only after
     * its session timeout. The open transaction is aborted by the coordinator after
     * {@code transaction.timeout.ms}, or at once when an instance with the same transactional id starts.
     */
    public void kill() {
        killed = true;
        stopRequested = true;
        final LoopSession current = session;
        if (current != null) {
            current.kill();
        }
        if (thread.getState() == Thread.State.NEW) {
            terminated.complete(null);
            return;
        }
        join(JOIN_SLACK);
    }

    private void join(final Duration timeout) {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("loop {}: the loop thread did not end within {}", config.name(), timeout);
        }
    }

    /** Completes when the loop thread ends: normally after close or kill, exceptionally when it failed. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Records in the handler now. */
    public int inFlight() {
        return metrics.inFlight().get();
    }

    /** Consumed records whose outcomes and offsets were committed by this loop (all sessions). */
    public long committedRecords() {
        return metrics.recordsCommitted();
    }

    /** True while the loop's partitions are paused (gate closed, a limit reached, or closing). */
    public boolean paused() {
        return metrics.paused();
    }

    public WorkerLoopConfig config() {
        return config;
    }

    private void run() {
        int failures = 0;
        try {
            while (!stopRequested) {
                final long commitsBefore = metrics.transactionsCommitted();
                try {
                    runSession();
                    return;
                } catch (RuntimeException e) {
                    final LoopSession failed = session;
                    if (killed) {
                        return;
                    }
                    if (failed != null) {
                        failed.abandon();
                    }
                    session = null;
                    if (metrics.transactionsCommitted() > commitsBefore || isTransient(e)) {
                        failures = 0;
                    }
                    failures++;
                    if (isFenced(e)) {
                        throw new WorkerLoopException("the producer of worker loop " + config.name() + " was fenced: "
                                + "another instance runs with transactional.id " + config.transactionalId()
                                + ", or a transaction outlived transaction.timeout.ms; stopping, because restarting "
                                + "would fence the other instance in turn", e);
                    }
                    if (isFatal(e)) {
                        throw e;
                    }
                    if (stopRequested) {
                        // Failed while closing: what was not committed is redone by the next owner.
                        LOG.warn("loop {}: closing failed, uncommitted work is left to the next owner: {}",
                                config.name(), e.toString(), e);
                        return;
                    }
                    if (failures > config.maxConsecutiveRestarts()) {
                        throw new WorkerLoopException("the worker loop " + config.name() + " failed " + failures
                                + " times in a row without a commit; last error: " + e, e);
                    }
                    LOG.warn("loop {}: {}; restarting from the committed offsets in {} ({} of at most {})",
                            config.name(), e.toString(), config.restartBackoff(), failures,
                            config.maxConsecutiveRestarts(), e);
                    metrics.restarted();
                    sleepUnlessStopped(config.restartBackoff());
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("loop {} stopped: {}", config.name(), e.toString(), e);
            terminated.completeExceptionally(e);
        } finally {
            if (killed && session != null) {
                session.closeAfterKill();
            }
            terminated.complete(null);
            LOG.info("loop {} ended", config.name());
        }
    }

    private void runSession() {
        session = LoopSession.open(config, handler, gate, metrics);
        if (killed) {
            // kill() may have run while the clients were being created, before it could see them.
            session.kill();
            return;
        }
        while (!stopRequested) {
            session.runOnce();
        }
        if (killed) {
            return;
        }
        session.beginClose();
        while (!session.drained() && System.nanoTime() - closeDeadlineNanos < 0 && !killed) {
            session.runOnce();
        }
        if (!killed) {
            session.finish();
        }
    }

    private void sleepUnlessStopped(final Duration pause) {
        final long end = System.nanoTime() + pause.toNanos();
        while (!stopRequested && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Fencing. With transactions v2 (Kafka 4) a producer fenced by a newer one with the same transactional
     * id mostly sees {@link InvalidProducerEpochException}, the same error a transaction aborted on timeout
     * gives: both are treated as fencing, since the two cannot be told apart.
     */
    static boolean isFenced(final Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException
                    || e instanceof FencedInstanceIdException) {
                return true;
            }
        }
        return false;
    }

    /**
     * An outage of something the loop needs besides Kafka (the schema registry): restarting fixes it once
     * that is back, so these restarts, with their backoff, go on for as long as it takes.
     */
    static boolean isTransient(final Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof SchemaRegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /** Errors a restart cannot fix, or that a restart would make worse. */
    static boolean isFatal(final Throwable error) {
        if (isFenced(error)) {
            return true;
        }
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof AuthenticationException || e instanceof AuthorizationException
                    || e instanceof UnsupportedVersionException || e instanceof ConfigException
                    || e instanceof WorkerLoopException || e instanceof IllegalArgumentException) {
                return true;
            }
        }
        return false;
    }
}
