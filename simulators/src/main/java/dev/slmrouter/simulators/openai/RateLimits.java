package dev.slmrouter.simulators.openai;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * OpenAI-style request and token limits per window (a minute by default), enforced with a fixed window:
 * simpler than OpenAI's continuously refilling bucket and exact for tests, with the same headers
 * ({@code x-ratelimit-limit|remaining|reset-requests|tokens}). A request is charged its prompt tokens
 * plus {@code max_tokens} on admission, as OpenAI estimates; without {@code max_tokens} the generated
 * tokens are charged afterwards.
 */
final class RateLimits {

    /** The outcome of an admission; {@code kind} is "requests" or "tokens" when refused. */
    record Admission(boolean admitted, String kind, long limit, long used, long requested, Duration retryAfter) {
    }

    private final long rpm;
    private final long tpm;
    private final long windowNanos;
    private final LongSupplier clock;
    private long windowStart;
    private long requests;
    private long tokens;

    RateLimits(final long rpm, final long tpm, final Duration window, final LongSupplier nanoClock) {
        this.rpm = rpm;
        this.tpm = tpm;
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    synchronized Admission admit(final long estimatedTokens) {
        roll();
        if (requests + 1 > rpm) {
            return new Admission(false, "requests", rpm, requests, 1, untilReset());
        }
        if (tokens + estimatedTokens > tpm) {
            return new Admission(false, "tokens", tpm, tokens, estimatedTokens, untilReset());
        }
        requests++;
        tokens += estimatedTokens;
        return new Admission(true, null, 0, 0, 0, Duration.ZERO);
    }

    synchronized void charge(final long moreTokens) {
        roll();
        tokens += moreTokens;
    }

    synchronized Map<String, String> headers() {
        roll();
        final String reset = GoDuration.format(untilReset());
        final Map<String, String> h = new LinkedHashMap<>();
        h.put("x-ratelimit-limit-requests", Long.toString(rpm));
        h.put("x-ratelimit-limit-tokens", Long.toString(tpm));
        h.put("x-ratelimit-remaining-requests", Long.toString(Math.max(0, rpm - requests)));
        h.put("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, tpm - tokens)));
        h.put("x-ratelimit-reset-requests", requests == 0 ? "0s" : reset);
        h.put("x-ratelimit-reset-tokens", tokens == 0 ? "0s" : reset);
        return h;
    }

    private Duration untilReset() {
        return Duration.ofNanos(Math.max(0, windowStart + windowNanos - clock.getAsLong()));
    }

    private void roll() {
        final long now = clock.getAsLong();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            requests = 0;
            tokens = 0;
        }
    }
}
