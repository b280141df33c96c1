package dev.slmrouter.insights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.insights.calibrate.Comparisons;
import dev.slmrouter.insights.cli.InsightsCli;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The report command reads results and shadow comparisons back from a real broker and writes its table. */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class MigrationReportIntegrationTest {

    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private final ShadowStack stack;

    MigrationReportIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
        this.stack = new ShadowStack(broker, registry);
    }

    @AfterEach
    void close() throws Exception {
        stack.close();
    }

    @Test
    void shouldWriteTheReportPerTaskType(@TempDir final Path dir) throws Exception {
        final Instant now = Instant.now();
        final List<InferenceResult> results = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            results.add(InferenceResult.newBuilder().setRequestId("r" + i).setTenant("t")
                    .setStatus(dev.slmrouter.events.ResultStatus.OK)
                    .setTier(i % 4 == 0 ? Tier.GPT : Tier.SLM).setEscalated(i % 4 == 0)
                    .setEscalationReason(i % 4 == 0 ? EscalationReason.SCHEMA_FAIL : null)
                    .setCostUsd(i % 4 == 0 ? 0.002 : 0.00002).setTaskType(TaskType.EXTRACTION).setCompletedAt(now).build());
        }
        stack.produce(stack.topics.results(), results, InferenceResult::getRequestId);
        final List<ShadowComparison> comparisons = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            comparisons.add(Comparisons.of("s" + i, TaskType.EXTRACTION, "t", 0.9, i % 50 != 0, null, now));
        }
        stack.produce(stack.topics.shadowComparisons(), comparisons, ShadowComparison::getRequestId);
        final Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: "it-1"
                volume_bands_per_day: [10000, 100000]
                matrix:
                  EXTRACTION: [3, 2, 1]
                scores: {slm_at_most: 2, gpt_at_least: 4}
                """);
        final Path out = dir.resolve("report.md");
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        final int code = InsightsCli.run(new String[] {"report", "--from", "-1d", "--to", now.plusSeconds(60).toString(),
                        "--policy", policy.toString(), "--out", out.toString(),
                        "--bootstrap", broker.bootstrapServers(), "--registry", registry.confluentApiUrl()},
                Settings.of(Map.of(Topics.RESULTS_KEY, stack.topics.results().name(),
                        Topics.SHADOW_KEY, stack.topics.shadowComparisons().name())),
                Clock.fixed(now.plusSeconds(60), ZoneOffset.UTC), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));

        final String printed = stdout.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(code).as(printed + stderr.toString(StandardCharsets.UTF_8)).isZero();
        // 400 results over the day before now + 60 s; 300 on the SLM; 100 SCHEMA_FAIL escalations of 400 handled.
        assertThat(Files.readString(out)).contains("decision matrix of policy it-1")
                .contains("| EXTRACTION | 400 | 75.0% | SCHEMA_FAIL 25.0% | 0.980 (200) | $20.00 | $1,000.00 | $515.00 | 3 |")
                .contains("**HYBRID**");
    }
}
