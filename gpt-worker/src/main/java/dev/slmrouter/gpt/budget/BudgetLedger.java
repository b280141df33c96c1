package dev.slmrouter.gpt.budget;

import dev.slmrouter.events.Alert;
import dev.slmrouter.events.AlertKind;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.Tier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * GPT spend per calendar month (UTC), globally and per tenant, against the {@link Budgets}.
 *
 * <h2>Where the numbers come from</h2>
 * The spend is the sum of {@code cost_usd} of the GPT-tier results committed to the results topic
 * ({@link #committed}, fed by {@link CommittedResults} reading it read_committed from the start of the
 * month): Kafka's exactly-once results make it survive restarts and never count a result twice. Calls
 * this process has started but whose results are not yet read back are counted as reservations: an
 * estimate before the call ({@link #reserve}), the real cost after it ({@link #settle}), dropped when the
 * committed result is read back (or after {@code settledTtl}, when its transaction never committed).
 * Admission checks committed plus reserved spend, so spend passes a budget by at most the calls in
 * flight when it was reached.
 *
 * <h2>Alerts</h2>
 * The settle that takes the spend of a scope to the alert ratio, then to 100%, claims that threshold for
 * the period and returns one {@link Alert}, which the worker commits in the same transaction as the
 * result that crossed it. The claim becomes permanent when that result is read back committed, and is
 * released if its reservation expires uncommitted (the transaction was aborted, so the alert was too, and
 * the redone request claims again). Committed spend already past a threshold (after a restart, or spent by
 * another instance) marks it claimed without a new alert. Thread-safe.
 */
public final class BudgetLedger {

    /** The global scope's key in the spend tables; tenants use their name behind a prefix. */
    private static final String GLOBAL = "global";
    private static final String TENANT = "tenant/";

    private final Budgets budgets;
    private final Clock clock;
    private final Duration settledTtl;
    private final String source;
    /** Alert ids start with it ("budget", or "shadow-budget" for the shadow ledger) so the two never fold together. */
    private final String idPrefix;
    /** period -> scope -> committed USD. */
    private final Map<YearMonth, Map<String, Double>> committed = new HashMap<>();
    private final Map<String, Reservation> reservations = new HashMap<>();
    /** period/scope/threshold -> the request id whose uncommitted result claimed it, or "" once permanent. */
    private final Map<String, String> claims = new HashMap<>();

    public BudgetLedger(final Budgets budgets, final Clock clock, final Duration settledTtl, final String source) {
        this(budgets, clock, settledTtl, source, "budget");
    }

    /** A ledger whose alert ids start with {@code idPrefix}, e.g. {@code shadow-budget} for shadow calls. */
    public BudgetLedger(final Budgets budgets, final Clock clock, final Duration settledTtl, final String source,
                        final String idPrefix) {
        this.idPrefix = idPrefix;
        this.budgets = budgets;
        this.clock = clock;
        this.settledTtl = settledTtl;
        this.source = source;
    }

    public Budgets budgets() {
        return budgets;
    }

    /** A committed result read back from the results topic. */
    public synchronized void committed(final InferenceResult result) {
        committed(result.getRequestId(), result.getTenant(), result.getCompletedAt(),
                result.getTier() == Tier.GPT ? result.getCostUsd() : 0);
    }

    /** Committed spend read back from a topic: {@code costUsd} of {@code requestId} for {@code tenant} at {@code at}. */
    public synchronized void committed(final String requestId, final String tenant, final Instant at,
                                       final double costUsd) {
        final Reservation reservation = reservations.remove(requestId);
        if (reservation != null) {
            // Its claims are now backed by a committed alert.
            claims.replaceAll((key, holder) -> holder.equals(requestId) ? "" : holder);
        }
        if (costUsd <= 0) {
            notifyAll();
            return;
        }
        final YearMonth period = period(at);
        // Only this month and the last matter (a result may complete just before midnight on the 1st).
        committed.keySet().removeIf(p -> p.isBefore(period.minusMonths(1)));
        final Map<String, Double> spend = committed.computeIfAbsent(period, p -> new HashMap<>());
        spend.merge(GLOBAL, costUsd, Double::sum);
        spend.merge(TENANT + tenant, costUsd, Double::sum);
        for (final Scope scope : scopes(tenant)) {
            final double used = spend.getOrDefault(scope.key, 0.0);
            for (final double threshold : thresholds()) {
                if (used >= threshold * scope.budget) {
                    claims.put(claimKey(period, scope, threshold), "");
                }
            }
        }
        notifyAll();
    }

    /**
     * Admits a call estimated at {@code estimateUsd} for {@code requestId} of {@code tenant}, or says which
     * budget is spent. An admitted call must be {@link #settle settled} (also with 0 when it failed).
     */
    public synchronized Admission reserve(final String requestId, final String tenant, final double estimateUsd) {
        final YearMonth period = period(clock.instant());
        expire();
        for (final Scope scope : scopes(tenant)) {
            final double spent = spent(period, scope.key);
            if (spent >= scope.budget) {
                return new Admission(null, scope.describe(period, spent));
            }
        }
        final Reservation reservation = new Reservation(requestId, tenant, period, estimateUsd);
        final Reservation previous = reservations.put(requestId, reservation);
        if (previous != null) {
            // The same request again (redone after a failed transaction): the old reservation is void.
            releaseClaims(requestId);
        }
        return new Admission(reservation, null);
    }

    /**
     * The call of {@code reservation} ended and its result will cost {@code costUsd}; returns the alerts
     * to commit with that result, for the thresholds its spend crossed first.
     */
    public synchronized List<Alert> settle(final Reservation reservation, final double costUsd) {
        reservation.amount = costUsd;
        reservation.settledAt = clock.instant();
        final List<Alert> alerts = new ArrayList<>(0);
        if (reservations.get(reservation.requestId) != reservation) {
            return alerts;
        }
        for (final Scope scope : scopes(reservation.tenant)) {
            final double spent = spent(reservation.period, scope.key);
            for (final double threshold : thresholds()) {
                final String key = claimKey(reservation.period, scope, threshold);
                if (spent >= threshold * scope.budget && !claims.containsKey(key)) {
                    claims.put(key, reservation.requestId);
                    alerts.add(alert(reservation.period, scope, threshold, spent));
                }
            }
        }
        notifyAll();
        return alerts;
    }

    /** Committed plus reserved spend of the month so far, for a tenant's scope. */
    public synchronized double tenantSpend(final String tenant) {
        return spent(period(clock.instant()), TENANT + tenant);
    }

    public synchronized double globalSpend() {
        return spent(period(clock.instant()), GLOBAL);
    }

    /** Committed spend only (what the results topic says), for a tenant in a period. */
    public synchronized double committedSpend(final String tenant, final YearMonth period) {
        return committed.getOrDefault(period, Map.of()).getOrDefault(tenant == null ? GLOBAL : TENANT + tenant, 0.0);
    }

    /** True when the global budget is spent and the configured action is to hold: consumption must stop. */
    public synchronized boolean globalHeld() {
        return budgets.exhausted() == Budgets.Exhausted.HOLD && budgets.globalUsd() > 0
                && spent(period(clock.instant()), GLOBAL) >= budgets.globalUsd();
    }

    /** Waits up to {@code timeout} for the ledger to change (a result read back, a call settled). */
    public synchronized void awaitChange(final Duration timeout) throws InterruptedException {
        wait(Math.max(1, timeout.toMillis()));
    }

    public static YearMonth period(final Instant at) {
        return YearMonth.from(at.atOffset(ZoneOffset.UTC));
    }

    private double spent(final YearMonth period, final String scopeKey) {
        double sum = committed.getOrDefault(period, Map.of()).getOrDefault(scopeKey, 0.0);
        for (final Reservation r : reservations.values()) {
            if (r.period.equals(period) && (scopeKey.equals(GLOBAL) || scopeKey.equals(TENANT + r.tenant))) {
                sum += r.amount;
            }
        }
        return sum;
    }

    /** Drops settled reservations never read back committed: their transaction was aborted. */
    private void expire() {
        final Instant cutoff = clock.instant().minus(settledTtl);
        for (Iterator<Reservation> it = reservations.values().iterator(); it.hasNext(); ) {
            final Reservation r = it.next();
            if (r.settledAt != null && r.settledAt.isBefore(cutoff)) {
                it.remove();
                releaseClaims(r.requestId);
            }
        }
    }

    private void releaseClaims(final String requestId) {
        claims.values().removeIf(holder -> holder.equals(requestId));
    }

    private double[] thresholds() {
        return budgets.alertRatio() < 1.0 ? new double[] {budgets.alertRatio(), 1.0} : new double[] {1.0};
    }

    private List<Scope> scopes(final String tenant) {
        final List<Scope> scopes = new ArrayList<>(2);
        if (budgets.globalUsd() > 0) {
            scopes.add(new Scope(GLOBAL, null, budgets.globalUsd()));
        }
        if (budgets.tenant(tenant) > 0) {
            scopes.add(new Scope(TENANT + tenant, tenant, budgets.tenant(tenant)));
        }
        return scopes;
    }

    private static String claimKey(final YearMonth period, final Scope scope, final double threshold) {
        return period + "/" + scope.key + "/" + String.format(Locale.ROOT, "%.2f", threshold);
    }

    private Alert alert(final YearMonth period, final Scope scope, final double threshold, final double spent) {
        final boolean exhausted = threshold >= 1.0;
        final String action = exhausted ? (budgets.exhausted() == Budgets.Exhausted.HOLD
                ? "new GPT work is held in Kafka until budget is available"
                : "new GPT work is answered REJECTED") : "GPT work goes on";
        return Alert.newBuilder()
                .setAlertId(idPrefix + "/" + claimKey(period, scope, threshold))
                .setKind(exhausted ? AlertKind.BUDGET_EXHAUSTED : AlertKind.BUDGET_THRESHOLD)
                .setScope(scope.tenant == null ? "global" : "tenant")
                .setTenant(scope.tenant)
                .setPeriod(period.toString())
                .setThreshold(threshold)
                .setSpentUsd(spent)
                .setBudgetUsd(scope.budget)
                .setMessage(String.format(Locale.ROOT, "%s GPT budget for %s: $%.4f of $%.2f spent (%.0f%%); %s",
                        scope.tenant == null ? "Global" : "Tenant " + scope.tenant + "'s", period, spent, scope.budget,
                        100 * spent / scope.budget, action))
                .setSource(source)
                .setCreatedAt(clock.instant())
                .build();
    }

    /** The answer to {@link #reserve}: a reservation, or why there is none. */
    public record Admission(Reservation reservation, String refusal) {
        public Optional<Reservation> admitted() {
            return Optional.ofNullable(reservation);
        }
    }

    /** A budget scope: global or one tenant. */
    private record Scope(String key, String tenant, double budget) {
        String describe(final YearMonth period, final double spent) {
            return String.format(Locale.ROOT, "%s spent $%.4f of its $%.2f GPT budget for %s",
                    tenant == null ? "the global scope" : "tenant " + tenant, spent, budget, period);
        }
    }

    /** Spend this process has started but not yet read back committed. */
    public static final class Reservation {
        private final String requestId;
        private final String tenant;
        private final YearMonth period;
        private double amount;
        private Instant settledAt;

        private Reservation(final String requestId, final String tenant, final YearMonth period, final double amount) {
            this.requestId = requestId;
            this.tenant = tenant;
            this.period = period;
            this.amount = amount;
        }
    }
}
