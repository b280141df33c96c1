package dev.slmrouter.worker.loop;

/**
 * Whether the {@link WorkerLoop} may start new work now: a closed circuit breaker, a budget hold or a rate
 * limiter says no. While the gate is closed the loop hands no record to the handler and pauses all its
 * partitions, so requests wait in Kafka rather than in memory; it keeps polling (paused polls return
 * nothing but keep the group membership) at its poll timeout, never in a busy loop, and resumes when the
 * gate opens again. The loop calls {@link #isOpen()} on its own thread, before every dispatch and on every
 * iteration, so it must be cheap, must not block, and must not consume anything (a rate limiter answers
 * whether a permit is available; the handler takes it).
 */
@FunctionalInterface
public interface ConsumeGate {

    /** A gate that is always open. */
    ConsumeGate OPEN = () -> true;

    /** True when new records may be handed to the handler. */
    boolean isOpen();

    /** A gate open only when both this and {@code other} are open (e.g. circuit and budget). */
    default ConsumeGate and(final ConsumeGate other) {
        return () -> isOpen() && other.isOpen();
    }
}
