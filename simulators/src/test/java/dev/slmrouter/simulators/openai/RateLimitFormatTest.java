package dev.slmrouter.simulators.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitFormatTest {

    @Test
    void shouldFormatResetsLikeOpenAi() {
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(GoDuration.format(Duration.ofMillis(120))).isEqualTo("120ms");
        assertThat(GoDuration.format(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofMinutes(6))).isEqualTo("6m0s");
        assertThat(GoDuration.format(Duration.ofMillis(61_250))).isEqualTo("1m1.25s");
        assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    }

    @Test
    void shouldCountRequestsAndTokensPerWindowOnAFakeClock() {
        final AtomicLong now = new AtomicLong();
        final RateLimits limits = new RateLimits(2, 1000, Duration.ofMinutes(1), now::get);
        assertThat(limits.admit(400).admitted()).isTrue();
        now.addAndGet(Duration.ofSeconds(54).toNanos());
        assertThat(limits.headers()).containsEntry("x-ratelimit-remaining-requests", "1")
                .containsEntry("x-ratelimit-remaining-tokens", "600")
                .containsEntry("x-ratelimit-reset-requests", "6s");
        final RateLimits.Admission tooMany = limits.admit(700);
        assertThat(tooMany.admitted()).isFalse();
        assertThat(tooMany.kind()).isEqualTo("tokens");
        assertThat(limits.admit(100).admitted()).isTrue();
        assertThat(limits.admit(1).kind()).isEqualTo("requests");
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(limits.admit(1000).admitted()).isTrue();
    }
}
