package dev.slmrouter.worker.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateLimitsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
        "6m0s, 360000000000",
        "1s, 1000000000",
        "20ms, 20000000",
        "0s, 0",
        "1h2m3.5s, 3723500000000",
        "8.64s, 8640000000",
        "1m30.021s, 90021000000",
        "250us, 250000",
        "250µs, 250000",
        "7ns, 7",
        "2, 2000000000",
        "0.5, 500000000"})
    void goDurations(final String text, final long nanos) {
        assertThat(RateLimits.goDuration(text)).contains(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @CsvSource({"''", "soon", "6m0", "m5s", "-1s", "1d", "5s garbage"})
    void unparsableDurationsAreAbsent(final String text) {
        assertThat(RateLimits.goDuration(text)).isEmpty();
    }

    @Test
    void anAbsurdDurationIsCappedNotNegative() {
        assertThat(RateLimits.goDuration("99999999999999h").orElseThrow()).isPositive();
    }

    @Test
    void retryAfterForms() {
        assertThat(RateLimits.retryAfter("1500", "9", NOW)).contains(Duration.ofMillis(1500));
        assertThat(RateLimits.retryAfter("0.5", null, NOW)).contains(Duration.ofNanos(500_000));
        assertThat(RateLimits.retryAfter(null, "9", NOW)).contains(Duration.ofSeconds(9));
        assertThat(RateLimits.retryAfter("junk", "3", NOW)).contains(Duration.ofSeconds(3));
        assertThat(RateLimits.retryAfter(null, "Wed, 01 Jan 2025 00:01:00 GMT", NOW)).contains(Duration.ofMinutes(1));
        assertThat(RateLimits.retryAfter(null, "Tue, 31 Dec 2024 23:00:00 GMT", NOW)).contains(Duration.ZERO);
        assertThat(RateLimits.retryAfter(null, "tomorrow", NOW)).isEmpty();
        assertThat(RateLimits.retryAfter(null, null, NOW)).isEmpty();
    }

    @Test
    void parsesOpenAiHeadersAndSkipsBadOnes() {
        final Map<String, String> headers = Map.of(
                "x-ratelimit-limit-requests", "10000",
                "x-ratelimit-limit-tokens", "2000000",
                "x-ratelimit-remaining-requests", "9999",
                "x-ratelimit-remaining-tokens", "lots",
                "x-ratelimit-reset-requests", "6ms",
                "x-ratelimit-reset-tokens", "1m12.5s");

        final RateLimits limits = RateLimits.parse(headers::get, NOW);

        assertThat(limits.limitRequests()).hasValue(10000);
        assertThat(limits.limitTokens()).hasValue(2_000_000);
        assertThat(limits.remainingRequests()).hasValue(9999);
        assertThat(limits.remainingTokens()).isEmpty();
        assertThat(limits.resetRequests()).contains(Duration.ofMillis(6));
        assertThat(limits.resetTokens()).contains(Duration.ofMillis(72_500));
        assertThat(limits.retryAfter()).isEmpty();
        assertThat(RateLimits.parse(name -> null, NOW)).isEqualTo(RateLimits.NONE);
    }
}
