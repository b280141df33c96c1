package dev.slmrouter.worker.client;

import dev.slmrouter.worker.client.BackendException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;

/**
 * Turns what went wrong with one call into a typed {@link BackendException}, redacting every secret
 * the client holds from any text it copies out of a response (some servers echo the key they got).
 */
final class Failures {

    /** Enough of a backend message to act on; bodies can be whole HTML pages. */
    private static final int MAX_TEXT = 500;

    private final List<String> secrets;

    Failures(final List<String> secrets) {
        // Very short values are not redacted: replacing "a" everywhere would make messages unreadable.
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    /** A non-success HTTP status. */
    BackendException status(final int status, final String body, final RateLimits limits) {
        final Optional<BackendError> error = BackendError.parse(body).map(this::redact);
        final Kind kind = kindOf(status, error.orElse(null));
        final String detail = error.map(BackendError::message).orElseGet(() -> snippet(body));
        return new BackendException(kind, status, kind + ": HTTP " + status + (detail == null ? "" : ": " + detail),
                error.orElse(null), limits, null);
    }

    /** A success status whose body is not a chat completion. */
    BackendException malformed(final int status, final String reason, final String body, final RateLimits limits) {
        final Optional<BackendError> error = BackendError.parse(body).map(this::redact);
        final String detail = error.map(e -> ": the backend says: " + e.message()).orElse("");
        return new BackendException(Kind.MALFORMED_RESPONSE, status,
                "MALFORMED_RESPONSE: HTTP " + status + ", " + reason + detail, error.orElse(null), limits, null);
    }

    /** No HTTP answer (or none in time). */
    BackendException io(final IOException e) {
        // OkHttp reports a call timeout as InterruptedIOException("timeout"), a read timeout as
        // SocketTimeoutException; anything else without an HTTP answer is a connection failure.
        final boolean timeout = e instanceof SocketTimeoutException
                || e instanceof InterruptedIOException && "timeout".equals(e.getMessage());
        final Kind kind = timeout ? Kind.TIMEOUT : Kind.CONNECTION;
        return new BackendException(kind, 0, kind + ": " + e.getClass().getSimpleName() + ": " + redact(e.getMessage()),
                null, RateLimits.NONE, e);
    }

    static Kind kindOf(final int status, final BackendError error) {
        if (status == 429) {
            return error != null && error.insufficientQuota() ? Kind.QUOTA_EXHAUSTED : Kind.RATE_LIMITED;
        }
        if (status >= 500) {
            return Kind.SERVER_ERROR;
        }
        return switch (status) {
            case 401, 403 -> Kind.AUTHENTICATION;
            case 404 -> Kind.NOT_FOUND;
            case 408 -> Kind.TIMEOUT;
            case 409 -> Kind.CONFLICT;
            // 400, 422 and the rest of 4xx (402, 413, ...): the request as sent cannot succeed.
            default -> status >= 400 ? Kind.BAD_REQUEST : Kind.MALFORMED_RESPONSE;
        };
    }

    String redact(final String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return out;
    }

    private BackendError redact(final BackendError e) {
        return new BackendError(clip(redact(e.message())), redact(e.type()), redact(e.param()), redact(e.code()));
    }

    private String snippet(final String body) {
        return body == null || body.isBlank() ? null : clip(redact(body.strip()));
    }

    private static String clip(final String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }
}
