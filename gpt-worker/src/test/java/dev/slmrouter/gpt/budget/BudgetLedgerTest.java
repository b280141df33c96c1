package dev.slmrouter.gpt.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.events.Alert;
import dev.slmrouter.events.AlertKind;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.Tier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetLedgerTest {

    private static final Instant NOV = Instant.parse("2026-11-28T10:00:00Z");
    private final MutableClock clock = new MutableClock(NOV);

    private BudgetLedger ledger(final Budgets budgets) {
        return new BudgetLedger(budgets, clock, Duration.ofMinutes(2), "test");
    }

    private static Budgets tenantBudget(final double usd, final Budgets.Exhausted action) {
        return new Budgets(0, 0, Map.of("acme", usd), 0.8, action);
    }

    private static InferenceResult result(final String id, final String tenant, final Tier tier, final double cost,
                                          final Instant at) {
        return InferenceResult.newBuilder().setRequestId(id).setTenant(tenant).setStatus(ResultStatus.OK)
                .setTier(tier).setEscalated(false).setPromptTokens(1).setCompletionTokens(1).setCostUsd(cost)
                .setQueueLatencyMs(0).setBackendLatencyMs(0).setEndToEndLatencyMs(0).setAttempts(1)
                .setMetadata(Map.of()).setCompletedAt(at).build();
    }

    /** Reserve, settle at {@code cost}, read back committed; returns the alerts the settle gave. */
    private static List<Alert> spend(final BudgetLedger ledger, final String id, final String tenant, final double cost,
                                     final Instant at) {
        final BudgetLedger.Admission admission = ledger.reserve(id, tenant, cost);
        assertThat(admission.refusal()).as("admission of " + id).isNull();
        final List<Alert> alerts = ledger.settle(admission.reservation(), cost);
        ledger.committed(result(id, tenant, Tier.GPT, cost, at));
        return alerts;
    }

    @Test
    void alertsOncePerThresholdThenRefusesOnceTheBudgetIsSpent() {
        final BudgetLedger ledger = ledger(tenantBudget(0.95, Budgets.Exhausted.REJECT));
        int thresholdAlerts = 0;
        int exhaustedAlerts = 0;
        for (int i = 1; i <= 10; i++) {
            final List<Alert> alerts = spend(ledger, "r" + i, "acme", 0.10, NOV);
            for (final Alert alert : alerts) {
                if (alert.getKind() == AlertKind.BUDGET_THRESHOLD) {
                    thresholdAlerts++;
                    assertThat(i).as("80% of $0.95 is reached by the 8th $0.10 call").isEqualTo(8);
                    assertThat(alert.getAlertId()).isEqualTo("budget/2026-11/tenant/acme/0.80");
                    assertThat(alert.getTenant()).isEqualTo("acme");
                    assertThat(alert.getSpentUsd()).isCloseTo(0.80, org.assertj.core.data.Offset.offset(1e-9));
                } else {
                    exhaustedAlerts++;
                    assertThat(i).isEqualTo(10);
                    assertThat(alert.getKind()).isEqualTo(AlertKind.BUDGET_EXHAUSTED);
                    assertThat(alert.getMessage()).contains("answered REJECTED");
                }
            }
        }
        assertThat(thresholdAlerts).isEqualTo(1);
        assertThat(exhaustedAlerts).isEqualTo(1);
        final BudgetLedger.Admission refused = ledger.reserve("r11", "acme", 0.10);
        assertThat(refused.admitted()).isEmpty();
        assertThat(refused.refusal()).isEqualTo("tenant acme spent $1.0000 of its $0.95 GPT budget for 2026-11");
        assertThat(ledger.reserve("other", "globex", 0.10).admitted()).as("globex has no budget").isPresent();
        assertThat(ledger.committedSpend("acme", YearMonth.of(2026, 11))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void callsInFlightCountAgainstTheBudgetBeforeTheirResultsAreReadBack() {
        final BudgetLedger ledger = ledger(tenantBudget(1.0, Budgets.Exhausted.REJECT));
        final var a = ledger.reserve("a", "acme", 0.6).reservation();
        final var b = ledger.reserve("b", "acme", 0.6).reservation();
        assertThat(ledger.reserve("c", "acme", 0.1).admitted()).as("1.2 reserved of 1.0").isEmpty();
        ledger.settle(a, 0.1);
        ledger.settle(b, 0.1);
        assertThat(ledger.reserve("c", "acme", 0.1).admitted()).as("the real costs were lower").isPresent();
        assertThat(ledger.tenantSpend("acme")).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aRestartedLedgerDoesNotAlertAgainForThresholdsTheCommittedSpendPassed() {
        final BudgetLedger first = ledger(tenantBudget(1.0, Budgets.Exhausted.HOLD));
        final List<Alert> alerts = spend(first, "a", "acme", 0.85, NOV);
        assertThat(alerts).extracting(Alert::getKind).containsExactly(AlertKind.BUDGET_THRESHOLD);

        final BudgetLedger restarted = ledger(tenantBudget(1.0, Budgets.Exhausted.HOLD));
        restarted.committed(result("a", "acme", Tier.GPT, 0.85, NOV));
        assertThat(spend(restarted, "b", "acme", 0.05, NOV)).as("80% was alerted before the restart").isEmpty();
        assertThat(spend(restarted, "c", "acme", 0.20, NOV)).extracting(Alert::getKind)
                .containsExactly(AlertKind.BUDGET_EXHAUSTED);
    }

    @Test
    void anAlertWhoseResultNeverCommittedIsRaisedAgainByTheRedoneRequest() {
        final BudgetLedger ledger = ledger(tenantBudget(1.0, Budgets.Exhausted.HOLD));
        final var first = ledger.reserve("a", "acme", 0.9).reservation();
        assertThat(ledger.settle(first, 0.9)).hasSize(1);
        // The transaction carrying the result and its alert was aborted; the request is redone.
        clock.advance(Duration.ofMinutes(3));
        final var redo = ledger.reserve("a", "acme", 0.9).reservation();
        assertThat(ledger.settle(redo, 0.9)).extracting(Alert::getKind).containsExactly(AlertKind.BUDGET_THRESHOLD);
    }

    @Test
    void aRedoneRequestReplacesItsEarlierReservation() {
        final BudgetLedger ledger = ledger(tenantBudget(1.0, Budgets.Exhausted.HOLD));
        ledger.settle(ledger.reserve("a", "acme", 0.9).reservation(), 0.9);
        final var redo = ledger.reserve("a", "acme", 0.9).reservation();
        assertThat(ledger.tenantSpend("acme")).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ledger.settle(redo, 0.9)).hasSize(1);
    }

    @Test
    void onlyGptTierResultsOfTheCurrentMonthCount() {
        final BudgetLedger ledger = ledger(new Budgets(10, 0, Map.of(), 0.8, Budgets.Exhausted.HOLD));
        ledger.committed(result("slm", "acme", Tier.SLM, 5, NOV));
        ledger.committed(result("oct", "acme", Tier.GPT, 5, Instant.parse("2026-10-31T23:59:59Z")));
        ledger.committed(result("nov", "acme", Tier.GPT, 2, NOV));
        assertThat(ledger.globalSpend()).isEqualTo(2.0);
        assertThat(ledger.committedSpend(null, YearMonth.of(2026, 10))).isEqualTo(5.0);
    }

    @Test
    void aNewMonthStartsFromZero() {
        final BudgetLedger ledger = ledger(new Budgets(1, 0, Map.of(), 0.8, Budgets.Exhausted.HOLD));
        spend(ledger, "a", "acme", 1.5, NOV);
        assertThat(ledger.globalHeld()).isTrue();
        assertThat(ledger.reserve("b", "acme", 0.1).admitted()).isEmpty();
        clock.set(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(ledger.globalHeld()).isFalse();
        assertThat(ledger.reserve("b", "acme", 0.1).admitted()).isPresent();
    }

    @Test
    void globalHoldOnlyWhenTheActionIsHold() {
        final BudgetLedger reject = ledger(new Budgets(1, 0, Map.of(), 0.8, Budgets.Exhausted.REJECT));
        spend(reject, "a", "acme", 1.5, NOV);
        assertThat(reject.globalHeld()).isFalse();
    }

    @Test
    void readsBudgetSettings() {
        final Budgets budgets = Budgets.from(dev.slmrouter.common.config.Settings.of(Map.of(
                "gpt.budget.global.usd", "500", "gpt.budget.tenant.usd", "50", "gpt.budget.tenants", "acme=100, globex=25.5",
                "gpt.budget.alert.ratio", "0.9", "gpt.budget.exhausted", "reject")));
        assertThat(budgets.tenant("acme")).isEqualTo(100);
        assertThat(budgets.tenant("globex")).isEqualTo(25.5);
        assertThat(budgets.tenant("initech")).isEqualTo(50);
        assertThat(budgets.alertRatio()).isEqualTo(0.9);
        assertThat(budgets.exhausted()).isEqualTo(Budgets.Exhausted.REJECT);
        assertThat(budgets.any()).isTrue();
        assertThat(Budgets.NONE.any()).isFalse();
        assertThatThrownBy(() -> Budgets.tenants("acme:100")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("gpt.budget.tenants");
        assertThatThrownBy(() -> Budgets.tenants("acme=-1")).isInstanceOf(ConfigException.class);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(final Instant now) {
            this.now = now;
        }

        void advance(final Duration d) {
            now = now.plus(d);
        }

        void set(final Instant at) {
            now = at;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
