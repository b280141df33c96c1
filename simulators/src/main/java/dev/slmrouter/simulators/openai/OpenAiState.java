package dev.slmrouter.simulators.openai;

import dev.slmrouter.simulators.common.Counters;
import dev.slmrouter.simulators.common.Generation;
import dev.slmrouter.simulators.common.Script;
import java.util.Map;

/**
 * What the OpenAI endpoints share: model snapshots ({@code gpt-4o} answers as
 * {@code gpt-4o-2024-08-06}), the system fingerprint, the expected API key ({@code null} accepts any),
 * answer generation, counters, script, rate limits and armed fault bursts.
 */
record OpenAiState(Map<String, String> snapshots, String defaultModel, String fingerprint, String apiKey,
                   Generation generation, Counters counters, Script script, RateLimits limits,
                   FaultBursts faults) {

    /** The dated snapshot a model alias resolves to; unknown names are echoed. */
    String snapshot(final String requested) {
        final String model = requested == null ? defaultModel : requested;
        return snapshots.getOrDefault(model, model);
    }
}
