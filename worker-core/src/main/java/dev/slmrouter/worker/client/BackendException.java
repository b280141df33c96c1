package dev.slmrouter.worker.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Chat Completions call that did not produce an answer, typed so the caller can decide without
 * reading text: {@link #kind()}, whether another attempt may succeed ({@link #retryable()}), how long
 * the backend asked to wait ({@link #retryAfter()}, from {@code retry-after-ms} / {@code retry-after}
 * only), the HTTP status, and the backend's own error ({@link #error()}). This client never retries:
 * retries belong to exactly one layer, the worker. Messages never contain credentials: the client
 * redacts them before building one.
 */
public final class BackendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong; each kind says whether repeating the same call can help. */
    public enum Kind {
        /** 429 rate limit: wait (retry-after) and repeat. */
        RATE_LIMITED(true),
        /** 429 {@code insufficient_quota}: the account is out of credit; repeating only burns time. */
        QUOTA_EXHAUSTED(false),
        /** 5xx: the backend failed or is overloaded. */
        SERVER_ERROR(true),
        /** 408, or no answer within the client's timeouts. */
        TIMEOUT(true),
        /** 409: a conflicting concurrent operation at the backend. */
        CONFLICT(true),
        /** 400, 422 and other 4xx: the request itself is wrong (too long for the context, bad schema). */
        BAD_REQUEST(false),
        /** 401, 403: key missing, wrong or not allowed. */
        AUTHENTICATION(false),
        /** 404: wrong base URL or unknown model. */
        NOT_FOUND(false),
        /** Refused, reset or otherwise broken connection; no HTTP answer. */
        CONNECTION(true),
        /**
         * A success status whose body is not a chat completion. Not retryable: the backend did the
         * (billed) work and answers garbage, which is a defect, not congestion.
         */
        MALFORMED_RESPONSE(false);

        private final boolean retryable;

        Kind(final boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final int httpStatus;
    private final BackendError error;
    private final RateLimits rateLimits;

    /** {@code httpStatus} 0 when there was no HTTP answer; {@code error} may be null. */
    public BackendException(final Kind kind, final int httpStatus, final String message, final BackendError error,
                            final RateLimits rateLimits, final Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.httpStatus = httpStatus;
        this.error = error;
        this.rateLimits = rateLimits == null ? RateLimits.NONE : rateLimits;
    }

    /** A failure with no HTTP answer and no details (fakes and simulators). */
    public BackendException(final Kind kind, final String message) {
        this(kind, 0, message, null, RateLimits.NONE, null);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind.retryable();
    }

    /** How long the backend asked the caller to wait, if it said so. */
    public Optional<Duration> retryAfter() {
        return rateLimits.retryAfter();
    }

    /** The HTTP status, empty when the call got no HTTP answer (connection failure, timeout). */
    public OptionalInt httpStatus() {
        return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** The error the backend described in its body, if it sent a known envelope. */
    public Optional<BackendError> error() {
        return Optional.ofNullable(error);
    }

    /** The rate-limit headers of the failed response ({@link RateLimits#NONE} when there were none). */
    public RateLimits rateLimits() {
        return rateLimits;
    }
}
