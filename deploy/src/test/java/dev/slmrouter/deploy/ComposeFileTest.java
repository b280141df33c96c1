package dev.slmrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml: the services, Kafka in KRaft mode, the GPU, the order of start-up, no secrets. */
class ComposeFileTest {

    private final Compose compose = Compose.load();

    @Test
    void hasExactlyTheServicesOfTheProductionShape() {
        assertThat(compose.serviceNames()).containsExactlyInAnyOrder(
                "kafka", "topics", "schema-registry", "vllm", "router", "slm-worker", "gpt-worker", "drift-monitor",
                "tier0-worker", "prometheus", "grafana");
    }

    @Test
    void kafkaIsTheApacheImageAtTheClientsVersionInKraftMode() {
        final Matcher version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(Repo.read("pom.xml"));
        assertThat(version.find()).as("kafka.version in pom.xml").isTrue();
        assertThat(compose.service("kafka").path("image").asText()).isEqualTo("apache/kafka:" + version.group(1));
        // The topic step runs Kafka's own tools from the same image.
        assertThat(compose.service("topics").path("image").asText())
                .isEqualTo(compose.service("kafka").path("image").asText());

        final Map<String, String> env = compose.environment("kafka");
        assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(env).doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(env.get("KAFKA_NODE_ID") + "@kafka:9093");
        assertThat(env.get("KAFKA_LISTENERS")).contains("CONTROLLER://:9093");
        // Exactly-once needs the transaction log; on one broker it can only have one replica.
        assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).isEqualTo("1");
        assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).isEqualTo("1");
        assertThat(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo("1");
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
        assertThat(compose.mounts("kafka")).containsValue(env.get("KAFKA_LOG_DIRS"));
    }

    @Test
    void servicesStartAfterTheTopicsExistAndTheRegistryIsUp() {
        assertThat(compose.dependsOn("topics")).containsEntry("kafka", "service_healthy");
        assertThat(compose.service("kafka").path("healthcheck").path("test").isMissingNode()).isFalse();
        assertThat(compose.service("schema-registry").path("healthcheck").path("test").isMissingNode()).isFalse();
        for (JavaService service : JavaService.values()) {
            assertThat(compose.dependsOn(service.composeName())).as(service.composeName())
                    .containsEntry("topics", "service_completed_successfully")
                    .containsEntry("schema-registry", "service_healthy");
        }
        assertThat(compose.dependsOn("slm-worker")).containsEntry("vllm", "service_healthy");
        assertThat(compose.dependsOn("gpt-worker")).doesNotContainKey("vllm");
    }

    @Test
    void vllmServesTheWorkersModelOnAReservedNvidiaGpu() {
        final JsonNode vllm = compose.service("vllm");
        assertThat(vllm.path("image").asText()).startsWith("vllm/vllm-openai:v");
        final JsonNode devices = vllm.path("deploy").path("resources").path("reservations").path("devices");
        assertThat(devices.size()).isEqualTo(1);
        assertThat(devices.get(0).path("driver").asText()).isEqualTo("nvidia");
        assertThat(compose.stringList(devices.get(0).path("capabilities"))).contains("gpu");
        // vllm serve <model>: the model vLLM loads and the name it answers to are the worker's model.
        final String model = compose.environment("slm-worker").get("SLM_MODEL");
        assertThat(model).isEqualTo("Qwen/Qwen2.5-7B-Instruct");
        assertThat(compose.stringList(vllm.path("entrypoint"))).containsExactly("vllm", "serve");
        assertThat(compose.command("vllm").get(0)).isEqualTo(model);
        assertThat(compose.commandOption("vllm", "--served-model-name")).contains(model);
        assertThat(compose.environment("slm-worker").get("SLM_BASE_URL"))
                .isEqualTo("http://vllm:" + compose.commandOption("vllm", "--port").orElse("8000") + "/v1");
        assertThat(compose.mounts("vllm")).containsValue("/root/.cache/huggingface");
    }

    @Test
    void servicesReachKafkaAndTheRegistryAtTheAddressesTheyAdvertise() {
        final Map<String, String> kafka = compose.environment("kafka");
        final List<String> advertised = List.of(kafka.get("KAFKA_ADVERTISED_LISTENERS").split(","));
        final String registryPort = compose.environment("schema-registry").get("SCHEMA_REGISTRY_LISTENERS")
                .replaceAll(".*:(\\d+)$", "$1");
        for (JavaService service : JavaService.values()) {
            final Map<String, String> env = compose.environment(service.composeName());
            assertThat(advertised).as(service.composeName()).contains("PLAINTEXT://" + env.get("KAFKA_BOOTSTRAP_SERVERS"));
            assertThat(env.get("SCHEMA_REGISTRY_URL")).isEqualTo("http://schema-registry:" + registryPort);
        }
        assertThat(compose.environment("schema-registry").get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS"))
                .isEqualTo("PLAINTEXT://" + compose.environment("router").get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(compose.environment("topics").get("BOOTSTRAP_SERVERS"))
                .isEqualTo(compose.environment("router").get("KAFKA_BOOTSTRAP_SERVERS"));
    }

    @Test
    void secretsAreOnlyReferencedNeverWritten() {
        final List<String> secretKeys = new ArrayList<>();
        for (String service : compose.serviceNames()) {
            compose.rawEnvironment(service).forEach((key, raw) -> {
                if (key.matches(".*(KEY|TOKEN|PASSWORD|SECRET).*")) {
                    secretKeys.add(service + "/" + key);
                    assertThat(Compose.isBareVariable(raw)).as("%s/%s must be a ${VARIABLE} without a default, is '%s'",
                            service, key, raw).isTrue();
                }
            });
        }
        assertThat(secretKeys).contains("gpt-worker/OPENAI_API_KEY", "grafana/GF_SECURITY_ADMIN_PASSWORD");
        // The API key is required: compose stops with a message instead of starting a worker that gets 401s.
        assertThat(compose.rawEnvironment("gpt-worker").get("OPENAI_API_KEY")).startsWith("${OPENAI_API_KEY:?");
        assertThat(Repo.read("docker-compose.yml")).doesNotContainPattern("sk-[A-Za-z0-9_-]{10,}");
        assertThat(Repo.read("deploy/.gitignore").lines()).contains(".env");
    }

    @Test
    void interpolationFollowsComposeRules() {
        final Compose withHost = Compose.parse("services: {}", Map.of("SET", "v", "EMPTY", ""));
        assertThat(withHost.interpolate("${SET:-d} ${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} $$HOME ${UNSET:?msg}"))
                .isEqualTo("v d d  $HOME <required:UNSET>");
        assertThat(Compose.isBareVariable("${OPENAI_API_KEY:?set it}")).isTrue();
        assertThat(Compose.isBareVariable("${HF_TOKEN:-}")).isTrue();
        assertThat(Compose.isBareVariable("${OPENAI_API_KEY:-sk-live}")).isFalse();
        assertThat(Compose.isBareVariable("sk-live")).isFalse();
    }
}
