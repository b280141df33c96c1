package dev.slmrouter.gpt.budget;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import java.util.HashMap;
import java.util.Map;

/**
 * Monthly GPT spend budgets in USD: one global, and one per tenant (a default for every tenant, with
 * overrides). 0 means no budget. At {@code alertRatio} of a budget an alert is raised; at 100% new work of
 * that scope is held or rejected ({@link Exhausted}).
 */
public record Budgets(double globalUsd, double tenantDefaultUsd, Map<String, Double> tenantUsd, double alertRatio,
                      Exhausted exhausted) {

    /** What happens to new work once a budget is spent. */
    public enum Exhausted {
        /** Keep the requests uncommitted in Kafka until budget is available (a new month, a raised budget). */
        HOLD,
        /** Answer them at once with a REJECTED result, without calling the API. */
        REJECT
    }

    public static final Budgets NONE = new Budgets(0, 0, Map.of(), 0.8, Exhausted.HOLD);

    public Budgets {
        tenantUsd = Map.copyOf(tenantUsd);
    }

    public static Budgets from(final Settings s) {
        return new Budgets(
                s.doubleValue("gpt.budget.global.usd", 0, 0, Double.MAX_VALUE),
                s.doubleValue("gpt.budget.tenant.usd", 0, 0, Double.MAX_VALUE),
                tenants(s.string("gpt.budget.tenants", "")),
                s.doubleValue("gpt.budget.alert.ratio", 0.8, 0.01, 1.0),
                s.enumValue("gpt.budget.exhausted", Exhausted.class, Exhausted.HOLD));
    }

    /** {@code acme=100,globex=25.5}. */
    static Map<String, Double> tenants(final String text) {
        final Map<String, Double> budgets = new HashMap<>();
        for (final String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            final int eq = entry.indexOf('=');
            try {
                final double usd = Double.parseDouble(entry.substring(eq + 1).trim());
                if (eq <= 0 || usd < 0 || Double.isNaN(usd)) {
                    throw new NumberFormatException();
                }
                budgets.put(entry.substring(0, eq).trim(), usd);
            } catch (RuntimeException e) {
                throw new ConfigException("Invalid entry '" + entry.trim() + "' in " + Settings.describe("gpt.budget.tenants")
                        + ": expected tenant=USD pairs separated by commas, e.g. acme=100,globex=25.5");
            }
        }
        return budgets;
    }

    /** The monthly budget of a tenant, 0 when it has none. */
    public double tenant(final String tenant) {
        return tenantUsd.getOrDefault(tenant, tenantDefaultUsd);
    }

    /** True when any budget is set, so spend must be tracked. */
    public boolean any() {
        return globalUsd > 0 || tenantDefaultUsd > 0 || tenantUsd.values().stream().anyMatch(v -> v > 0);
    }
}
