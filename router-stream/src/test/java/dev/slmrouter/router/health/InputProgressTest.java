package dev.slmrouter.router.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class InputProgressTest {

    private final AtomicLong nanos = new AtomicLong();
    private final InputProgress progress = new InputProgress("llm.requests", "slm-router", Duration.ofMinutes(5),
            nanos::get);

    private void after(final Duration elapsed) {
        nanos.addAndGet(elapsed.toNanos());
    }

    @Test
    void offsetsThatStandStillWhileRecordsWaitAreAStallThatEndsWhenTheyMove() {
        progress.observe(100, 40);
        after(Duration.ofMinutes(2));
        progress.observe(150, 40);
        assertThat(progress.stalled()).isZero();

        after(Duration.ofMinutes(3));
        progress.observe(150, 55);
        assertThat(progress.stalled()).isEqualTo(Duration.ofMinutes(3));
        assertThat(progress.waiting()).isEqualTo(55);
        after(Duration.ofMinutes(4));
        progress.observe(150, 70);
        assertThat(progress.stalled()).isEqualTo(Duration.ofMinutes(7));

        progress.observe(151, 69);
        assertThat(progress.stalled()).isZero();
    }

    @Test
    void nothingWaitingIsNeverAStall() {
        progress.observe(100, 0);
        after(Duration.ofHours(2));
        progress.observe(100, 0);
        assertThat(progress.stalled()).isZero();
        assertThat(progress.waiting()).isZero();

        // Records arrive after a long idle time: the stall counts from the last observation with none waiting.
        after(Duration.ofSeconds(15));
        progress.observe(100, 3);
        assertThat(progress.stalled()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void checkCountsCommittedRecordsBeyondTheGroupsOffsetsOnARealBroker(final KafkaBroker broker) throws Exception {
        final String topic = KafkaTestClients.uniqueName("progress");
        final String group = KafkaTestClients.uniqueName("router");
        broker.createTopics(Map.of(topic, 2));
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i < 6 ? 0 : 1, null, new byte[] {(byte) i})).get();
            }
        }
        // An open transaction's records are not waiting yet: a read_committed consumer cannot read them.
        final KafkaProducer<byte[], byte[]> open = KafkaTestClients.transactionalProducer(broker.bootstrapServers(),
                KafkaTestClients.uniqueName("open"), new ByteArraySerializer(), new ByteArraySerializer());
        open.beginTransaction();
        for (int i = 0; i < 3; i++) {
            open.send(new ProducerRecord<>(topic, 0, null, new byte[] {1})).get();
        }
        final InputProgress watched = new InputProgress(topic, group, Duration.ofMinutes(5), nanos::get);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2)))
                    .all().get();
            watched.check(admin);
            // Partition 0: 6 committed records, the group at 2; partition 1: 4 records, nothing committed yet.
            assertThat(watched.waiting()).isEqualTo(8);

            after(Duration.ofMinutes(6));
            watched.check(admin);
            assertThat(watched.stalled()).isEqualTo(Duration.ofMinutes(6));

            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 1), new OffsetAndMetadata(4)))
                    .all().get();
            after(Duration.ofSeconds(15));
            watched.check(admin);
            assertThat(watched.waiting()).isEqualTo(4);
            assertThat(watched.stalled()).isZero();
        } finally {
            open.abortTransaction();
            open.close();
        }
    }
}
