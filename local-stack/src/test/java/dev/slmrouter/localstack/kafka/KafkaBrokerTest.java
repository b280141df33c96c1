package dev.slmrouter.localstack.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerTest {

    @BeforeAll
    static void logStartTime(KafkaBroker broker) {
        LoggerFactory.getLogger(KafkaBrokerTest.class)
                .info("shared broker {} started in {} ms", broker.bootstrapServers(), broker.startupMillis());
    }

    @Test
    void brokerAnswersAndIsSharedAcrossClasses(KafkaBroker broker) throws Exception {
        SharedBrokerProbe.assertShared(broker);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void producedRecordsAreConsumedExactlyOnceInOrder(KafkaBroker broker) throws Exception {
        final String topic = KafkaTestClients.uniqueName("round-trip");
        broker.createTopics(Map.of(topic, 3));
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, bytes("k" + (i % 5)), bytes("v" + i))).get(10, TimeUnit.SECONDS);
            }
        }

        final List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTestClients.drain(broker.bootstrapServers(), topic, 30, Duration.ofSeconds(20));

        assertThat(records).hasSize(30);
        // One key lands in one partition, so its values keep the order they were sent in.
        final List<String> valuesOfK0 = records.stream()
                .filter(r -> string(r.key()).equals("k0"))
                .sorted((a, b) -> Long.compare(a.offset(), b.offset()))
                .map(r -> string(r.value()))
                .collect(Collectors.toList());
        assertThat(valuesOfK0).containsExactly("v0", "v5", "v10", "v15", "v20", "v25");
        // drain reads to the end even when it expected fewer, which is what lets tests catch duplicates.
        assertThat(KafkaTestClients.drain(broker.bootstrapServers(), topic, 10, Duration.ofSeconds(20))).hasSize(30);
    }

    @Test
    void compactedTopicsAreCreatedCompactedAndCreationIsIdempotent(KafkaBroker broker) throws Exception {
        final String topic = KafkaTestClients.uniqueName("table");
        broker.createCompactedTopics(Map.of(topic, 2));
        broker.createCompactedTopics(Map.of(topic, 2));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            final Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions()).hasSize(2);
        }
    }

    @Test
    void drainOfAMissingTopicReturnsNothingAfterTheTimeout(KafkaBroker broker) {
        assertThat(KafkaTestClients.drain(broker.bootstrapServers(), KafkaTestClients.uniqueName("missing"), 1,
                Duration.ofSeconds(1))).isEmpty();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
