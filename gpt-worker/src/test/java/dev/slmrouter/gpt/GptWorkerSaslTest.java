package dev.slmrouter.gpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.simulators.openai.OpenAiSimulator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker's Kafka clients take TLS/SASL settings from {@code kafka.*}: against a broker whose listener
 * requires SASL/PLAIN, the worker with the right login answers requests, and with a wrong password it
 * does not start.
 */
@ExtendWith(SchemaRegistryExtension.class)
class GptWorkerSaslTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"gpt-worker\" password=\"%s\";";

    private final LocalSchemaRegistry registry;

    GptWorkerSaslTest(final LocalSchemaRegistry registry) {
        this.registry = registry;
    }

    private static Map<String, String> sasl(final KafkaBroker broker, final String password) {
        return Map.of("kafka.bootstrap.servers", broker.saslBootstrapServers(),
                "kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config", String.format(JAAS, password));
    }

    @Test
    void shouldAnswerThroughASaslListenerAndRefuseToStartWithAWrongPassword() throws Exception {
        try (KafkaBroker broker = KafkaBroker.builder().saslPlainUser("gpt-worker", "right-secret").start();
             GptStack stack = new GptStack(broker, registry, OpenAiSimulator.builder().timeScale(0).build().start())) {
            assertThatThrownBy(() -> stack.startWorker(KafkaTestClients.uniqueName("gpt-tx"), 4, sasl(broker, "wrong")))
                    .hasStackTraceContaining("Authentication failed");

            stack.startWorker(KafkaTestClients.uniqueName("gpt-tx"), 4, sasl(broker, "right-secret"));
            stack.produceRouted(0, 5);

            final List<InferenceResult> results = stack.awaitResults(5);
            assertThat(results).hasSize(5).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.OK));
        }
    }
}
