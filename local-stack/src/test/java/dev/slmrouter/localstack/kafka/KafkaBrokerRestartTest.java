package dev.slmrouter.localstack.kafka;

import static dev.slmrouter.localstack.kafka.KafkaBrokerTest.bytes;
import static dev.slmrouter.localstack.kafka.KafkaBrokerTest.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker of its own (not the shared one): a kept log directory and a fixed port survive a restart. */
class KafkaBrokerRestartTest {

    @Test
    void dataSurvivesARestartOnTheSameLogDirAndPort(@TempDir Path dir) throws Exception {
        final Path logDir = dir.resolve("kafka");
        final int port = freePort();
        final String topic = "survivor";

        try (KafkaBroker broker = KafkaBroker.builder().port(port).logDir(logDir).property("num.io.threads", 2).start()) {
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            broker.createTopics(Map.of(topic, 1));
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>(topic, bytes("k"), bytes("before restart"))).get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(Files.exists(logDir.resolve("meta.properties"))).isTrue();

        try (KafkaBroker broker = KafkaBroker.builder().port(port).logDir(logDir).start()) {
            broker.createTopics(Map.of(topic, 1));
            assertThat(KafkaTestClients.drain(broker.bootstrapServers(), topic, 1, Duration.ofSeconds(20))
                    .stream().map(r -> string(r.value())).collect(Collectors.toList()))
                    .containsExactly("before restart");
        }
    }

    @Test
    void aTemporaryLogDirIsDeletedOnClose() {
        final Path logDir;
        try (KafkaBroker broker = KafkaBroker.start()) {
            logDir = broker.logDir();
            assertThat(logDir).exists();
        }
        assertThat(logDir).doesNotExist();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
