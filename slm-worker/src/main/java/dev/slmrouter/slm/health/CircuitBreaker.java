package dev.slmrouter.slm.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Whether the SLM backend is usable. Opens after {@code failureThreshold} consecutive call failures
 * (connection refused, 5xx, timeouts); while open, a {@code GET /health} probe runs at most every
 * {@code probeInterval} (on whichever thread asks), and a healthy answer lets calls through again
 * (half-open): the next success closes the breaker, the next failure opens it again. Thread-safe.
 */
public final class CircuitBreaker {

    /** The breaker's state, exported as a metric (0 closed, 1 half-open, 2 open). */
    public enum State { CLOSED, HALF_OPEN, OPEN }

    private final int failureThreshold;
    private final Duration probeInterval;
    private final BooleanSupplier healthProbe;
    private final Clock clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openedAt = Instant.MIN;
    private Instant lastProbe = Instant.MIN;

    public CircuitBreaker(final int failureThreshold, final Duration probeInterval, final BooleanSupplier healthProbe,
                          final Clock clock) {
        this.failureThreshold = failureThreshold;
        this.probeInterval = probeInterval;
        this.healthProbe = healthProbe;
        this.clock = clock;
    }

    /** True when a call may be made now; probes the backend's health when open and due. */
    public boolean allowsCalls() {
        final boolean probeDue;
        synchronized (this) {
            if (state != State.OPEN) {
                return true;
            }
            probeDue = !clock.instant().isBefore(lastProbe.plus(probeInterval));
            if (probeDue) {
                lastProbe = clock.instant();
            }
        }
        // The probe is an HTTP call: never hold the lock during it.
        if (probeDue && healthProbe.getAsBoolean()) {
            synchronized (this) {
                if (state == State.OPEN) {
                    state = State.HALF_OPEN;
                }
            }
            return true;
        }
        return false;
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        state = State.CLOSED;
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= failureThreshold)) {
            state = State.OPEN;
            openedAt = clock.instant();
            lastProbe = clock.instant();
        }
    }

    public synchronized State state() {
        return state;
    }

    /** How long the breaker has been open; zero when it is not. */
    public synchronized Duration openFor() {
        return state == State.OPEN ? Duration.between(openedAt, clock.instant()) : Duration.ZERO;
    }
}
