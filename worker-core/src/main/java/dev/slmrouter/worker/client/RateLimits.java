package dev.slmrouter.worker.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rate-limit state a backend reported in its response headers: OpenAI's
 * {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} (resets written as Go durations such
 * as {@code 6m0s}, {@code 1s}, {@code 20ms}) and the standard {@code retry-after} (seconds or an HTTP
 * date) / OpenAI's {@code retry-after-ms}. Every value is optional: vLLM sends none of them, and a
 * header that does not parse is treated as absent rather than failing a good answer.
 */
public record RateLimits(
        OptionalLong limitRequests,
        OptionalLong limitTokens,
        OptionalLong remainingRequests,
        OptionalLong remainingTokens,
        Optional<Duration> resetRequests,
        Optional<Duration> resetTokens,
        Optional<Duration> retryAfter) {

    /** No rate-limit headers at all. */
    public static final RateLimits NONE = new RateLimits(OptionalLong.empty(), OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /**
     * Reads the headers through {@code header} (name to value, null when absent; names lower case).
     * {@code now} turns an HTTP-date {@code retry-after} into a duration.
     */
    public static RateLimits parse(final Function<String, String> header, final Instant now) {
        return new RateLimits(
                count(header.apply("x-ratelimit-limit-requests")),
                count(header.apply("x-ratelimit-limit-tokens")),
                count(header.apply("x-ratelimit-remaining-requests")),
                count(header.apply("x-ratelimit-remaining-tokens")),
                goDuration(header.apply("x-ratelimit-reset-requests")),
                goDuration(header.apply("x-ratelimit-reset-tokens")),
                retryAfter(header.apply("retry-after-ms"), header.apply("retry-after"), now));
    }

    /** A Go-style duration ({@code 6m0s}, {@code 1s}, {@code 20ms}, {@code 1h2m3.5s}); a bare number is seconds. */
    public static Optional<Duration> goDuration(final String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        final String value = text.trim();
        if (value.matches("\\d+(\\.\\d+)?")) {
            return Optional.of(nanos(new BigDecimal(value), 1_000_000_000L));
        }
        final Matcher m = GO_PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            total = total.plus(nanos(new BigDecimal(m.group(1)), unitNanos(m.group(2))));
            end = m.end();
        }
        return end == value.length() ? Optional.of(total) : Optional.empty();
    }

    /** {@code retry-after-ms} (milliseconds, may be fractional) wins over {@code retry-after}. */
    static Optional<Duration> retryAfter(final String millis, final String seconds, final Instant now) {
        if (millis != null && millis.trim().matches("\\d+(\\.\\d+)?")) {
            return Optional.of(nanos(new BigDecimal(millis.trim()), 1_000_000L));
        }
        if (seconds == null || seconds.isBlank()) {
            return Optional.empty();
        }
        if (seconds.trim().matches("\\d+(\\.\\d+)?")) {
            return Optional.of(nanos(new BigDecimal(seconds.trim()), 1_000_000_000L));
        }
        try {
            final Instant at = ZonedDateTime.parse(seconds.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            final Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static OptionalLong count(final String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static Duration nanos(final BigDecimal amount, final long unitNanos) {
        // Capped, so an absurd header cannot overflow into a negative wait.
        return Duration.ofNanos(amount.multiply(BigDecimal.valueOf(unitNanos)).min(MAX_NANOS).longValue());
    }

    private static long unitNanos(final String unit) {
        return switch (unit) {
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            case "ms" -> 1_000_000L;
            case "us", "µs" -> 1_000L;
            default -> 1L;
        };
    }
}
