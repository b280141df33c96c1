package dev.slmrouter.insights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.insights.cli.InsightsCli;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.simulators.common.Directive;
import dev.slmrouter.simulators.openai.OpenAiSimulator;
import dev.slmrouter.simulators.vllm.VllmSimulator;
import dev.slmrouter.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration end to end: a scripted SLM whose agreement with the GPT simulator is known per confidence
 * level runs in the shadow-only stage through both workers on a real broker; the calibrate command reads
 * the comparisons back from the topic and must propose the known threshold, without applying anything.
 */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class CalibrationIntegrationTest {

    private static final Pattern NUMBER = Pattern.compile("ticket #(\\d+)");

    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private final ShadowStack stack;

    CalibrationIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
        this.stack = new ShadowStack(broker, registry);
    }

    @AfterEach
    void close() throws Exception {
        stack.close();
    }

    /**
     * Ticket i = 4k + level: confidence 0.95, 0.85, 0.75 or 0.60; it agrees with GPT ("billing") except for
     * k % 10 below 0, 0, 1, 3 (so 100%, 100%, 90%, 70%). The lowest threshold whose accepted answers reach
     * 0.97 by the 95% lower bound is 0.76 (see CalibrationTest).
     */
    private static VllmSimulator scriptedSlm() {
        final double[] levels = {0.95, 0.85, 0.75, 0.60};
        final int[] disagreePerTen = {0, 0, 1, 3};
        return VllmSimulator.builder().timeScale(0).script((request, seq) -> {
            final Matcher m = NUMBER.matcher(request.promptText());
            if (!m.find()) {
                return Directive.NONE;
            }
            final int i = Integer.parseInt(m.group(1));
            final int level = i % 4;
            final boolean agree = (i / 4) % 10 >= disagreePerTen[level];
            return Directive.confidence(levels[level]).withLabel(agree ? "billing" : "refund");
        }).build().start();
    }

    @Test
    void shouldProposeTheKnownThresholdFromTheTopicsHistory(@TempDir final Path dir) throws Exception {
        final VllmSimulator vllm = scriptedSlm();
        final OpenAiSimulator openai = OpenAiSimulator.builder().timeScale(0)
                .script((request, seq) -> Directive.NONE.withLabel("billing")).build().start();
        stack.closeLater(vllm);
        stack.closeLater(openai);
        stack.startSlm(vllm, Map.of("slm.shadow.only", "CLASSIFICATION", "slm.max.in.flight", "64"));
        stack.startGpt(openai, Map.of("gpt.max.in.flight", "64"));
        final List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            requests.add(ShadowStack.request("k" + i, "t", TaskType.CLASSIFICATION, "Customer ticket #" + i)
                    .setLabels(List.of("billing", "refund")).build());
        }
        stack.produceToSlm(requests);
        ShadowStack.await(Duration.ofSeconds(180), () -> stack.read(stack.topics.shadowComparisons()).size() >= 800);
        final List<ShadowComparison> comparisons = stack.read(stack.topics.shadowComparisons());
        assertThat(comparisons).hasSize(800).allSatisfy(c -> assertThat(c.getMode()).isEqualTo(ShadowMode.SHADOW_ONLY));
        assertThat(comparisons.stream().filter(c -> Boolean.FALSE.equals(c.getAgreed()))).hasSize(20 + 60);
        assertThat(stack.read(stack.topics.results())).hasSize(800);

        final Path out = dir.resolve("proposed.properties");
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        final int code = InsightsCli.run(new String[] {"calibrate", "--from", "-1h", "--out", out.toString(),
                        "--bootstrap", broker.bootstrapServers(), "--registry", registry.confluentApiUrl()},
                Settings.of(Map.of(Topics.SHADOW_KEY, stack.topics.shadowComparisons().name(),
                        "slm.confidence.thresholds", "EXTRACTION:0.8")),
                Clock.systemUTC(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));

        final String printed = stdout.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(code).as(printed + stderr.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("800 shadow comparisons")
                .contains("CLASSIFICATION: 800 compared answers; lowest threshold meeting the target: 0.76");
        assertThat(Files.readString(out)).contains("slm.confidence.thresholds=EXTRACTION:0.8,CLASSIFICATION:0.76\n")
                .contains("NOT APPLIED");
    }
}
