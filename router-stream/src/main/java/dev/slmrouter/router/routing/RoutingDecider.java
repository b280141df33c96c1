package dev.slmrouter.router.routing;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.router.classify.TaskTypeClassifier;
import dev.slmrouter.router.classify.TaskTypeClassifier.TaskPrediction;
import dev.slmrouter.router.language.LanguageDetector;
import dev.slmrouter.router.language.LanguageDetector.LanguageGuess;
import dev.slmrouter.router.policy.RoutingPolicy;
import dev.slmrouter.router.policy.TenantRules;
import dev.slmrouter.router.policy.Tier0Classifiers;
import dev.slmrouter.router.size.TokenEstimator;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The routing decision, free of Kafka: from a valid request and the current daily volumes to the
 * tier and the reasons. The rules apply in a fixed order, the first that fires decides:
 * tenant override, context budget, language (undetected, then unsupported), a tier-0 classifier that
 * knows the request's label set, intent confidence, and finally the decision matrix (task type x volume
 * band). A tier-0 match wins over intent confidence: a request whose labels are a trained label set is
 * unambiguous whatever the task classifier's margin. Every input is recorded on the decision.
 */
public final class RoutingDecider {

    private final RoutingPolicy policy;
    private final TaskTypeClassifier classifier;
    private final LanguageDetector languageDetector;
    private final TokenEstimator tokenEstimator;

    public RoutingDecider(final RoutingPolicy policy, final TaskTypeClassifier classifier,
                          final LanguageDetector languageDetector, final TokenEstimator tokenEstimator) {
        this.policy = policy;
        this.classifier = classifier;
        this.languageDetector = languageDetector;
        this.tokenEstimator = tokenEstimator;
    }

    public RoutingDecision decide(final InferenceRequest request, final VolumeView volumes, final Instant now) {
        final TenantRules rules = policy.rulesFor(request.getTenant());
        final int tokens = tokenEstimator.estimate(request, rules.contextBudgetTokens());
        final LanguageGuess language = request.getLanguage() != null
                ? new LanguageGuess(request.getLanguage(), 1.0)
                : languageDetector.detect(lastUserText(request.getMessages()));
        final TaskPrediction task = request.getTaskType() != null
                ? new TaskPrediction(request.getTaskType(), 1.0)
                : classifier.classify(request);
        final long dailyVolume = volumes.dailyVolume(task.taskType());
        final int band = rules.volumeBands().bandOf(dailyVolume);
        final int score = rules.score(task.taskType(), band);

        final Verdict verdict = verdict(rules, tokens, language, task, request.getTaskType() == null, score,
                tier0Match(request, task, language));
        return RoutingDecision.newBuilder()
                .setTier(verdict.tier())
                .setRule(verdict.rule())
                .setExplanation(verdict.explanation())
                .setClassifier(verdict.classifier())
                .setFallbackTier(verdict.classifier() == null ? null : policy.tier0().fallbackTier())
                .setTaskType(task.taskType())
                .setTaskTypeSource(request.getTaskType() != null ? DecisionSource.HINT : DecisionSource.CLASSIFIER)
                .setTaskTypeConfidence(task.confidence())
                .setLanguage(language.isoCode())
                .setLanguageSource(request.getLanguage() != null ? DecisionSource.HINT : DecisionSource.CLASSIFIER)
                .setLanguageConfidence(language.confidence())
                .setTokenEstimate(tokens)
                .setDailyVolume(dailyVolume)
                .setVolumeBand(band)
                .setMatrixScore(score)
                .setPolicyVersion(policy.version())
                .setDecidedAt(now)
                .build();
    }

    /** The rule that decided; {@code classifier} names the tier-0 classifier when tier 0 serves the request. */
    private record Verdict(Tier tier, RoutingRule rule, String explanation, String classifier) {
        Verdict(final Tier tier, final RoutingRule rule, final String explanation) {
            this(tier, rule, explanation, null);
        }
    }

    /** A tier-0 classifier for a CLASSIFICATION request in a language its encoder reads, if the policy has one. */
    private Optional<Tier0Classifiers.Classifier> tier0Match(final InferenceRequest request, final TaskPrediction task,
                                                             final LanguageGuess language) {
        if (task.taskType() != TaskType.CLASSIFICATION || language.isoCode() == null) {
            return Optional.empty();
        }
        return policy.tier0().match(request).filter(c -> c.languages().contains(language.isoCode()));
    }

    private Verdict verdict(final TenantRules rules, final int tokens, final LanguageGuess language,
                            final TaskPrediction task, final boolean classified, final int score,
                            final Optional<Tier0Classifiers.Classifier> tier0) {
        if (rules.forceTier().isPresent()) {
            return new Verdict(rules.forceTier().get(), RoutingRule.TENANT_OVERRIDE,
                    "the tenant's policy sends all its requests to " + rules.forceTier().get());
        }
        if (tokens > rules.contextBudgetTokens()) {
            return new Verdict(Tier.GPT, RoutingRule.CONTEXT_TOO_LONG, "about " + tokens
                    + " tokens exceed the SLM context budget of " + rules.contextBudgetTokens());
        }
        if (language.isoCode() == null || language.confidence() < rules.minLanguageConfidence()) {
            return new Verdict(Tier.GPT, RoutingRule.UNDETECTED_LANGUAGE, "the language could not be placed"
                    + " with confidence " + rules.minLanguageConfidence() + " (best guess "
                    + language.isoCode() + " at " + round(language.confidence()) + ")");
        }
        if (!rules.supportsLanguage(language.isoCode())) {
            return new Verdict(Tier.GPT, RoutingRule.LOW_RESOURCE_LANGUAGE,
                    "language " + language.isoCode() + " is not among the SLM's supported languages");
        }
        if (tier0.isPresent()) {
            return new Verdict(Tier.TIER0, RoutingRule.TIER0_CLASSIFIER, "tier-0 classifier " + tier0.get().name()
                    + " knows this label set; what it does not answer goes to " + policy.tier0().fallbackTier(),
                    tier0.get().name());
        }
        if (classified && task.confidence() < rules.minTaskConfidence()) {
            return new Verdict(Tier.GPT, RoutingRule.AMBIGUOUS_INTENT, "the task type is unclear (" + task.taskType()
                    + " at " + round(task.confidence()) + " < " + rules.minTaskConfidence() + ")");
        }
        final Tier tier = rules.tierForScore(score);
        final RoutingRule rule = score <= rules.slmAtMost() ? RoutingRule.MATRIX_SLM_PREFERRED
                : score >= rules.gptAtLeast() ? RoutingRule.MATRIX_GPT_REQUIRED : RoutingRule.MATRIX_TIE;
        return new Verdict(tier, rule, task.taskType() + " scores " + score + " at this volume; "
                + (rule == RoutingRule.MATRIX_TIE ? "ties go to " + tier : tier + " serves it"));
    }

    /** The text whose language matters: the last user message (system prompts are often English boilerplate). */
    private static String lastUserText(final List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).getRole())) {
                return messages.get(i).getContent();
            }
        }
        return messages.get(messages.size() - 1).getContent();
    }

    private static String round(final double value) {
        return String.valueOf(Math.round(value * 100) / 100.0);
    }
}
