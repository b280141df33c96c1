package dev.slmrouter.gpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.Alert;
import dev.slmrouter.events.AlertKind;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.Tier;
import dev.slmrouter.gpt.budget.BudgetLedger;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.simulators.openai.OpenAiSimulator;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Budgets on a real broker: spend crossing 80% then 100% mid-stream gives exactly one alert per threshold
 * committed with the result that crossed it; then new work is REJECTED or held in Kafka, per configuration;
 * the ledger equals the sum of the committed results' costs, also when rebuilt by a restarted worker.
 * Prices are set so that every call costs the same: prompt tokens at $10,000 per million, output free.
 */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class GptBudgetIntegrationTest {

    private static final Offset<Double> CENT_FRACTION = Offset.offset(1e-9);
    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private GptStack stack;
    /** What one call costs with the test's prices (measured in {@link #setUp}). */
    private double callCost;

    GptBudgetIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @BeforeEach
    void setUp() throws Exception {
        stack = new GptStack(broker, registry, OpenAiSimulator.builder().timeScale(0).build().start());
        // One call of a tenant without budget tells what every call costs: every prompt of these tests has
        // the same tokens (ids of a letter and up to 3 digits are one token to the simulator).
        final GptWorkerApp probe = stack.startWorker(KafkaTestClients.uniqueName("gpt-tx"), 1, prices(Map.of()));
        stack.produceRouted("p", 0, 1, "nobody");
        callCost = stack.awaitResults(1).get(0).getCostUsd();
        stack.close(probe);
        assertThat(callCost).isGreaterThan(0.01);
    }

    @AfterEach
    void tearDown() {
        stack.close();
    }

    private static Map<String, String> prices(final Map<String, String> budget) {
        final Map<String, String> settings = new java.util.HashMap<>(budget);
        settings.put("gpt.price.gpt-4o", "10000/0");
        return settings;
    }

    private List<InferenceResult> resultsOf(final String tenant, final List<InferenceResult> all) {
        return all.stream().filter(r -> r.getTenant().equals(tenant)).toList();
    }

    @Test
    void shouldAlertOncePerThresholdAndRejectOnceTheTenantBudgetIsSpent() throws Exception {
        // 9.5 calls' worth: 80% is reached by the 8th call, 100% by the 10th; the rest are rejected.
        final GptWorkerApp worker = stack.startWorker(KafkaTestClients.uniqueName("gpt-tx"), 1, prices(Map.of(
                "gpt.budget.tenants", "acme=" + 9.5 * callCost, "gpt.budget.exhausted", "reject")));
        stack.produceRouted("a", 0, 20, "acme");
        stack.produceRouted("o", 0, 5, "other");

        final List<InferenceResult> all = stack.awaitResults(26);

        assertThat(all).hasSize(26);
        assertThat(new HashSet<>(all.stream().map(InferenceResult::getRequestId).toList())).hasSize(26);
        final List<InferenceResult> acme = resultsOf("acme", all);
        assertThat(acme.stream().filter(r -> r.getStatus() == ResultStatus.OK)).hasSize(10);
        assertThat(acme.stream().filter(r -> r.getStatus() == ResultStatus.REJECTED)).hasSize(10).allSatisfy(r -> {
            assertThat(r.getError()).startsWith("BUDGET_EXHAUSTED: tenant acme spent");
            assertThat(r.getCostUsd()).isZero();
            assertThat(r.getAttempts()).isZero();
        });
        assertThat(resultsOf("other", all)).hasSize(5)
                .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.OK));

        final List<Alert> alerts = stack.alerts();
        assertThat(alerts).extracting(Alert::getKind)
                .containsExactlyInAnyOrder(AlertKind.BUDGET_THRESHOLD, AlertKind.BUDGET_EXHAUSTED);
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.getTenant()).isEqualTo("acme");
            assertThat(a.getPeriod()).isEqualTo(YearMonth.now(java.time.ZoneOffset.UTC).toString());
        });
        final Alert threshold = alerts.stream().filter(a -> a.getKind() == AlertKind.BUDGET_THRESHOLD).findFirst().get();
        assertThat(threshold.getSpentUsd()).as("crossed by the 8th call").isCloseTo(8 * callCost, CENT_FRACTION);

        final double committedCost = acme.stream().filter(r -> r.getTier() == Tier.GPT)
                .mapToDouble(InferenceResult::getCostUsd).sum();
        awaitLedger(worker.ledger(), "acme", committedCost);
        assertThat(worker.ledger().committedSpend("acme", BudgetLedger.period(Instant.now())))
                .isCloseTo(committedCost, CENT_FRACTION).isCloseTo(10 * callCost, CENT_FRACTION);
        assertThat(stack.metrics(worker)).contains("gpt_alerts_total{kind=\"BUDGET_THRESHOLD\"} 1.0",
                "gpt_alerts_total{kind=\"BUDGET_EXHAUSTED\"} 1.0", "gpt_results_total{status=\"REJECTED\"} 10.0",
                "gpt_budget_used_ratio{scope=\"tenant\",tenant=\"acme\"}");
    }

    @Test
    void shouldBoundOverspendByTheCallsInFlight() throws Exception {
        final int inFlight = 8;
        final GptWorkerApp worker = stack.startWorker(KafkaTestClients.uniqueName("gpt-tx"), inFlight, prices(Map.of(
                "gpt.budget.tenants", "acme=" + 9.5 * callCost, "gpt.budget.exhausted", "reject")));
        stack.produceRouted("a", 0, 40, "acme");

        final List<InferenceResult> acme = resultsOf("acme", stack.awaitResults(41));

        assertThat(acme).hasSize(40);
        final long ok = acme.stream().filter(r -> r.getStatus() == ResultStatus.OK).count();
        assertThat(ok).as("10 fit the budget; at most the other calls in flight then pass it").isBetween(10L, 10L + inFlight - 1);
        assertThat(acme.stream().filter(r -> r.getStatus() == ResultStatus.REJECTED)).hasSize((int) (40 - ok));
        assertThat(stack.alerts()).extracting(Alert::getKind)
                .containsExactlyInAnyOrder(AlertKind.BUDGET_THRESHOLD, AlertKind.BUDGET_EXHAUSTED);
        assertThat(acme).allSatisfy(r -> assertThat(r.getCostUsd()).isIn(0.0, callCost));
        awaitLedger(worker.ledger(), "acme", acme.stream().mapToDouble(InferenceResult::getCostUsd).sum());
    }

    @Test
    void shouldHoldWorkInKafkaOnceTheGlobalBudgetIsSpentAndResumeWithMoreBudget() throws Exception {
        // The probe's call counts too: the global budget is everything GPT answered this month.
        final String transactionalId = KafkaTestClients.uniqueName("gpt-tx");
        final Map<String, String> spent = prices(Map.of(
                "gpt.budget.global.usd", Double.toString(4.5 * callCost), "gpt.budget.exhausted", "hold"));
        final GptWorkerApp first = stack.startWorker(transactionalId, 1, spent);
        stack.produceRouted("h", 0, 12, "acme");

        stack.awaitResults(5);
        Thread.sleep(2_000);
        assertThat(resultsOf("acme", stack.results())).as("4 calls and the probe spend the budget, the rest wait")
                .hasSize(4).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.OK));
        assertThat(first.loop().paused()).as("partitions paused while the budget is spent").isTrue();
        assertThat(first.loop().inFlight()).as("nothing taken out of Kafka").isZero();
        assertThat(stack.alerts()).extracting(Alert::getKind)
                .containsExactlyInAnyOrder(AlertKind.BUDGET_THRESHOLD, AlertKind.BUDGET_EXHAUSTED);
        stack.close(first);

        // Restarted with the same budget, the ledger is rebuilt from the results: still held, no new alert.
        final GptWorkerApp same = stack.startWorker(transactionalId, 1, spent);
        assertThat(same.ledger().globalSpend()).isCloseTo(5 * callCost, CENT_FRACTION);
        Thread.sleep(2_000);
        assertThat(resultsOf("acme", stack.results())).hasSize(4);
        stack.close(same);

        // With a larger budget the held requests are answered, once each.
        stack.startWorker(transactionalId, 1, prices(Map.of(
                "gpt.budget.global.usd", Double.toString(100 * callCost), "gpt.budget.exhausted", "hold")));
        final List<InferenceResult> acme = resultsOf("acme", stack.awaitResults(13));
        assertThat(acme).hasSize(12).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.OK));
        assertThat(new HashSet<>(acme.stream().map(InferenceResult::getRequestId).toList())).hasSize(12);
        assertThat(stack.alerts()).hasSize(2);
    }

    @Test
    void shouldHoldATenantsWorkInItsCallerWhileItsBudgetIsSpent() throws Exception {
        final GptWorkerApp worker = stack.startWorker(KafkaTestClients.uniqueName("gpt-tx"), 1, prices(Map.of(
                "gpt.budget.tenants", "acme=" + 2.5 * callCost, "gpt.budget.exhausted", "hold")));
        stack.produceRouted("a", 0, 6, "acme");

        stack.awaitResults(4);
        Thread.sleep(2_000);
        assertThat(resultsOf("acme", stack.results())).hasSize(3)
                .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.OK));
        assertThat(stack.metrics(worker)).contains("gpt_budget_held 1.0",
                "gpt_budget_used_ratio{scope=\"tenant\",tenant=\"acme\"} 1.2");
        assertThat(worker.loop().inFlight()).isEqualTo(1);
    }

    /** The ledger reads results back asynchronously: wait until it has counted {@code expected}. */
    private static void awaitLedger(final BudgetLedger ledger, final String tenant, final double expected)
            throws InterruptedException {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (Math.abs(ledger.committedSpend(tenant, BudgetLedger.period(Instant.now())) - expected) > 1e-9
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ledger.committedSpend(tenant, BudgetLedger.period(Instant.now()))).isCloseTo(expected, CENT_FRACTION);
    }
}
