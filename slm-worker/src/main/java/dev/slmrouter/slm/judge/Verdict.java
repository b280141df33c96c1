package dev.slmrouter.slm.judge;

import dev.slmrouter.events.EscalationReason;

/** What to do with an SLM attempt: accept it as the result, ask the SLM again, or escalate to GPT. */
public sealed interface Verdict {

    /** The answer is final. */
    record Accept(double confidence) implements Verdict {
    }

    /** The answer broke the response schema or label set and a retry is allowed. */
    record Retry(String detail) implements Verdict {
    }

    /** The answer is not final: GPT answers instead, with this reason. */
    record Escalate(EscalationReason reason, String detail) implements Verdict {
    }
}
