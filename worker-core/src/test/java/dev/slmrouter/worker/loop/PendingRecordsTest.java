package dev.slmrouter.worker.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class PendingRecordsTest {

    private static final long MS = 1_000_000L;

    private final PendingRecords pending = new PendingRecords();
    private final PartitionProgress<List<ProducerRecord<byte[], byte[]>>> p0 = new PartitionProgress<>();
    private final PartitionProgress<List<ProducerRecord<byte[], byte[]>>> p1 = new PartitionProgress<>();

    @Test
    void aFullBatchIsReadyAtOnce() {
        add(p0, 0, 0);
        add(p0, 1, 0);
        add(p1, 0, 0);

        assertThat(pending.readyBatch(3, 50 * MS, 0)).isEqualTo(3);
        assertThat(pending.readyBatch(2, 50 * MS, 0)).isEqualTo(2);
        assertThat(pending.nanosUntilReady(2, 50 * MS, 0)).isZero();
    }

    @Test
    void aPartialBatchWaitsForTheOldestRecordsMaxWait() {
        add(p0, 0, 10 * MS);
        add(p0, 1, 30 * MS);

        assertThat(pending.readyBatch(4, 50 * MS, 40 * MS)).isZero();
        assertThat(pending.nanosUntilReady(4, 50 * MS, 40 * MS)).isEqualTo(20 * MS);
        assertThat(pending.readyBatch(4, 50 * MS, 60 * MS)).isEqualTo(2);
        assertThat(pending.readyBatch(1, 0, 0)).isEqualTo(1);
    }

    @Test
    void takeKeepsFetchOrderAndRevokedPartitionsAreDropped() {
        add(p0, 0, 0);
        add(p1, 0, 0);
        add(p0, 1, 0);
        add(p1, 1, 0);
        p1.revoke();

        assertThat(pending.removeRevoked()).isEqualTo(2);
        final List<PendingRecords.Pending> batch = pending.take(5);
        assertThat(batch).extracting(p -> p.record().offset()).containsExactly(0L, 1L);
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.nanosUntilReady(2, MS, 0)).isZero();
    }

    private void add(final PartitionProgress<List<ProducerRecord<byte[], byte[]>>> progress, final long offset,
                     final long arrived) {
        progress.track(offset);
        pending.add(progress, new ConsumerRecord<>("t", progress == p0 ? 0 : 1, offset, new byte[0], new byte[0]), arrived);
    }
}
