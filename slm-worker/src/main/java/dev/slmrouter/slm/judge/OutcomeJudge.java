package dev.slmrouter.slm.judge;

import dev.slmrouter.events.EscalationReason;

/**
 * Decides whether an SLM answer is final. The checks run from the most to the least certain failure:
 * a refusal or an empty answer, a truncated answer ({@code finish_reason: length}), any other non-stop
 * finish, an answer that breaks the response schema or label set (retried up to the configured number
 * of times first), missing logprobs (treated as unconfident: an answer whose confidence cannot be
 * measured is not trusted), and finally confidence below the threshold.
 */
public final class OutcomeJudge {

    private final int maxShapeRetries;

    /** @param maxShapeRetries how many times to ask the SLM again when its answer breaks the schema (default 1) */
    public OutcomeJudge(final int maxShapeRetries) {
        this.maxShapeRetries = maxShapeRetries;
    }

    /**
     * @param attempt   the answer
     * @param threshold the confidence an answer needs for this task type and tenant
     * @param attemptNo 1 for the first call, 2 for the first retry, ...
     */
    public Verdict judge(final SlmAttempt attempt, final double threshold, final int attemptNo) {
        if (attempt.refusal() != null && !attempt.refusal().isBlank()) {
            return new Verdict.Escalate(EscalationReason.REFUSAL, "the model refused: " + attempt.refusal());
        }
        if ("length".equals(attempt.finishReason())) {
            return new Verdict.Escalate(EscalationReason.TRUNCATED, "the answer hit max_tokens (finish_reason length)");
        }
        if (attempt.content() == null || attempt.content().isBlank()) {
            return new Verdict.Escalate(EscalationReason.REFUSAL, "the model returned no answer");
        }
        if (!"stop".equals(attempt.finishReason())) {
            return new Verdict.Escalate(EscalationReason.REFUSAL, "finish_reason " + attempt.finishReason());
        }
        if (!attempt.shapeErrors().isEmpty()) {
            final String detail = String.join("; ", attempt.shapeErrors());
            return attemptNo <= maxShapeRetries ? new Verdict.Retry(detail)
                    : new Verdict.Escalate(EscalationReason.SCHEMA_FAIL, detail);
        }
        if (attempt.confidence().isEmpty()) {
            return new Verdict.Escalate(EscalationReason.LOW_CONFIDENCE, "the backend sent no logprobs");
        }
        final double confidence = attempt.confidence().getAsDouble();
        if (confidence < threshold) {
            return new Verdict.Escalate(EscalationReason.LOW_CONFIDENCE,
                    String.format(java.util.Locale.ROOT, "confidence %.3f < threshold %.2f", confidence, threshold));
        }
        return new Verdict.Accept(confidence);
    }
}
