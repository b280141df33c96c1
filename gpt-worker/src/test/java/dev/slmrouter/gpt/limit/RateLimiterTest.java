package dev.slmrouter.gpt.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.worker.client.RateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private RateLimiter limiter(final long rpm, final long tpm) {
        return new RateLimiter(rpm, tpm, Duration.ofMinutes(1), now::get);
    }

    private void advance(final Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static RateLimits headers(final Map<String, String> h) {
        return RateLimits.parse(h::get, Instant.EPOCH);
    }

    /** A call that ends at once, having used {@code tokens}. */
    private static void call(final RateLimiter limiter, final long tokens) throws InterruptedException {
        limiter.acquire(tokens).settle(tokens);
    }

    @Test
    void admitsAtMostTheLimitInAnyWindow() throws Exception {
        final RateLimiter limiter = limiter(3, 0);
        call(limiter, 10);
        advance(Duration.ofSeconds(20));
        call(limiter, 10);
        call(limiter, 10);
        assertThat(limiter.isOpen()).isFalse();
        advance(Duration.ofSeconds(39));
        assertThat(limiter.isOpen()).as("the first call ended 59 s ago").isFalse();
        advance(Duration.ofSeconds(1));
        assertThat(limiter.isOpen()).as("the first call left the window").isTrue();
        call(limiter, 10);
        assertThat(limiter.isOpen()).isFalse();
        assertThat(limiter.requestsInWindow()).isEqualTo(3);
    }

    @Test
    void aCallCountsUntilOneWindowAfterItEnded() throws Exception {
        // The API counts a call when it arrives, somewhere between admission and end: counting it until a
        // window after its end keeps every window of the API's under the limit, however late it arrived.
        final RateLimiter limiter = limiter(1, 0);
        final RateLimiter.Permit slow = limiter.acquire(10);
        advance(Duration.ofMinutes(5));
        assertThat(limiter.isOpen()).as("still running").isFalse();
        slow.settle(10);
        advance(Duration.ofSeconds(59));
        assertThat(limiter.isOpen()).isFalse();
        advance(Duration.ofSeconds(1));
        assertThat(limiter.isOpen()).isTrue();
    }

    @Test
    void countsTokensAndCorrectsTheEstimateToTheRealUsage() throws Exception {
        final RateLimiter limiter = limiter(0, 1_000);
        final RateLimiter.Permit first = limiter.acquire(600);
        assertThat(limiter.isOpen()).isTrue();
        limiter.acquire(399);
        assertThat(limiter.isOpen()).as("999 of 1,000 tokens taken: one more token would pass").isTrue();
        limiter.acquire(1);
        assertThat(limiter.isOpen()).isFalse();
        first.settle(100);
        assertThat(limiter.isOpen()).as("the first call used 100, not 600").isTrue();
        first.settle(0);
        assertThat(limiter.isOpen()).as("a second settle changes nothing").isTrue();
        limiter.acquire(500);
        assertThat(limiter.isOpen()).isFalse();
    }

    @Test
    void aCallLargerThanTheTokenLimitGoesAloneIntoAnEmptyWindow() throws Exception {
        final RateLimiter limiter = limiter(0, 100);
        call(limiter, 500);
        assertThat(limiter.isOpen()).isFalse();
        advance(Duration.ofMinutes(1));
        assertThat(limiter.isOpen()).isTrue();
    }

    @Test
    void learnsLowerLimitsFromHeadersWithHeadroomButKeepsALowerConfiguredOne() throws Exception {
        final RateLimiter unconfigured = limiter(0, 0);
        unconfigured.observe(headers(Map.of("x-ratelimit-limit-requests", "100", "x-ratelimit-limit-tokens", "20000")));
        assertThat(unconfigured.requestsPerMinute()).isEqualTo(95);
        assertThat(unconfigured.tokensPerMinute()).isEqualTo(19_000);

        final RateLimiter configuredLower = limiter(50, 1_000);
        configuredLower.observe(headers(Map.of("x-ratelimit-limit-requests", "100", "x-ratelimit-limit-tokens", "20000")));
        assertThat(configuredLower.requestsPerMinute()).isEqualTo(50);
        assertThat(configuredLower.tokensPerMinute()).isEqualTo(1_000);

        final RateLimiter configuredHigher = limiter(500, 0);
        configuredHigher.observe(headers(Map.of("x-ratelimit-limit-requests", "100")));
        assertThat(configuredHigher.requestsPerMinute()).isEqualTo(95);
    }

    @Test
    void stopsUntilTheResetWhenTheApiReportsNothingRemaining() {
        final RateLimiter limiter = limiter(0, 0);
        limiter.observe(headers(Map.of("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1.5s")));
        assertThat(limiter.isOpen()).isFalse();
        advance(Duration.ofMillis(1_499));
        assertThat(limiter.isOpen()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(limiter.isOpen()).isTrue();

        limiter.observe(headers(Map.of("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "6m0s")));
        advance(Duration.ofMinutes(5));
        assertThat(limiter.isOpen()).isFalse();
        advance(Duration.ofMinutes(1));
        assertThat(limiter.isOpen()).isTrue();
    }

    @Test
    void remainingCallsDoNotStopIt() {
        final RateLimiter limiter = limiter(0, 0);
        limiter.observe(headers(Map.of("x-ratelimit-remaining-requests", "3", "x-ratelimit-reset-requests", "10s")));
        assertThat(limiter.isOpen()).isTrue();
    }

    @Test
    void a429StopsEveryCallForItsRetryAfterOrOneSecond() {
        final RateLimiter limiter = limiter(0, 0);
        limiter.rateLimited(Duration.ofMillis(300));
        assertThat(limiter.isOpen()).isFalse();
        advance(Duration.ofMillis(300));
        assertThat(limiter.isOpen()).isTrue();

        limiter.rateLimited(null);
        advance(Duration.ofMillis(999));
        assertThat(limiter.isOpen()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(limiter.isOpen()).isTrue();
    }

    @Test
    void aShorterStopNeverCutsALongerOneShort() {
        final RateLimiter limiter = limiter(0, 0);
        limiter.rateLimited(Duration.ofSeconds(5));
        limiter.rateLimited(Duration.ofMillis(10));
        advance(Duration.ofSeconds(1));
        assertThat(limiter.isOpen()).isFalse();
    }

    @Test
    void anUnlimitedLimiterIsAlwaysOpen() throws Exception {
        final RateLimiter limiter = limiter(0, 0);
        for (int i = 0; i < 10_000; i++) {
            call(limiter, 1_000_000);
        }
        assertThat(limiter.requestsInWindow()).as("nothing to count against").isZero();
        assertThat(limiter.isOpen()).isTrue();
    }
}
