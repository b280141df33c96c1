package dev.slmrouter.gpt.shadow;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.gpt.budget.Budgets;
import java.util.Map;

/**
 * The GPT worker's side of shadow mode: the model that answers sampled requests in the shadow, the
 * monthly shadow budget (USD, 0 = none), whether shadow spend also counts against the production budgets,
 * and the similarity from which two free-text answers agree.
 */
public record ShadowSettings(String model, double budgetUsd, boolean countsAgainstProduction, double textAgreement) {

    public static ShadowSettings from(final Settings s, final String productionModel) {
        return new ShadowSettings(
                s.string("gpt.shadow.model", productionModel),
                s.doubleValue("gpt.shadow.budget.usd", 0, 0, Double.MAX_VALUE),
                s.booleanValue("gpt.shadow.budget.shared", false),
                s.doubleValue("gpt.shadow.text.agreement", 0.8, 0, 1));
    }

    /** The shadow budget as a global monthly budget whose spent state skips shadow calls (never holds work). */
    public Budgets budgets(final double alertRatio) {
        return new Budgets(budgetUsd, 0, Map.of(), alertRatio, Budgets.Exhausted.REJECT);
    }
}
