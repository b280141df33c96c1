package dev.slmrouter.gpt.shadow;

import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.events.ShadowRequest;
import dev.slmrouter.worker.answer.LabelMatcher;
import dev.slmrouter.worker.shadow.Agreement;
import java.time.Instant;

/**
 * Builds the ShadowComparison of one request from the SLM's side (a shadow request, or the draft of a
 * sampled escalation) and GPT's side (its answer or error, tokens and cost), with the agreement verdict.
 */
public final class Comparisons {

    private final Agreement agreement;

    public Comparisons(final double textAgreement) {
        this.agreement = new Agreement(textAgreement);
    }

    /** What the SLM answered, as the GPT worker received it. */
    public record SlmSide(ShadowMode mode, RoutedRequest routed, String answer, Double confidence, double threshold,
                          EscalationReason reason, String model, int promptTokens, int completionTokens, double costUsd) {

        public static SlmSide of(final ShadowRequest r) {
            return new SlmSide(r.getMode(), r.getRouted(), r.getSlmAnswer(), r.getSlmConfidence(), r.getSlmThreshold(),
                    r.getSlmEscalationReason(), r.getSlmModel(), r.getSlmPromptTokens(), r.getSlmCompletionTokens(),
                    r.getSlmCostUsd());
        }

        /** The draft of an escalation; for classification the label it names, if any, so labels compare exactly. */
        public static SlmSide of(final Escalation e) {
            final InferenceRequest request = e.getRouted().getRequest();
            String answer = e.getDraft();
            if (answer != null && request.getLabels() != null) {
                answer = new LabelMatcher(request.getLabels()).match(answer).orElse(answer);
            }
            return new SlmSide(ShadowMode.ESCALATED, e.getRouted(), answer, e.getConfidence(), 0.0,
                    e.getReason(), e.getModel(), e.getPromptTokens(), e.getCompletionTokens(), e.getCostUsd());
        }
    }

    /** GPT's answer (null with an error), its model and what its calls used. */
    public record GptSide(String answer, String error, String model, int promptTokens, int completionTokens,
                          double costUsd) {
    }

    public ShadowComparison compare(final SlmSide slm, final GptSide gpt, final Instant now) {
        final InferenceRequest request = slm.routed().getRequest();
        final var kind = Agreement.kindOf(request);
        final Agreement.Verdict verdict = agreement.compare(kind, slm.answer(), gpt.answer());
        final double shadowCost = switch (slm.mode()) {
            case SAMPLE -> gpt.costUsd();
            case SHADOW_ONLY -> slm.costUsd();
            default -> 0.0;
        };
        return ShadowComparison.newBuilder()
                .setRequestId(request.getRequestId())
                .setTenant(request.getTenant())
                .setTaskType(slm.routed().getDecision().getTaskType())
                .setMode(slm.mode())
                .setKind(kind)
                .setSlmAnswer(slm.answer())
                .setSlmConfidence(slm.confidence())
                .setSlmThreshold(slm.threshold())
                .setSlmEscalationReason(slm.reason())
                .setGptAnswer(gpt.answer())
                .setGptError(gpt.error())
                .setAgreed(verdict.agreed())
                .setScore(verdict.score())
                .setFields(verdict.fields())
                .setSlmModel(slm.model())
                .setGptModel(gpt.model())
                .setSlmPromptTokens(slm.promptTokens())
                .setSlmCompletionTokens(slm.completionTokens())
                .setSlmCostUsd(slm.costUsd())
                .setGptPromptTokens(gpt.promptTokens())
                .setGptCompletionTokens(gpt.completionTokens())
                .setGptCostUsd(gpt.costUsd())
                .setShadowCostUsd(shadowCost)
                .setComparedAt(now)
                .build();
    }
}
