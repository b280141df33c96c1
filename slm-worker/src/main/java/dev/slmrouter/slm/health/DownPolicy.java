package dev.slmrouter.slm.health;

/**
 * What happens to a request while the SLM backend is down. HOLD: it waits (in Kafka: consumption is
 * paused) until the backend is back, the default for BATCH work. SPILL: after a grace period it is
 * escalated with BACKEND_DOWN so GPT answers it, the default for INTERACTIVE work.
 */
public enum DownPolicy {
    HOLD,
    SPILL
}
