package dev.slmrouter.router;

/** Policies for router tests. */
public final class TestPolicies {

    /** Small bands (5 and 10 requests a day) so a handful of requests moves a task type up a band. */
    public static final String SMALL_BANDS = """
            version: "test-7"
            volume_bands_per_day: [5, 10]
            matrix:
              CLASSIFICATION:       [3, 2, 1]
              EXTRACTION:           [3, 2, 1]
              TEMPLATED_GENERATION: [3, 2, 1]
              SUMMARIZATION:        [4, 3, 2]
              REASONING:            [5, 5, 4]
              CREATIVE:             [5, 5, 5]
              AGENT:                [5, 4, 4]
            scores: {slm_at_most: 2, gpt_at_least: 4, between: SLM}
            supported_languages: [en, de]
            min_language_confidence: 0.05
            context_budget_tokens: 200
            min_task_confidence: 0.5
            tenants:
              regulated: {force_tier: GPT}
              cautious: {between: GPT}
              bulk: {supported_languages: [en], matrix: {CREATIVE: [1, 1, 1]}}
            """;

    private TestPolicies() {
    }
}
