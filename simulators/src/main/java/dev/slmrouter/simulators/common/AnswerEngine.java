package dev.slmrouter.simulators.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides what a simulated model answers, shared by both simulators: a refusal, one of the labels, a
 * JSON value for the schema (possibly broken on purpose), or free text; then truncation (scripted, by
 * rate, or by {@code max_tokens}) and logprobs encoding the confidence. All random choices come from one
 * generator seeded per request ({@link Rng}) and are drawn in a fixed order, so a seeded request always
 * gets the same answer, and asking for logprobs does not change the text.
 */
public final class AnswerEngine {

    private final AnswerPolicy policy;

    public AnswerEngine(final AnswerPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param defaultMaxTokens the output limit when the request sets none (an API-specific default)
     */
    public Answer answer(final SimRequest request, final Directive directive, final int choiceIndex,
                         final int defaultMaxTokens) {
        final SplittableRandom rng = Rng.forAnswer(request, choiceIndex);
        final double confidence = directive.confidence() != null
                ? directive.confidence() : policy.confidence().draw(rng);
        // Both rate draws always happen, so scripting one aspect never shifts the other random choices.
        final boolean randomBreak = rng.nextDouble() < policy.schemaBreakRate();
        final boolean randomTruncate = rng.nextDouble() < policy.truncateRate();
        final boolean unscripted = directive.isNone();
        final boolean breakSchema = directive.schemaBreak() || unscripted && randomBreak;
        final boolean truncate = directive.truncate() || unscripted && randomTruncate;

        final Draft draft = draft(request, directive, breakSchema, rng);
        // A label is one token, so its probability is the confidence itself.
        List<String> tokens = draft.label() != null ? List.of(draft.label()) : Tokens.split(draft.text());
        final int limit = request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens;
        int keep = Math.min(tokens.size(), limit);
        if (truncate) {
            keep = Math.min(keep, Math.max(1, tokens.size() / 2));
        }
        final boolean cut = keep < tokens.size() || truncate;
        if (cut && tokens.size() == 1) {
            final String only = tokens.get(0);
            tokens = List.of(only.substring(0, Math.max(1, only.length() / 2)));
        } else {
            tokens = tokens.subList(0, keep);
        }
        final String label = cut ? null : draft.label();
        final List<TokenLogprob> logprobs = !request.logprobs() ? List.of()
                : label != null ? List.of(LogprobShaper.label(label, request.labels(), confidence,
                        request.topLogprobs()))
                : LogprobShaper.sequence(tokens, confidence, request.topLogprobs(), rng);
        return new Answer(String.join("", tokens), directive.refuse(), tokens, logprobs, cut ? "length" : "stop",
                confidence, label, breakSchema && request.schema() != null && !directive.refuse());
    }

    /** The full answer before any cut; {@code label} is set for classifications. */
    private record Draft(String text, String label) {
    }

    private Draft draft(final SimRequest request, final Directive directive, final boolean breakSchema,
                        final SplittableRandom rng) {
        if (directive.refuse()) {
            return new Draft(TextAnswers.REFUSAL, null);
        }
        if (!request.labels().isEmpty() || directive.label() != null) {
            final String label = directive.label() != null
                    ? directive.label() : request.labels().get(rng.nextInt(request.labels().size()));
            return new Draft(label, label);
        }
        if (request.schema() != null) {
            final JsonNode valid = SchemaAnswers.instance(request.schema(), rng);
            return new Draft(breakSchema ? SchemaAnswers.broken(request.schema(), valid, rng) : valid.toString(), null);
        }
        final String sentence = TextAnswers.sentence(outputTokens(directive, rng), rng);
        return new Draft(request.jsonObject() ? Json.object().put("answer", sentence).toString() : sentence, null);
    }

    private int outputTokens(final Directive directive, final SplittableRandom rng) {
        if (directive.outputTokens() != null) {
            return directive.outputTokens();
        }
        final int mean = policy.meanOutputTokens();
        return Math.max(1, (int) Math.round(mean * (0.5 + rng.nextDouble())));
    }
}
