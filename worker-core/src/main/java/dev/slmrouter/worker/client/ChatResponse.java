package dev.slmrouter.worker.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful Chat Completions answer: the completion's id, model and {@code system_fingerprint},
 * its choices (at least one; the workers ask for one, but a body with {@code n > 1} still parses),
 * the billed {@link Usage} if the backend sent one, the {@link RateLimits} from the response headers,
 * and the latency measured by the client from sending the request to reading the whole body. Fields
 * a backend adds (vLLM's {@code stop_reason}, {@code prompt_logprobs}, {@code kv_transfer_params},
 * {@code reasoning_content}, ...) are ignored. The shortcuts ({@link #content()}, ...) read the first
 * choice. A refusal or a truncated answer is still a response: judging it is the caller's job.
 */
public final class ChatResponse {

    private final String id;
    private final String model;
    private final String systemFingerprint;
    private final List<Choice> choices;
    private final Usage usage;
    private final RateLimits rateLimits;
    private final Duration latency;

    public ChatResponse(final String id, final String model, final String systemFingerprint, final List<Choice> choices,
                        final Usage usage, final RateLimits rateLimits, final Duration latency) {
        this.id = id;
        this.model = model;
        this.systemFingerprint = systemFingerprint;
        this.choices = List.copyOf(Objects.requireNonNull(choices, "choices"));
        if (this.choices.isEmpty()) {
            throw new IllegalArgumentException("a chat response has at least one choice");
        }
        this.usage = usage;
        this.rateLimits = rateLimits == null ? RateLimits.NONE : rateLimits;
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    public String id() {
        return id;
    }

    /** The model that answered, as the backend names it (may differ from the requested alias). */
    public String model() {
        return model;
    }

    /** OpenAI's backend configuration fingerprint (audit); null when absent. */
    public String systemFingerprint() {
        return systemFingerprint;
    }

    public List<Choice> choices() {
        return choices;
    }

    /** The first choice (index 0). */
    public Choice first() {
        return choices.get(0);
    }

    /** The first choice's text; null when the model refused or sent no text. */
    public String content() {
        return first().content();
    }

    /** The first choice's refusal; null when there was none. */
    public String refusal() {
        return first().refusal();
    }

    /** The first choice's {@code finish_reason}; null when absent. */
    public String finishReason() {
        return first().finishReason();
    }

    /** The first choice's token log-probabilities; null when none were returned. */
    public List<TokenLogprob> logprobs() {
        return first().logprobs();
    }

    /** The billed token counts; empty when the backend sent no {@code usage}. */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    public RateLimits rateLimits() {
        return rateLimits;
    }

    /** Request sent to body read, measured by the client. */
    public Duration latency() {
        return latency;
    }

    @Override
    public String toString() {
        return "ChatResponse[id=" + id + ", model=" + model + ", choices=" + choices.size() + ", finishReason="
                + finishReason() + ", usage=" + usage + ", latency=" + latency + "]";
    }
}
