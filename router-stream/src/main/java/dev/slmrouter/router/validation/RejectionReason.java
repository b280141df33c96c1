package dev.slmrouter.router.validation;

/**
 * Why the router sent a record to the dead-letter topic. The name is written as the DeadLetter's
 * {@code reason} and tags the {@code router_dead_letters_total} metric.
 */
public enum RejectionReason {
    /** The value is not Confluent-framed Avro of a known schema (wrong magic byte, truncated, garbage). */
    UNDECODABLE,
    /** The value names a schema id the registry does not know. */
    UNKNOWN_SCHEMA_ID,
    /** A null value (tombstone) on the request topic. */
    EMPTY_VALUE,
    MISSING_REQUEST_ID,
    MISSING_TENANT,
    MISSING_MESSAGES,
    INVALID_MESSAGE_ROLE,
    EMPTY_PROMPT,
    /** The task_type hint is a symbol this router does not know (written with a newer schema). */
    UNKNOWN_TASK_TYPE,
    INVALID_LANGUAGE_HINT,
    INVALID_RESPONSE_SCHEMA,
    INVALID_LABELS,
    INVALID_SAMPLING_PARAMETER,
    /** The prompt is larger than router.max.prompt.chars. */
    PROMPT_TOO_LARGE,
    /**
     * A request id already routed within router.dedupe.window (a producer's retry or a resend): the first
     * one is answered, this one only dead-lettered, so a request never gets two results.
     */
    DUPLICATE_REQUEST_ID,
    /** Routing threw on this request (a bug): it is kept on the dead-letter topic instead of stopping the router. */
    ROUTING_FAILED
}
