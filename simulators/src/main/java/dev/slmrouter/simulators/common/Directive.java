package dev.slmrouter.simulators.common;

/**
 * What a script wants for one request; {@code null} / {@code false} fields leave that aspect to the
 * configured random behavior. A directive that sets anything makes the answer exact: the random
 * schema-break and truncation rates only apply to requests whose directive is {@link #NONE}.
 *
 * @param confidence   the confidence the logprobs must encode, in (0, 1]
 * @param schemaBreak  answer with invalid JSON or a missing required field
 * @param truncate     cut the answer and finish with {@code length}
 * @param refuse       refuse (OpenAI: {@code content: null} and {@code refusal}; vLLM: a refusal text)
 * @param errorStatus  answer this HTTP status with the API's error body instead of a completion
 * @param label        the label to answer (also without a label list: a one-token answer)
 * @param outputTokens the length of a free-text answer
 * @param hang         hold the request for the simulator's hang time (past a client's timeout)
 */
public record Directive(Double confidence, boolean schemaBreak, boolean truncate, boolean refuse,
                        Integer errorStatus, String label, Integer outputTokens, boolean hang) {

    public static final Directive NONE = new Directive(null, false, false, false, null, null, null, false);

    public static Directive confidence(final double confidence) {
        return NONE.withConfidence(confidence);
    }

    public static Directive schemaBroken() {
        return new Directive(null, true, false, false, null, null, null, false);
    }

    public static Directive truncated() {
        return new Directive(null, false, true, false, null, null, null, false);
    }

    public static Directive refusal() {
        return new Directive(null, false, false, true, null, null, null, false);
    }

    public static Directive error(final int status) {
        return new Directive(null, false, false, false, status, null, null, false);
    }

    public static Directive hung() {
        return new Directive(null, false, false, false, null, null, null, true);
    }

    public Directive withConfidence(final double value) {
        if (!(value > 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException("confidence must be in (0, 1]: " + value);
        }
        return new Directive(value, schemaBreak, truncate, refuse, errorStatus, label, outputTokens, hang);
    }

    public Directive withLabel(final String value) {
        return new Directive(confidence, schemaBreak, truncate, refuse, errorStatus, value, outputTokens, hang);
    }

    public Directive withOutputTokens(final int value) {
        return new Directive(confidence, schemaBreak, truncate, refuse, errorStatus, label, value, hang);
    }

    /** Field-wise union; {@code other}'s non-null values win. */
    public Directive merge(final Directive other) {
        return new Directive(other.confidence != null ? other.confidence : confidence,
                schemaBreak || other.schemaBreak, truncate || other.truncate, refuse || other.refuse,
                other.errorStatus != null ? other.errorStatus : errorStatus,
                other.label != null ? other.label : label,
                other.outputTokens != null ? other.outputTokens : outputTokens, hang || other.hang);
    }

    public boolean isNone() {
        return equals(NONE);
    }
}
