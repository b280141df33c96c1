package dev.slmrouter.localstack.kafka;

import static dev.slmrouter.localstack.kafka.KafkaBrokerTest.bytes;
import static dev.slmrouter.localstack.kafka.KafkaBrokerTest.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaTransactionsTest {

    private final KafkaBroker broker;

    KafkaTransactionsTest(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void usesTheBrokerSharedWithOtherClasses() {
        SharedBrokerProbe.assertShared(broker);
    }

    @Test
    void readCommittedSeesCommittedTransactionsOnlyAndExactlyOnce() throws Exception {
        final String topic = KafkaTestClients.uniqueName("tx");
        broker.createTopics(Map.of(topic, 2));
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.transactionalProducer(
                broker.bootstrapServers(), KafkaTestClients.uniqueName("tx-id"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            sendInTransaction(producer, topic, "committed-a", 3, true);
            sendInTransaction(producer, topic, "aborted", 4, false);
            sendInTransaction(producer, topic, "committed-b", 2, true);
        }

        // drain reads on to the last stable offset after the fifth record, so a leaked aborted record or
        // a duplicate would show up in the list rather than be left unread.
        final List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTestClients.drain(broker.bootstrapServers(), topic, 5, Duration.ofSeconds(20));
        final List<String> values = records.stream().map(r -> string(r.value())).sorted().collect(Collectors.toList());

        assertThat(values).containsExactly(
                "committed-a-0", "committed-a-1", "committed-a-2", "committed-b-0", "committed-b-1");
    }

    @Test
    void drainReturnsAsSoonAsTheExpectedRecordsAreCommitted() throws Exception {
        final String topic = KafkaTestClients.uniqueName("tx-fast");
        broker.createTopics(Map.of(topic, 1));
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.transactionalProducer(
                broker.bootstrapServers(), KafkaTestClients.uniqueName("tx-id"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            sendInTransaction(producer, topic, "aborted", 2, false);
            sendInTransaction(producer, topic, "ok", 5, true);
        }

        final long start = System.nanoTime();
        final List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTestClients.drain(broker.bootstrapServers(), topic, 5, Duration.ofSeconds(30));

        assertThat(records).hasSize(5);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    private static void sendInTransaction(KafkaProducer<byte[], byte[]> producer, String topic, String prefix,
                                          int count, boolean commit) {
        producer.beginTransaction();
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, bytes(prefix + "-" + i), bytes(prefix + "-" + i)));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            // Flush first so the aborted records really are in the log, not just dropped client-side.
            producer.flush();
            producer.abortTransaction();
        }
    }
}
