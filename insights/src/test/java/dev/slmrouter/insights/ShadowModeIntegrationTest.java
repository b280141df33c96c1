package dev.slmrouter.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.slmrouter.events.Alert;
import dev.slmrouter.events.ComparisonKind;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.gpt.GptWorkerApp;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.simulators.common.Directive;
import dev.slmrouter.simulators.openai.OpenAiSimulator;
import dev.slmrouter.simulators.vllm.VllmSimulator;
import dev.slmrouter.worker.shadow.ShadowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shadow mode through both workers on a real broker with scripted simulators: the sample is shadowed off
 * the user path (comparisons, never results), escalated drafts are compared for free, the shadow-only
 * stage answers the user with GPT, and shadow spend stays out of the production budget unless it is
 * configured to count there.
 */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class ShadowModeIntegrationTest {

    private static final Pattern NUMBER = Pattern.compile("ticket #(\\d+)");
    private static final String INVOICE_SCHEMA = "{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"},"
            + "\"vendor\":{\"type\":\"string\"}},\"required\":[\"total\",\"vendor\"]}";

    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private ShadowStack stack;

    ShadowModeIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @BeforeEach
    void stack() {
        stack = new ShadowStack(broker, registry);
    }

    @AfterEach
    void close() throws Exception {
        stack.close();
    }

    /** Ticket i: the SLM says "refund" on every 10th, else "billing", at 0.95; every 20th (i % 20 == 5) at 0.5. */
    private static VllmSimulator scriptedSlm() {
        return VllmSimulator.builder().timeScale(0).script((request, seq) -> {
            final Matcher m = NUMBER.matcher(request.promptText());
            if (!m.find()) {
                return Directive.NONE;
            }
            final int i = Integer.parseInt(m.group(1));
            return Directive.confidence(i % 20 == 5 ? 0.5 : 0.95).withLabel(i % 10 == 0 ? "refund" : "billing");
        }).build().start();
    }

    /** GPT always says "billing". */
    private static OpenAiSimulator scriptedGpt() {
        return OpenAiSimulator.builder().timeScale(0).script((request, seq) ->
                request.labels().isEmpty() ? Directive.NONE : Directive.NONE.withLabel("billing")).build().start();
    }

    private static List<InferenceRequest> tickets(final String prefix, final int count, final String tenant) {
        final List<InferenceRequest> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(ShadowStack.request(prefix + i, tenant, TaskType.CLASSIFICATION, "Customer ticket #" + i)
                    .setLabels(List.of("billing", "refund")).build());
        }
        return out;
    }

    @Test
    void shouldShadowTheSampleOffTheUserPathAndAnswerTheShadowOnlyStageWithGpt() throws Exception {
        final VllmSimulator vllm = scriptedSlm();
        final OpenAiSimulator openai = scriptedGpt();
        stack.closeLater(vllm);
        stack.closeLater(openai);
        stack.startSlm(vllm, Map.of("slm.shadow.sample.rates", "CLASSIFICATION:0.5", "slm.shadow.only", "tenant/trial"));
        final GptWorkerApp gpt = stack.startGpt(openai, Map.of("gpt.budget.global.usd", "100",
                "gpt.shadow.budget.usd", "100"));

        final List<InferenceRequest> requests = new ArrayList<>(tickets("c", 200, "t"));
        for (int i = 0; i < 40; i++) {
            requests.add(ShadowStack.request("x" + i, "trial", TaskType.EXTRACTION, "Invoice from ACME, total 12.50 #" + i)
                    .setResponseSchema(INVOICE_SCHEMA).build());
        }
        stack.produceToSlm(requests);

        final ShadowPolicy sample = ShadowPolicy.parse(0, "CLASSIFICATION:0.5", "");
        final Set<Integer> sampled = IntStream.range(0, 200)
                .filter(i -> sample.sampled("c" + i, TaskType.CLASSIFICATION, "t")).boxed().collect(Collectors.toSet());
        final long lowConfidence = IntStream.range(0, 200).filter(i -> i % 20 == 5).count();
        final long sampledEscalated = sampled.stream().filter(i -> i % 20 == 5).count();
        final long sampledAnswered = sampled.size() - sampledEscalated;
        final int expectedComparisons = sampled.size() + 40;
        ShadowStack.await(Duration.ofSeconds(120), () -> stack.read(stack.topics.results()).size() >= 240
                && stack.read(stack.topics.shadowComparisons()).size() >= expectedComparisons);

        final List<InferenceResult> results = stack.read(stack.topics.results());
        final List<ShadowComparison> comparisons = stack.read(stack.topics.shadowComparisons());
        // One result per request; the shadow answers never reach the results topic.
        assertThat(results).hasSize(240);
        assertThat(results.stream().map(InferenceResult::getRequestId).distinct()).hasSize(240);
        final Map<Tier, Long> byTier = results.stream().collect(Collectors.groupingBy(InferenceResult::getTier,
                Collectors.counting()));
        assertThat(byTier).containsExactlyInAnyOrderEntriesOf(Map.of(Tier.SLM, 200 - lowConfidence,
                Tier.GPT, lowConfidence + 40));
        assertThat(results).allSatisfy(r -> assertThat(r.getTaskType()).isIn(TaskType.CLASSIFICATION, TaskType.EXTRACTION));
        // The shadow-only tenant is answered by GPT, not escalated, and pays only GPT.
        assertThat(results.stream().filter(r -> r.getTenant().equals("trial")))
                .hasSize(40).allSatisfy(r -> {
                    assertThat(r.getTier()).isEqualTo(Tier.GPT);
                    assertThat(r.getEscalated()).isFalse();
                });

        assertThat(comparisons).hasSize(expectedComparisons);
        assertThat(comparisons.stream().map(ShadowComparison::getRequestId).distinct()).hasSize(expectedComparisons);
        final Map<ShadowMode, List<ShadowComparison>> byMode = comparisons.stream()
                .collect(Collectors.groupingBy(ShadowComparison::getMode));
        assertThat(byMode.get(ShadowMode.SAMPLE)).hasSize((int) sampledAnswered).allSatisfy(c -> {
            assertThat(c.getKind()).isEqualTo(ComparisonKind.LABEL);
            assertThat(c.getGptAnswer()).isEqualTo("billing");
            assertThat(c.getSlmConfidence()).isCloseTo(0.95, offset(1e-6));
            assertThat(c.getSlmEscalationReason()).isNull();
            assertThat(c.getShadowCostUsd()).isPositive().isEqualTo(c.getGptCostUsd());
        });
        assertThat(byMode.get(ShadowMode.ESCALATED)).hasSize((int) sampledEscalated).allSatisfy(c -> {
            assertThat(c.getSlmEscalationReason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
            assertThat(c.getShadowCostUsd()).isZero();
        });
        assertThat(byMode.get(ShadowMode.SHADOW_ONLY)).hasSize(40).allSatisfy(c -> {
            assertThat(c.getKind()).isEqualTo(ComparisonKind.JSON);
            assertThat(c.getFields()).isNotEmpty();
            assertThat(c.getShadowCostUsd()).isPositive().isEqualTo(c.getSlmCostUsd());
        });
        // The verdict: the SLM disagrees exactly on every 10th ticket.
        final long disagreeing = sampled.stream().filter(i -> i % 10 == 0).count();
        assertThat(comparisons.stream().filter(c -> c.getKind() == ComparisonKind.LABEL && Boolean.FALSE.equals(c.getAgreed())))
                .hasSize((int) disagreeing);
        assertThat(comparisons.stream().filter(c -> c.getKind() == ComparisonKind.LABEL && Boolean.TRUE.equals(c.getAgreed())))
                .hasSize(sampled.size() - (int) disagreeing);

        // The production ledger holds exactly the GPT results' spend: none of the shadow calls'.
        final double production = results.stream().filter(r -> r.getTier() == Tier.GPT)
                .mapToDouble(InferenceResult::getCostUsd).sum();
        ShadowStack.await(Duration.ofSeconds(10), () -> Math.abs(gpt.ledger().globalSpend() - production) < 1e-12);
        assertThat(gpt.ledger().globalSpend()).isCloseTo(production, offset(1e-12));
        assertThat(comparisons.stream().mapToDouble(ShadowComparison::getShadowCostUsd).sum()).isPositive();
    }

    @Test
    void shouldSkipShadowCallsOnceTheShadowBudgetIsSpentAndCountThemInProductionOnlyWhenShared() throws Exception {
        final VllmSimulator vllm = scriptedSlm();
        final OpenAiSimulator openai = scriptedGpt();
        stack.closeLater(vllm);
        stack.closeLater(openai);
        stack.startSlm(vllm, Map.of("slm.shadow.sample.rate", "1", "slm.confidence.threshold", "0.4"));
        // One call at a time, so exactly the first shadow call is admitted before the budget is spent.
        final GptWorkerApp gpt = stack.startGpt(openai, Map.of("gpt.max.in.flight", "1",
                "gpt.shadow.budget.usd", "0.0000001", "gpt.budget.global.usd", "100",
                "gpt.shadow.budget.shared", "true"));
        stack.produceToSlm(tickets("b", 30, "t"));

        ShadowStack.await(Duration.ofSeconds(90), () -> stack.read(stack.topics.shadowComparisons()).size() >= 30);
        final List<ShadowComparison> comparisons = stack.read(stack.topics.shadowComparisons());
        assertThat(comparisons).hasSize(30);
        assertThat(comparisons.stream().filter(c -> c.getGptAnswer() != null)).hasSize(1);
        assertThat(comparisons.stream().filter(c -> c.getGptError() != null
                && c.getGptError().startsWith("SHADOW_BUDGET_EXHAUSTED"))).hasSize(29)
                .allSatisfy(c -> {
                    assertThat(c.getAgreed()).isNull();
                    assertThat(c.getShadowCostUsd()).isZero();
                });
        assertThat(stack.read(stack.topics.results())).hasSize(30)
                .allSatisfy(r -> assertThat(r.getTier()).isEqualTo(Tier.SLM));
        // Both thresholds of the shadow budget were crossed by that one call: two alerts, ids of their own.
        final List<Alert> alerts = stack.read(stack.topics.alerts());
        assertThat(alerts).extracting(Alert::getAlertId).hasSize(2).allSatisfy(id -> assertThat(id).startsWith("shadow-budget/"));
        // Shared: the production ledger counts the one shadow call's cost.
        final double shadowSpend = comparisons.stream().mapToDouble(ShadowComparison::getGptCostUsd).sum();
        ShadowStack.await(Duration.ofSeconds(10), () -> Math.abs(gpt.ledger().globalSpend() - shadowSpend) < 1e-12);
        assertThat(gpt.ledger().globalSpend()).isPositive().isCloseTo(shadowSpend, offset(1e-12));
    }

    @Test
    void shouldWriteOneComparisonPerSampledRequestThroughAGptWorkerCrash() throws Exception {
        final VllmSimulator vllm = scriptedSlm();
        // GPT answers take about 100 ms, so the crash finds calls in flight.
        final OpenAiSimulator openai = OpenAiSimulator.builder().timeToFirstToken(Duration.ofMillis(100))
                .script((request, seq) -> Directive.NONE.withLabel("billing")).build().start();
        stack.closeLater(vllm);
        stack.closeLater(openai);
        stack.startSlm(vllm, Map.of("slm.shadow.sample.rate", "1"));
        final Map<String, String> gptSettings = Map.of("gpt.transactional.id", "shadow-crash-gpt",
                "kafka.session.timeout.ms", "6000", "gpt.max.in.flight", "8");
        final GptWorkerApp first = stack.startGpt(openai, gptSettings);
        stack.produceToSlm(tickets("k", 300, "t"));
        ShadowStack.await(Duration.ofSeconds(60), () -> stack.read(stack.topics.shadowComparisons()).size() >= 40);
        stack.kill(first);
        final int beforeRestart = stack.read(stack.topics.shadowComparisons()).size();
        System.out.println("comparisons committed when the GPT worker was killed: " + beforeRestart);
        assertThat(beforeRestart).isLessThan(300);
        stack.startGpt(openai, gptSettings);

        ShadowStack.await(Duration.ofSeconds(120), () -> stack.read(stack.topics.shadowComparisons()).size() >= 300);
        final List<ShadowComparison> comparisons = stack.read(stack.topics.shadowComparisons());
        assertThat(comparisons).hasSize(300);
        assertThat(comparisons.stream().map(ShadowComparison::getRequestId).distinct()).hasSize(300);
        final long lowConfidence = IntStream.range(0, 300).filter(i -> i % 20 == 5).count();
        final List<InferenceResult> results = stack.read(stack.topics.results());
        assertThat(results).hasSize(300);
        assertThat(results.stream().filter(r -> r.getTier() == Tier.GPT)).hasSize((int) lowConfidence);
    }
}
