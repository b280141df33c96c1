package dev.slmrouter.gpt.limit;

import dev.slmrouter.worker.client.RateLimits;
import dev.slmrouter.worker.loop.ConsumeGate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * A client-side limit of requests and tokens per window (a minute), so the worker runs near the API's
 * limits without 429s.
 * <ul>
 *   <li>It keeps a log of calls: a call counts from its admission until one window after it ended. The
 *       API counts a call at some moment between those two (when it arrived), so however the API's own
 *       windows are aligned, and however long calls take to arrive, no window of the API's sees more calls
 *       than the limit: that holds for OpenAI's continuously refilling limits and for fixed windows alike.</li>
 *   <li>The limits start from configuration (0 = none) and are lowered to 95% of the
 *       {@code x-ratelimit-limit-*} the API reports (it knows the account's real limits); a configured
 *       lower limit wins.</li>
 *   <li>A response reporting {@code x-ratelimit-remaining-*} of 0 (the key is shared with other clients)
 *       and a 429 stop all admissions until the reported reset or retry-after.</li>
 *   <li>A call is admitted with an estimate of its tokens (prompt plus expected output) and counted with
 *       the real usage once it ended ({@link Permit#settle}).</li>
 * </ul>
 * As a {@link ConsumeGate} it is closed while no call could be admitted, so the worker loop pauses its
 * partitions and requests wait in Kafka instead of piling up in memory; {@link #acquire} blocks the caller
 * thread of the few records already handed out. Thread-safe.
 */
public final class RateLimiter implements ConsumeGate {

    /**
     * Limits learned from headers are kept 5% lower: calls reach the API some milliseconds after they are
     * admitted here, by varying amounts, so a log kept exactly at the limit could still cross it there.
     */
    static final double HEADROOM = 0.95;
    /** How long to stop after a 429 that names no wait. */
    private static final long DEFAULT_BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();

    private final long configuredRpm;
    private final long configuredTpm;
    private final LongSupplier nanoClock;
    private final long windowNanos;
    /** Ended calls in the order they ended: they leave the window one window after ending. */
    private final ArrayDeque<Permit> ended = new ArrayDeque<>();
    private int running;
    private long tokensRunning;
    private long tokensEnded;
    private long rpm;
    private long tpm;
    private long blockedUntil;
    private boolean blocked;

    /**
     * Limits per {@code window} (a minute for OpenAI, whose headers report per-minute limits); 0 means no
     * limit until the API reports one.
     */
    public RateLimiter(final long requestsPerMinute, final long tokensPerMinute, final Duration window,
                       final LongSupplier nanoClock) {
        if (requestsPerMinute < 0 || tokensPerMinute < 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("limits must be >= 0 and the window positive");
        }
        this.windowNanos = window.toNanos();
        this.configuredRpm = requestsPerMinute;
        this.configuredTpm = tokensPerMinute;
        this.rpm = requestsPerMinute;
        this.tpm = tokensPerMinute;
        this.nanoClock = nanoClock;
    }

    /** Open when a call of average size could be admitted now. */
    @Override
    public synchronized boolean isOpen() {
        return waitNanos(1, nanoClock.getAsLong()) == 0;
    }

    /**
     * Blocks until a call estimated at {@code tokens} may go, then counts it. A call bigger than the whole
     * token limit waits for an empty window and then goes alone (the API decides).
     */
    public Permit acquire(final long tokens) throws InterruptedException {
        synchronized (this) {
            while (true) {
                final long now = nanoClock.getAsLong();
                final long wait = waitNanos(tokens, now);
                if (wait == 0) {
                    running++;
                    tokensRunning += tokens;
                    return new Permit(tokens);
                }
                final long millis = Math.max(1, wait / 1_000_000);
                wait(millis);
            }
        }
    }

    /** Learns from a response's headers: the account's limits, and a stop while none remain. */
    public synchronized void observe(final RateLimits limits) {
        final long now = nanoClock.getAsLong();
        limits.limitRequests().ifPresent(limit -> rpm = lower(configuredRpm, limit));
        limits.limitTokens().ifPresent(limit -> tpm = lower(configuredTpm, limit));
        if (limits.remainingRequests().isPresent() && limits.remainingRequests().getAsLong() <= 0) {
            limits.resetRequests().ifPresent(reset -> blockUntil(now + reset.toNanos()));
        }
        if (limits.remainingTokens().isPresent() && limits.remainingTokens().getAsLong() <= 0) {
            limits.resetTokens().ifPresent(reset -> blockUntil(now + reset.toNanos()));
        }
        notifyAll();
    }

    /** A 429: no call goes before {@code retryAfter} (1 s when the API named no wait). */
    public synchronized void rateLimited(final Duration retryAfter) {
        blockUntil(nanoClock.getAsLong() + (retryAfter == null ? DEFAULT_BACKOFF_NANOS : retryAfter.toNanos()));
    }

    public synchronized long requestsPerMinute() {
        return rpm;
    }

    public synchronized long tokensPerMinute() {
        return tpm;
    }

    /** Calls running, or ended less than a window ago. */
    public synchronized int requestsInWindow() {
        evict(nanoClock.getAsLong());
        return running + ended.size();
    }

    private static long lower(final long configured, final long reported) {
        final long learned = Math.max(1, (long) (reported * HEADROOM));
        return configured > 0 ? Math.min(configured, learned) : learned;
    }

    private void blockUntil(final long until) {
        if (!blocked || until - blockedUntil > 0) {
            blockedUntil = until;
            blocked = true;
        }
        notifyAll();
    }

    /** 0 when a call of {@code tokens} may go at {@code now}, else how long to wait before asking again. */
    private long waitNanos(final long tokens, final long now) {
        evict(now);
        if (blocked) {
            if (now - blockedUntil < 0) {
                return blockedUntil - now;
            }
            blocked = false;
        }
        final int calls = running + ended.size();
        final boolean requestsFull = rpm > 0 && calls >= rpm;
        final boolean tokensFull = tpm > 0 && calls > 0 && tokensRunning + tokensEnded + tokens > tpm;
        if (!requestsFull && !tokensFull) {
            return 0;
        }
        // The call that ended first leaves the window first; with all still running, a settle wakes us.
        return ended.isEmpty() ? windowNanos : Math.max(1, ended.peekFirst().endedAt + windowNanos - now);
    }

    private void evict(final long now) {
        for (Iterator<Permit> it = ended.iterator(); it.hasNext(); ) {
            final Permit oldest = it.next();
            if (now - oldest.endedAt < windowNanos) {
                return;
            }
            tokensEnded -= oldest.tokens;
            it.remove();
        }
    }

    /** One admitted call; settle it exactly once when the call ended, however it ended. */
    public final class Permit {
        private final long estimate;
        private long tokens;
        private long endedAt;
        private boolean settled;

        private Permit(final long estimate) {
            this.estimate = estimate;
        }

        /** The call ended having used {@code actualTokens} (prompt plus completion; 0 when refused). */
        public void settle(final long actualTokens) {
            synchronized (RateLimiter.this) {
                if (settled) {
                    return;
                }
                settled = true;
                tokens = actualTokens;
                endedAt = nanoClock.getAsLong();
                running--;
                tokensRunning -= estimate;
                if (rpm > 0 || tpm > 0) {
                    ended.addLast(this);
                    tokensEnded += tokens;
                }
                RateLimiter.this.notifyAll();
            }
        }
    }
}
