package dev.slmrouter.router.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.router.TestPolicies;
import dev.slmrouter.router.topology.Tier0RoutingTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {

    private static final String VALID = TestPolicies.SMALL_BANDS;

    @Test
    void shouldLoadTheBundledDefaultPolicyWithTheStudysMatrix() {
        final RoutingPolicy policy = PolicyLoader.loadDefault();
        final TenantRules rules = policy.defaults();

        assertThat(policy.version()).isEqualTo("default-1");
        assertThat(rules.volumeBands().count()).isEqualTo(3);
        assertThat(rules.matrix().get(TaskType.CLASSIFICATION)).containsExactly(3, 2, 1);
        assertThat(rules.matrix().get(TaskType.EXTRACTION)).containsExactly(3, 2, 1);
        assertThat(rules.matrix().get(TaskType.TEMPLATED_GENERATION)).containsExactly(3, 2, 1);
        assertThat(rules.matrix().get(TaskType.SUMMARIZATION)).containsExactly(4, 3, 2);
        assertThat(rules.matrix().get(TaskType.REASONING)).containsExactly(5, 5, 4);
        assertThat(rules.matrix().get(TaskType.CREATIVE)).containsExactly(5, 5, 5);
        assertThat(rules.matrix().get(TaskType.AGENT)).containsExactly(5, 4, 4);
        assertThat(rules.tierForScore(2)).isEqualTo(Tier.SLM);
        assertThat(rules.tierForScore(3)).isEqualTo(Tier.SLM);
        assertThat(rules.tierForScore(4)).isEqualTo(Tier.GPT);
        assertThat(rules.contextBudgetTokens()).isEqualTo(8000);
        assertThat(policy.rulesFor("example-regulated").forceTier()).contains(Tier.GPT);
    }

    @Test
    void shouldPlaceDailyVolumesInTheirBands() {
        final VolumeBands bands = PolicyLoader.loadDefault().volumeBands();

        assertThat(bands.bandOf(0)).isZero();
        assertThat(bands.bandOf(9_999)).isZero();
        assertThat(bands.bandOf(10_000)).isEqualTo(1);
        assertThat(bands.bandOf(99_999)).isEqualTo(1);
        assertThat(bands.bandOf(100_000)).isEqualTo(2);
    }

    @Test
    void shouldMergeTenantOverridesOverTheDefaults() {
        final RoutingPolicy policy = PolicyLoader.parse(VALID, "t");
        final TenantRules bulk = policy.rulesFor("bulk");

        assertThat(policy.rulesFor("cautious").tierForScore(3)).isEqualTo(Tier.GPT);
        assertThat(bulk.tierForScore(3)).isEqualTo(Tier.SLM);
        assertThat(bulk.score(TaskType.CREATIVE, 0)).isEqualTo(1);
        assertThat(bulk.score(TaskType.REASONING, 0)).isEqualTo(5);
        assertThat(bulk.supportsLanguage("de")).isFalse();
        assertThat(policy.rulesFor("someone-else")).isSameAs(policy.defaults());
    }

    @Test
    void shouldNameTheFieldOfEveryMistake() {
        assertRejected(VALID.replace("version: \"test-7\"", "version: \"\""), "field 'version'");
        assertRejected(VALID.replace("[5, 10]", "[10, 5]"), "field 'volume_bands_per_day'");
        assertRejected(VALID.replace("CREATIVE:             [5, 5, 5]", "CREATIVE: [5, 5]"),
                "field 'matrix.CREATIVE' must list 3 scores");
        assertRejected(VALID.replace("CREATIVE:             [5, 5, 5]", "CREATIVE: [5, 9, 5]"), "from 1 to 5");
        assertRejected(VALID.replace("  AGENT:                [5, 4, 4]\n", ""), "has no row for AGENT");
        assertRejected(VALID.replace("  AGENT:", "  TRANSLATION: [1, 1, 1]\n  AGENT:"),
                "field 'matrix.TRANSLATION' is not a task type");
        assertRejected(VALID.replace("slm_at_most: 2", "slm_at_most: 4"), "must be below gpt_at_least");
        assertRejected(VALID.replace("between: SLM", "between: MAYBE"), "field 'scores.between' must be SLM or GPT");
        assertRejected(VALID.replace("[en, de]", "[en, german]"), "'german', which is not an ISO 639-1 code");
        assertRejected(VALID.replace("min_task_confidence: 0.5", "min_task_confidence: 5"), "from 0 to 1");
        assertRejected(VALID.replace("context_budget_tokens: 200", "context_budget_tokens: -1"), "positive");
        assertRejected(VALID + "colour: blue\n", "field 'colour' is not a known field");
        assertRejected(VALID.replace("force_tier: GPT", "force_tier: LLAMA"),
                "field 'tenants.regulated.force_tier'");
        assertRejected("version: [", "not valid YAML");
    }

    @Test
    void shouldReadTier0ClassifiersFromTheirModelFilesRelativeToThePolicy(@TempDir final Path dir) throws IOException {
        Tier0RoutingTest.model(dir, "tickets", Tier0RoutingTest.LABELS);
        final Path file = Files.writeString(dir.resolve("p.yaml"), VALID
                + "tier0:\n  classifiers:\n    - model: tickets.tier0.json\n      languages: [en, de]\n");

        final RoutingPolicy policy = PolicyLoader.load(file);
        assertThat(policy.tier0().fallbackTier()).isEqualTo(Tier.SLM);
        assertThat(policy.tier0().all()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("tickets");
            assertThat(c.labels()).containsExactlyInAnyOrderElementsOf(Tier0RoutingTest.LABELS);
            assertThat(c.languages()).containsExactlyInAnyOrder("en", "de");
        });
        assertThat(PolicyLoader.loadDefault().tier0().all()).isEmpty();
    }

    @Test
    void shouldNameTheFieldOfEveryTier0Mistake(@TempDir final Path dir) throws IOException {
        Tier0RoutingTest.model(dir, "tickets", Tier0RoutingTest.LABELS);
        Files.writeString(dir.resolve("twin.tier0.json"),
                Files.readString(dir.resolve("tickets.tier0.json")).replace("\"tickets\"", "\"twin\""));
        Files.writeString(dir.resolve("not-a-model.json"), "{\"colour\": \"blue\"}");
        final String entry = "tier0:\n  classifiers:\n    - model: %s\n";
        assertRejectedFile(dir, entry.formatted("missing.tier0.json"), "field 'tier0.classifiers[0].model'",
                "cannot be read as a classifier file");
        assertRejectedFile(dir, entry.formatted("not-a-model.json"), "has no name and labels");
        assertRejectedFile(dir, entry.formatted("tickets.tier0.json") + "    - model: twin.tier0.json\n",
                "field 'tier0.classifiers'", "same label set");
        assertRejectedFile(dir, "tier0:\n  fallback_tier: TIER0\n  classifiers: []\n",
                "field 'tier0.fallback_tier' must be SLM or GPT");
        assertRejectedFile(dir, "tier0:\n  fallback: GPT\n", "field 'tier0.fallback' is not a known field");
        assertRejectedFile(dir, "tier0:\n  fallback_tier: GPT\n", "field 'tier0.classifiers' is required");
        assertRejectedFile(dir, entry.formatted("tickets.tier0.json") + "      languages: [english]\n",
                "'english', which is not an ISO 639-1 code");
    }

    private static void assertRejectedFile(final Path dir, final String tier0, final String... expected) throws IOException {
        final Path file = Files.writeString(dir.resolve("bad.yaml"), VALID + tier0);
        assertThatThrownBy(() -> PolicyLoader.load(file))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("bad.yaml")
                .hasMessageContainingAll(expected);
    }

    private static void assertRejected(final String yaml, final String expectedMessage) {
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "policy.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("policy.yaml")
                .hasMessageContaining(expectedMessage);
    }
}
