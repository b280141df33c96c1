package dev.slmrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.gpt.GptWorkerConfig;
import dev.slmrouter.router.RouterConfig;
import dev.slmrouter.slm.SlmWorkerConfig;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every variable compose sets on the router and the workers is a setting the README documents, and the
 * services' own configuration code accepts the values.
 */
class ServiceSettingsTest {

    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern DOTTED_KEY = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z0-9]+)+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+");

    private final Compose compose = Compose.load();

    /** Environment names of the settings in the README's tables: the env column, and each key's env form. */
    static Set<String> documentedEnvironmentNames(final String readme) {
        final Set<String> names = new TreeSet<>();
        readme.lines().filter(line -> line.startsWith("|")).forEach(line -> {
            final Matcher m = BACKTICKED.matcher(line);
            while (m.find()) {
                final String token = m.group(1).trim();
                if (DOTTED_KEY.matcher(token).matches()) {
                    names.add(Settings.envName(token));
                } else if (ENV_NAME.matcher(token).matches()) {
                    names.add(token);
                }
            }
        });
        return names;
    }

    @Test
    void theReadmeTablesYieldTheSettingsNames() {
        final Set<String> names = documentedEnvironmentNames(Repo.read("README.md"));
        assertThat(names).contains("KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "ROUTER_METRICS_PORT",
                "SLM_BASE_URL", "GPT_TRANSACTIONAL_ID", "OPENAI_API_KEY", "TOPIC_REQUESTS_SLM");
        assertThat(names).doesNotContain("SLM_BASEURL", "ROUTER_POLICY", "OPENAI_KEY");
        assertThat(documentedEnvironmentNames("| `a.b` | `X_Y` | text `NOT_IN_TABLE`\n`c.d` outside a table\n"))
                .containsExactlyInAnyOrder("A_B", "X_Y", "NOT_IN_TABLE");
    }

    @Test
    void everyVariableSetOnAServiceIsADocumentedSetting() {
        final Set<String> documented = documentedEnvironmentNames(Repo.read("README.md"));
        for (JavaService service : JavaService.values()) {
            assertThat(compose.rawEnvironment(service.composeName()).keySet())
                    .as("environment of %s (each must be a setting in README.md)", service.composeName())
                    .isNotEmpty()
                    .allSatisfy(key -> assertThat(documented).contains(key));
        }
    }

    @Test
    void theRouterAcceptsItsEnvironment() {
        final Map<String, String> env = compose.environment("router");
        final RouterConfig config = RouterConfig.from(JavaService.settings(env));
        assertThat(config.kafka()).containsEntry("bootstrap.servers", "kafka:9092");
        assertThat(config.schemaRegistryUrl()).isEqualTo("http://schema-registry:8081");
        // The Streams state survives a re-created container: it lives on the router's volume.
        assertThat(compose.mounts("router").values()).anySatisfy(mount -> assertThat(config.stateDir()).startsWith(mount + "/"));
    }

    @Test
    void theSlmWorkerAcceptsItsEnvironment() {
        final SlmWorkerConfig config = SlmWorkerConfig.from(JavaService.settings(compose.environment("slm-worker")));
        assertThat(config.baseUrl()).isEqualTo("http://vllm:8000/v1");
        assertThat(config.model()).isEqualTo(compose.commandOption("vllm", "--served-model-name").orElseThrow());
        assertThat(config.structuredOutputs()).isTrue();
    }

    @Test
    void theGptWorkerAcceptsItsEnvironmentAndFindsTheApiKey() {
        final GptWorkerConfig config = GptWorkerConfig.from(JavaService.settings(compose.environment("gpt-worker")));
        assertThat(config.apiKey()).as("the key compose passes is read by the worker").isPresent();
        assertThat(config.apiKey().orElseThrow().get()).isEqualTo("<required:OPENAI_API_KEY>");
        assertThat(config.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(config.model()).isEqualTo("gpt-4o");
    }

    @Test
    void optionalSettingsPassThroughFromTheEnvFileAndAreUnsetOtherwise() {
        final String yaml = Repo.read("docker-compose.yml");
        final Map<String, String> unset = Compose.parse(yaml, Map.of()).environment("gpt-worker");
        final Map<String, String> set = Compose.parse(yaml, Map.of("GPT_BUDGET_GLOBAL_USD", "100",
                "GPT_BUDGET_TENANTS", "acme=10", "GPT_RATE_RPM", "500")).environment("gpt-worker");
        assertThat(set).containsEntry("GPT_BUDGET_GLOBAL_USD", "100").containsEntry("GPT_BUDGET_TENANTS", "acme=10")
                .containsEntry("GPT_RATE_RPM", "500");
        // An empty value is no setting at all: the worker keeps its default (no budget, no limit).
        final Settings settings = JavaService.settings(unset);
        assertThat(unset).containsEntry("GPT_BUDGET_GLOBAL_USD", "");
        assertThat(settings.find("gpt.budget.global.usd")).isEmpty();
        assertThat(settings.find("gpt.rate.rpm")).isEmpty();
        assertThat(JavaService.settings(set).find("gpt.budget.global.usd")).contains("100");
    }

    @Test
    void workersKeepTheirTransactionalIdAcrossContainerRecreation() {
        // The default embeds $HOSTNAME, which is the container id in compose: a new container would not
        // fence its predecessor's open transaction.
        final Map<String, String> slm = compose.environment("slm-worker");
        final Map<String, String> gpt = compose.environment("gpt-worker");
        assertThat(slm).containsKey("SLM_TRANSACTIONAL_ID");
        assertThat(gpt).containsKey("GPT_TRANSACTIONAL_ID");
        final String slmId = SlmWorkerConfig.from(JavaService.settings(slm)).transactionalId();
        final String gptId = GptWorkerConfig.from(JavaService.settings(gpt)).transactionalId();
        assertThat(slmId).isEqualTo(slm.get("SLM_TRANSACTIONAL_ID")).isNotEqualTo(gptId);
    }
}
