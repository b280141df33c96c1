package dev.slmrouter.worker.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.slmrouter.serde.SchemaRegistryUnavailableException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer and one transactional producer and everything the loop holds for them: per-partition
 * progress, pending records, handler completions, and the open transaction. A session is used by the loop
 * thread (handler completions arrive through a concurrent queue) and is thrown away whole on any
 * transaction failure: a new session starts from the committed offsets, so no uncommitted state has to be
 * repaired. Outcomes are sent into the open transaction as soon as their offsets form a contiguous done
 * prefix; when the transaction is {@code commitInterval} old, its offsets and the commit go to a committer
 * thread, because a commit takes tens of milliseconds on a busy broker and the loop thread must keep
 * replacing finished calls meanwhile. The next transaction begins only after that commit finished (one
 * transaction at a time per producer); revocation and close wait for it, so the group generation the
 * offsets carry is still the current one.
 */
final class LoopSession implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(LoopSession.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final WorkerLoopConfig config;
    private final RecordHandler handler;
    private final ConsumeGate gate;
    private final LoopMetrics metrics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, PartitionProgress<List<ProducerRecord<byte[], byte[]>>>> progress = new HashMap<>();
    private final PendingRecords pending = new PendingRecords();
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final Map<TopicPartition, OffsetAndMetadata> staged = new HashMap<>();
    private final long commitIntervalNanos;
    private final long batchMaxWaitNanos;
    private final long pollTimeoutNanos;
    private final ExecutorService committer;
    private CompletableFuture<Void> commitInFlight;
    private int stagedRecords;
    private int stagedOutcomes;
    private boolean transactionOpen;
    private long transactionDeadline;
    private boolean closing;
    private volatile boolean abandoned;
    private RuntimeException callbackFailure;

    private LoopSession(final WorkerLoopConfig config, final RecordHandler handler, final ConsumeGate gate,
                        final LoopMetrics metrics, final KafkaProducer<byte[], byte[]> producer,
                        final KafkaConsumer<byte[], byte[]> consumer) {
        this.config = config;
        this.handler = handler;
        this.gate = gate;
        this.metrics = metrics;
        this.producer = producer;
        this.consumer = consumer;
        this.commitIntervalNanos = config.commitInterval().toNanos();
        this.batchMaxWaitNanos = config.batchMaxWait().toNanos();
        this.pollTimeoutNanos = config.pollTimeout().toNanos();
        this.committer = Executors.newSingleThreadExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "worker-loop-" + config.name() + "-commit");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Creates the clients, initializes transactions (which fences an earlier instance with the same
     * transactional id and aborts its open transaction), checks the topics exist and subscribes.
     */
    static LoopSession open(final WorkerLoopConfig config, final RecordHandler handler, final ConsumeGate gate,
                            final LoopMetrics metrics) {
        final KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer = null;
        LoopSession session = null;
        try {
            producer.initTransactions();
            consumer = new KafkaConsumer<>(config.consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            session = new LoopSession(config, handler, gate, metrics, producer, consumer);
            session.checkTopics();
            consumer.subscribe(config.topics(), session);
            return session;
        } catch (RuntimeException e) {
            closeQuietly(producer, consumer, Duration.ZERO);
            if (session != null) {
                session.committer.shutdownNow();
            }
            throw e;
        }
    }

    private void checkTopics() {
        final List<String> missing = new ArrayList<>();
        for (final String topic : config.topics()) {
            final List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            throw new WorkerLoopException("the worker loop " + config.name() + " cannot start: topics " + missing
                    + " do not exist (create them with the topics command)");
        }
    }

    /** One turn: take completions, send what became committable, commit if due, hand out work, poll. */
    void runOnce() {
        drainCompletions();
        if (commitFinished()) {
            stageCommittable(true);
            if (transactionOpen && System.nanoTime() - transactionDeadline >= 0) {
                startCommit();
            }
        }
        final long now = System.nanoTime();
        dispatch(now);
        updatePause();
        poll(pollTimeoutMillis(now));
    }

    /** Stops handing out records and pauses; in-flight work goes on and is committed as it completes. */
    void beginClose() {
        closing = true;
    }

    /** True when no handler call of this loop is running and every completion has been taken. */
    boolean drained() {
        return metrics.inFlight().get() == 0 && completions.isEmpty();
    }

    /** Commits what can be committed and closes both clients, leaving the group. */
    void finish() {
        drainCompletions();
        commitNow(true);
        abandoned = true;
        metrics.dropped(tracked());
        // Closing the consumer calls onPartitionsRevoked, which now only drops state.
        closeQuietly(producer, consumer, CLOSE_TIMEOUT);
        committer.shutdownNow();
    }

    /** After a failure: abort the open transaction if the producer still can, and close both clients. */
    void abandon() {
        abandoned = true;
        if (transactionOpen) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException e) {
                // A fenced or broken producer cannot abort; the coordinator aborts on timeout, and the next
                // initTransactions with this transactional id aborts it at once.
                LOG.debug("abort after failure failed: {}", e.toString());
            }
        }
        metrics.dropped(tracked());
        closeQuietly(producer, consumer, CLOSE_TIMEOUT);
        committer.shutdownNow();
    }

    /**
     * Simulated crash, from any thread: closes the producer at once without committing or aborting, and
     * wakes the loop thread, which then only closes the consumer ({@link #closeAfterKill()}).
     */
    void kill() {
        abandoned = true;
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing the producer on kill: {}", e.toString());
        }
        consumer.wakeup();
    }

    /** Loop thread, after {@link #kill()}: close the consumer like a dead process, staying in the group. */
    void closeAfterKill() {
        try {
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                    .withTimeout(Duration.ZERO));
        } catch (RuntimeException e) {
            LOG.debug("closing the consumer after kill: {}", e.toString());
        }
        committer.shutdownNow();
    }

    // ---- completions ------------------------------------------------------------------------------

    private void onComplete(final PendingRecords.Pending pending, final List<ProducerRecord<byte[], byte[]>> outcomes,
                            final Throwable error) {
        // Runs on whatever thread completed the future: touch only thread-safe state.
        metrics.inFlight().decrementAndGet();
        completions.add(new Completion(pending, outcomes, error));
        wake();
    }

    /** Any thread: end the loop thread's current poll early, if it is in one. */
    private void wake() {
        if (parked.getAndSet(false) && !abandoned) {
            consumer.wakeup();
        }
    }

    private void drainCompletions() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            final PartitionProgress<List<ProducerRecord<byte[], byte[]>>> partition = completion.pending().progress();
            if (partition.isRevoked()) {
                continue;
            }
            final ConsumerRecord<byte[], byte[]> record = completion.pending().record();
            List<ProducerRecord<byte[], byte[]>> outcomes = completion.outcomes();
            if (completion.error() != null || outcomes == null) {
                final Throwable error = completion.error() != null ? unwrap(completion.error())
                        : new NullPointerException("the handler completed with null instead of a list of records");
                if (error instanceof SchemaRegistryUnavailableException unavailable) {
                    // Not the record's fault and not a bug: start again from the committed offsets once the
                    // registry answers (WorkerLoop restarts the session and waits; the record is redone).
                    throw unavailable;
                }
                LOG.error("loop {}: the handler failed {}-{}@{}", config.name(), record.topic(), record.partition(),
                        record.offset(), error);
                outcomes = handler.recover(record, error);
                if (outcomes == null) {
                    throw new HandlerFailedException(record, error);
                }
            }
            partition.complete(record.offset(), outcomes);
        }
    }

    private static Throwable unwrap(final Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    // ---- transactions -----------------------------------------------------------------------------

    private void stageCommittable(final boolean mayAdvancePosition) {
        for (final Map.Entry<TopicPartition, PartitionProgress<List<ProducerRecord<byte[], byte[]>>>> entry
                : progress.entrySet()) {
            final TopicPartition tp = entry.getKey();
            final PartitionProgress<List<ProducerRecord<byte[], byte[]>>> partition = entry.getValue();
            final PartitionProgress.Committable<List<ProducerRecord<byte[], byte[]>>> committable =
                    partition.takeCommittable();
            if (!committable.isEmpty()) {
                beginIfNeeded();
                for (final List<ProducerRecord<byte[], byte[]>> outcomes : committable.outcomes()) {
                    for (final ProducerRecord<byte[], byte[]> outcome : outcomes) {
                        // A failed send makes commitTransaction throw, so no callback is needed here.
                        producer.send(outcome);
                    }
                    stagedOutcomes += outcomes.size();
                }
                stagedRecords += committable.outcomes().size();
                staged.put(tp, new OffsetAndMetadata(committable.nextOffset()));
            } else if (mayAdvancePosition && partition.tracked() == 0 && partition.committedUpTo() >= 0) {
                // Everything read is committed, but the consumer may have moved past a transaction marker
                // after the last record; committing its position leaves a lag of 0 instead of 1.
                final long position = knownPosition(tp);
                if (position > partition.committedUpTo() && partition.advanceTo(position)) {
                    beginIfNeeded();
                    staged.put(tp, new OffsetAndMetadata(position));
                }
            }
        }
    }

    private long knownPosition(final TopicPartition tp) {
        try {
            // With a zero timeout this answers from memory when the position is known, and never blocks.
            return consumer.position(tp, Duration.ZERO);
        } catch (org.apache.kafka.common.errors.TimeoutException | WakeupException e) {
            return -1;
        }
    }

    private void beginIfNeeded() {
        if (!transactionOpen) {
            producer.beginTransaction();
            transactionOpen = true;
            transactionDeadline = System.nanoTime() + commitIntervalNanos;
        }
    }

    /**
     * Hands the open transaction to the committer thread. The group metadata is read here, on the loop
     * thread (the consumer is not thread-safe): with it the broker refuses the offsets of a zombie that
     * lost its partitions (KIP-447), so such a transaction fails instead of committing twice.
     */
    private void startCommit() {
        final ConsumerGroupMetadata group = consumer.groupMetadata();
        if (group.generationId() < 0) {
            // The broker would take generation -1 as a pre-KIP-447 commit and skip that check.
            throw new KafkaException("loop " + config.name() + " is not in its group (generation "
                    + group.generationId() + "); its transaction must not commit");
        }
        final Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(staged);
        final int records = stagedRecords;
        final int outcomes = stagedOutcomes;
        transactionOpen = false;
        staged.clear();
        stagedRecords = 0;
        stagedOutcomes = 0;
        commitInFlight = CompletableFuture.runAsync(() -> {
            final long start = System.nanoTime();
            producer.sendOffsetsToTransaction(offsets, group);
            producer.commitTransaction();
            metrics.committed(records, outcomes, System.nanoTime() - start);
        }, committer);
        commitInFlight.whenComplete((ignored, error) -> wake());
    }

    /** True when no commit is running; rethrows the failure of the one that just ended. */
    private boolean commitFinished() {
        if (commitInFlight == null) {
            return true;
        }
        if (!commitInFlight.isDone()) {
            return false;
        }
        awaitCommit();
        return true;
    }

    private void awaitCommit() {
        if (commitInFlight == null) {
            return;
        }
        final CompletableFuture<Void> commit = commitInFlight;
        commitInFlight = null;
        try {
            // Bounded by the producer: sendOffsetsToTransaction and commitTransaction give up after max.block.ms.
            commit.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        }
    }

    /** Waits for a running commit, then stages and commits everything committable, on this thread. */
    private void commitNow(final boolean mayAdvancePosition) {
        awaitCommit();
        stageCommittable(mayAdvancePosition);
        if (transactionOpen) {
            startCommit();
            awaitCommit();
        }
    }

    // ---- dispatch, pause, poll --------------------------------------------------------------------

    private void dispatch(final long now) {
        if (closing) {
            return;
        }
        while (!pending.isEmpty()) {
            final int size = pending.readyBatch(config.batchSize(), batchMaxWaitNanos, now);
            if (size == 0 || metrics.inFlight().get() + size > config.maxInFlight() || !gate.isOpen()) {
                return;
            }
            handOver(pending.take(size));
        }
    }

    private void handOver(final List<PendingRecords.Pending> batch) {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(batch.size());
        for (final PendingRecords.Pending p : batch) {
            records.add(p.record());
        }
        metrics.handedOver(batch.size());
        List<CompletableFuture<List<ProducerRecord<byte[], byte[]>>>> futures;
        try {
            futures = handler.handleBatch(records);
        } catch (RuntimeException e) {
            // Throwing instead of returning a failed future is the same bug; route it the same way.
            futures = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                futures.add(CompletableFuture.failedFuture(e));
            }
        }
        if (futures == null || futures.size() != batch.size()) {
            metrics.inFlight().addAndGet(-batch.size());
            throw new HandlerFailedException("handleBatch returned " + (futures == null ? "null" : futures.size() + " futures")
                    + " for " + batch.size() + " records");
        }
        for (int i = 0; i < batch.size(); i++) {
            final PendingRecords.Pending p = batch.get(i);
            final CompletableFuture<List<ProducerRecord<byte[], byte[]>>> future = futures.get(i);
            if (future == null) {
                onComplete(p, null, new NullPointerException("the handler returned a null future"));
            } else {
                future.whenComplete((outcomes, error) -> onComplete(p, outcomes, error));
            }
        }
    }

    private boolean wantRecords() {
        // Keep up to maxInFlight records pending beside those in flight, so a finished call is replaced
        // from memory at once instead of after a resume, a fetch and another poll.
        return !closing && gate.isOpen()
                && pending.size() < config.maxInFlight()
                // One poll may add up to max.poll.records, so stop while that still fits under the bound.
                && tracked() + config.maxPollRecords() <= config.maxBuffered();
    }

    private void updatePause() {
        final boolean consume = wantRecords();
        if (consume) {
            final Set<TopicPartition> paused = consumer.paused();
            if (!paused.isEmpty()) {
                consumer.resume(paused);
            }
        } else {
            final Set<TopicPartition> assigned = consumer.assignment();
            if (!assigned.isEmpty()) {
                consumer.pause(assigned);
            }
        }
        metrics.state(pending.size(), held(), !consume);
    }

    private long pollTimeoutMillis(final long now) {
        long nanos = pollTimeoutNanos;
        if (transactionOpen) {
            nanos = Math.min(nanos, transactionDeadline - now);
        }
        // Only a batch that becomes ready by waiting shortens the poll; one that is ready but blocked by
        // capacity waits for a completion (which wakes the poll), and one blocked by the gate for the gate.
        final long untilBatch = pending.nanosUntilReady(config.batchSize(), batchMaxWaitNanos, now);
        if (untilBatch > 0) {
            nanos = Math.min(nanos, untilBatch);
        }
        return nanos <= 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
    }

    private void poll(final long timeoutMillis) {
        ConsumerRecords<byte[], byte[]> records;
        parked.set(true);
        // A completion or commit that ended before parked was set did not wake us: do not wait then.
        final boolean news = !completions.isEmpty() || (commitInFlight != null && commitInFlight.isDone());
        final long timeout = news ? 0 : timeoutMillis;
        try {
            records = consumer.poll(Duration.ofMillis(timeout));
        } catch (WakeupException e) {
            records = ConsumerRecords.empty();
        } finally {
            parked.set(false);
        }
        if (callbackFailure != null) {
            final RuntimeException failure = callbackFailure;
            callbackFailure = null;
            throw failure;
        }
        if (abandoned) {
            return;
        }
        final long arrived = System.nanoTime();
        for (final TopicPartition tp : records.partitions()) {
            final PartitionProgress<List<ProducerRecord<byte[], byte[]>>> partition = progress.get(tp);
            if (partition == null) {
                throw new IllegalStateException("records of " + tp + " which is not assigned");
            }
            for (final ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                partition.track(record.offset());
                pending.add(partition, record, arrived);
            }
        }
    }

    private int tracked() {
        int sum = 0;
        for (final PartitionProgress<?> p : progress.values()) {
            sum += p.tracked();
        }
        return sum;
    }

    private int held() {
        int sum = 0;
        for (final PartitionProgress<?> p : progress.values()) {
            sum += p.held();
        }
        return sum;
    }

    // ---- rebalances -------------------------------------------------------------------------------

    @Override
    public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
        if (abandoned) {
            drop(partitions);
            return;
        }
        try {
            // Commit what is done before the partitions move; the new owner redoes the rest.
            drainCompletions();
            commitNow(false);
        } catch (RuntimeException e) {
            // Thrown from here the consumer would wrap it; kept, it is rethrown as itself after the poll.
            callbackFailure = e;
        } finally {
            drop(partitions);
        }
    }

    @Override
    public void onPartitionsLost(final Collection<TopicPartition> partitions) {
        drop(partitions);
        if (!abandoned && transactionOpen) {
            // The open transaction holds outcomes of partitions another member now owns: it must not commit,
            // and aborting it would lose outcomes of partitions we keep; a new session starts clean.
            callbackFailure = new KafkaException("partitions " + partitions + " were lost with a transaction open");
        }
    }

    @Override
    public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
        for (final TopicPartition tp : partitions) {
            final PartitionProgress<List<ProducerRecord<byte[], byte[]>>> old = progress.put(tp, new PartitionProgress<>());
            if (old != null) {
                metrics.dropped(old.revoke());
            }
        }
        pending.removeRevoked();
        if (!abandoned && !wantRecords()) {
            // Pause before the first fetch, so a closed gate fetches nothing into memory.
            consumer.pause(partitions);
        }
        LOG.info("loop {}: assigned {}", config.name(), partitions);
    }

    private void drop(final Collection<TopicPartition> partitions) {
        int dropped = 0;
        for (final TopicPartition tp : partitions) {
            final PartitionProgress<?> partition = progress.remove(tp);
            if (partition != null) {
                dropped += partition.revoke();
            }
        }
        pending.removeRevoked();
        metrics.dropped(dropped);
        if (!partitions.isEmpty()) {
            LOG.info("loop {}: revoked {} ({} uncommitted records left to the next owner)", config.name(),
                    partitions, dropped);
        }
    }

    private static void closeQuietly(final KafkaProducer<byte[], byte[]> producer,
                                     final KafkaConsumer<byte[], byte[]> consumer, final Duration timeout) {
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            LOG.debug("closing the producer: {}", e.toString());
        }
        if (consumer != null) {
            try {
                consumer.close(CloseOptions.timeout(timeout));
            } catch (RuntimeException e) {
                LOG.debug("closing the consumer: {}", e.toString());
            }
        }
    }

    /** A handler future's result, carried from the completing thread to the loop thread. */
    private record Completion(PendingRecords.Pending pending, List<ProducerRecord<byte[], byte[]>> outcomes,
                              Throwable error) {
    }
}
