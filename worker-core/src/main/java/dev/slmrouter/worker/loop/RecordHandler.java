package dev.slmrouter.worker.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a worker does with one consumed record: decode it, call the backend on the handler's own bounded
 * executor, and complete with the records to produce for it (a result, an escalation, a dead letter; an
 * empty list commits the offset and produces nothing). The {@link WorkerLoop} calls {@link #handle} and
 * {@link #handleBatch} on its own thread, so they must start the work and return at once, never block.
 * Record-level problems (undecodable input, a failed or refused call) are outcomes, not failures: complete
 * normally with a dead letter or an escalation. An exceptional completion (or an exception thrown by
 * {@code handle}) is treated as a bug: the loop asks {@link #recover}, whose default fails the loop, so
 * nothing more is committed and the uncommitted records are redone by the next owner of the partitions.
 * The loop may call {@code handle} again for the same record after a crash or rebalance (at-least-once
 * calls); what is produced is committed exactly once.
 */
@FunctionalInterface
public interface RecordHandler {

    /** Starts handling one record; the future completes with the records to produce for it. */
    CompletableFuture<List<ProducerRecord<byte[], byte[]>>> handle(ConsumerRecord<byte[], byte[]> record);

    /**
     * Starts handling a micro-batch (see {@link WorkerLoopConfig.Builder#batchSize}); returns one future
     * per record, in the order given. The default handles each record on its own; a backend that prefers
     * one call for many prompts overrides this.
     */
    default List<CompletableFuture<List<ProducerRecord<byte[], byte[]>>>> handleBatch(
            final List<ConsumerRecord<byte[], byte[]>> records) {
        final List<CompletableFuture<List<ProducerRecord<byte[], byte[]>>>> futures = new ArrayList<>(records.size());
        for (final ConsumerRecord<byte[], byte[]> record : records) {
            futures.add(handle(record));
        }
        return futures;
    }

    /**
     * Called on the loop thread when handling {@code record} failed with {@code error} (a bug, by the
     * contract above); returns the records to produce instead, e.g. a dead letter naming the error. The
     * default rethrows, which stops the loop with that error. Must not block.
     */
    default List<ProducerRecord<byte[], byte[]>> recover(final ConsumerRecord<byte[], byte[]> record,
                                                         final Throwable error) {
        throw new HandlerFailedException(record, error);
    }
}
