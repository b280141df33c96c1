package dev.slmrouter.router.policy;

import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The effective routing rules for one tenant (or the defaults): decision matrix, score thresholds,
 * supported languages, context budget and confidence floors. Lookups are array and set reads, so the
 * hinted decision stays within microseconds.
 */
public record TenantRules(
        Optional<Tier> forceTier,
        VolumeBands volumeBands,
        Map<TaskType, int[]> matrix,
        int slmAtMost,
        int gptAtLeast,
        Tier between,
        Set<String> supportedLanguages,
        double minLanguageConfidence,
        int contextBudgetTokens,
        double minTaskConfidence) {

    public TenantRules {
        matrix = new EnumMap<>(matrix);
        supportedLanguages = Set.copyOf(supportedLanguages);
    }

    /** The matrix score (1-5) of a task type in a volume band. */
    public int score(final TaskType taskType, final int band) {
        return matrix.get(taskType)[band];
    }

    /** The tier a matrix score means: SLM at or below slmAtMost, GPT at or above gptAtLeast. */
    public Tier tierForScore(final int score) {
        if (score <= slmAtMost) {
            return Tier.SLM;
        }
        return score >= gptAtLeast ? Tier.GPT : between;
    }

    public boolean supportsLanguage(final String isoCode) {
        return supportedLanguages.contains(isoCode);
    }
}
