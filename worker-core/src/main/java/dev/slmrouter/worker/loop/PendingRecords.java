package dev.slmrouter.worker.loop;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records fetched but not yet handed to the handler, in fetch order, and the micro-batch rule: a batch is
 * ready when {@code batchSize} records are pending or the oldest has waited {@code maxWait}. Each record
 * keeps the {@link PartitionProgress} of the assignment it was fetched in, so records of a revoked
 * partition can be dropped. Pure logic, loop thread only.
 */
final class PendingRecords {

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();

    void add(final PartitionProgress<List<ProducerRecord<byte[], byte[]>>> progress,
             final ConsumerRecord<byte[], byte[]> record, final long arrivedNanos) {
        queue.addLast(new Pending(progress, record, arrivedNanos));
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The size of the batch that may be handed over at {@code nowNanos}, 0 when none is ready. */
    int readyBatch(final int batchSize, final long maxWaitNanos, final long nowNanos) {
        if (queue.size() >= batchSize) {
            return batchSize;
        }
        if (!queue.isEmpty() && nowNanos - queue.peekFirst().arrivedNanos() >= maxWaitNanos) {
            return queue.size();
        }
        return 0;
    }

    /** Nanoseconds until a partial batch becomes ready by waiting; 0 when one is ready or none is pending. */
    long nanosUntilReady(final int batchSize, final long maxWaitNanos, final long nowNanos) {
        if (queue.isEmpty() || queue.size() >= batchSize) {
            return 0;
        }
        return Math.max(0, queue.peekFirst().arrivedNanos() + maxWaitNanos - nowNanos);
    }

    List<Pending> take(final int count) {
        final List<Pending> batch = new ArrayList<>(count);
        for (int i = 0; i < count && !queue.isEmpty(); i++) {
            batch.add(queue.pollFirst());
        }
        return batch;
    }

    /** Drops records whose partition was revoked; returns how many. */
    int removeRevoked() {
        final int before = queue.size();
        queue.removeIf(p -> p.progress().isRevoked());
        return before - queue.size();
    }

    /**
     * One pending record.
     *
     * @param progress the partition assignment it belongs to
     * @param record the record
     * @param arrivedNanos when the poll returned it ({@link System#nanoTime()})
     */
    record Pending(PartitionProgress<List<ProducerRecord<byte[], byte[]>>> progress,
                   ConsumerRecord<byte[], byte[]> record, long arrivedNanos) {
    }
}
