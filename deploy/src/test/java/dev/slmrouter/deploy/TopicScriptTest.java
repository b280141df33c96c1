package dev.slmrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.topics.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/kafka/create-topics.sh creates exactly the system's topics, under the services' own settings. */
class TopicScriptTest {

    /** create "${TOPIC_X:-name}" partitions policy */
    private static final Pattern CREATE = Pattern.compile(
            "(?m)^create \"\\$\\{([A-Z0-9_]+):-([^}]+)}\" (\\S+) (delete|compact)\\s*$");

    private record Created(String variable, String defaultName, String partitions, String policy) {
    }

    private static Map<String, Created> created() {
        final Map<String, Created> created = new LinkedHashMap<>();
        final Matcher m = CREATE.matcher(Repo.read("deploy/kafka/create-topics.sh"));
        while (m.find()) {
            assertThat(created.put(m.group(2), new Created(m.group(1), m.group(2), m.group(3), m.group(4))))
                    .as("topic %s created twice", m.group(2)).isNull();
        }
        return created;
    }

    @Test
    void createsEveryTopicOfTheSystemAndNothingElse() {
        assertThat(created().keySet()).containsExactlyInAnyOrderElementsOf(Topics.defaults().allNames());
    }

    @Test
    void eachNameIsOverriddenByTheSameVariableTheServicesRead() {
        // Topics.from asks for each name by its setting key with the default: record that pairing.
        final Map<String, String> variableByDefault = new LinkedHashMap<>();
        Topics.from((key, defaultName) -> {
            variableByDefault.put(defaultName, Settings.envName(key));
            return defaultName;
        });
        assertThat(variableByDefault).hasSize(Topics.defaults().allNames().size());
        created().forEach((name, c) -> assertThat(c.variable()).as(name).isEqualTo(variableByDefault.get(name)));
    }

    @Test
    void theTablesAreCompactedAndTheRestDeleted() {
        final Topics topics = Topics.defaults();
        final List<String> compacted = List.of(topics.results().name(), topics.volume().name());
        created().forEach((name, c) -> assertThat(c.policy()).as(name)
                .isEqualTo(compacted.contains(name) ? "compact" : "delete"));
        // The volume topic is tiny and read whole by every task; the rest scale with PARTITIONS.
        assertThat(created().get(topics.volume().name()).partitions()).isEqualTo("1");
        assertThat(created().get(topics.requests().name()).partitions()).isEqualTo("\"$PARTITIONS\"");
    }

    @Test
    void theTopicsStepRunsThisScriptIdempotently() {
        final Compose compose = Compose.load();
        final String script = Repo.read("deploy/kafka/create-topics.sh");
        assertThat(script).contains("--create --if-not-exists");
        assertThat(script).contains("set -euo pipefail");
        final String mountedAt = compose.mounts("topics").get("./deploy/kafka/create-topics.sh");
        assertThat(mountedAt).isNotNull();
        assertThat(compose.stringList(compose.service("topics").path("entrypoint"))).containsExactly("/bin/bash", mountedAt);
        assertThat(compose.service("topics").path("restart").asText("no")).isEqualTo("no");
    }
}
