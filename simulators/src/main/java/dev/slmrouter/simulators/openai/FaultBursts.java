package dev.slmrouter.simulators.openai;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scripted fault bursts of the OpenAI simulator: the next N requests get a 429, a 500 or a hang, and
 * quota exhaustion lasts until restored. Precedence when several are armed: quota, 429, 500, hang.
 */
final class FaultBursts {

    /** What the next request suffers. */
    enum Fault { NONE, QUOTA, RATE_LIMIT, SERVER_ERROR, TIMEOUT }

    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger serverErrors = new AtomicInteger();
    private final AtomicInteger timeouts = new AtomicInteger();
    private final AtomicReference<QuotaCode> quota = new AtomicReference<>();
    private volatile Duration retryAfter = Duration.ofSeconds(1);

    void rateLimit(final int n, final Duration after) {
        retryAfter = after;
        rateLimited.set(n);
    }

    void serverError(final int n) {
        serverErrors.set(n);
    }

    void timeout(final int n) {
        timeouts.set(n);
    }

    void quota(final QuotaCode code) {
        quota.set(code);
    }

    QuotaCode quota() {
        return quota.get();
    }

    Duration retryAfter() {
        return retryAfter;
    }

    Fault next() {
        if (quota.get() != null) {
            return Fault.QUOTA;
        }
        if (take(rateLimited)) {
            return Fault.RATE_LIMIT;
        }
        if (take(serverErrors)) {
            return Fault.SERVER_ERROR;
        }
        return take(timeouts) ? Fault.TIMEOUT : Fault.NONE;
    }

    private static boolean take(final AtomicInteger remaining) {
        return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
