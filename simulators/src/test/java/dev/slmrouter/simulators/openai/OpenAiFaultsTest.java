package dev.slmrouter.simulators.openai;

import static dev.slmrouter.simulators.common.SimClient.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slmrouter.simulators.common.SimClient;
import dev.slmrouter.simulators.common.SimClient.Reply;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scripted fault bursts and enforced rate limits, with OpenAI's headers and bodies. */
class OpenAiFaultsTest {

    private static final SimClient HTTP = new SimClient();

    private static Reply call(final OpenAiSimulator sim) throws Exception {
        return HTTP.post(sim.baseUrl() + "/chat/completions", chat("Say hi.", "\"model\":\"gpt-4o\""));
    }

    @Test
    void shouldFailTheNextRequestsWith429AndRetryHeadersThenRecover() throws Exception {
        try (OpenAiSimulator sim = OpenAiSimulator.builder().timeScale(0).build().start()) {
            sim.fail429For(2, Duration.ofMillis(1500));
            for (int i = 0; i < 2; i++) {
                final Reply reply = call(sim);
                assertThat(reply.status()).isEqualTo(429);
                assertThat(reply.header("retry-after-ms")).isEqualTo("1500");
                assertThat(reply.header("retry-after")).isEqualTo("2");
                assertThat(reply.header("x-ratelimit-remaining-requests")).isEqualTo("0");
                assertThat(reply.header("x-ratelimit-reset-requests")).isEqualTo("1.5s");
                final JsonNode error = reply.json().get("error");
                assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
                assertThat(error.get("message").asText()).startsWith("Rate limit reached for gpt-4o");
            }
            assertThat(call(sim).status()).isEqualTo(200);
            assertThat(sim.stats().errorsReturned()).isEqualTo(2);
            assertThat(sim.stats().requestsServed()).isEqualTo(1);
        }
    }

    @Test
    void shouldAnswerInsufficientQuotaInBothRealVariantsUntilRestored() throws Exception {
        try (OpenAiSimulator sim = OpenAiSimulator.builder().timeScale(0).build().start()) {
            sim.quotaExhausted();
            final JsonNode current = call(sim).json().get("error");
            assertThat(current.get("type").asText()).isEqualTo("insufficient_quota");
            assertThat(current.get("code").asText()).isEqualTo("insufficient_quota");
            assertThat(current.get("param").isNull()).isTrue();
            sim.quotaExhausted(QuotaCode.NULL);
            final Reply old = call(sim);
            assertThat(old.status()).isEqualTo(429);
            assertThat(old.json().get("error").get("type").asText()).isEqualTo("insufficient_quota");
            assertThat(old.json().get("error").get("code").isNull()).isTrue();
            assertThat(call(sim).status()).isEqualTo(429); // lasts until restored, unlike a burst
            sim.quotaRestored();
            assertThat(call(sim).status()).isEqualTo(200);
        }
    }

    @Test
    void shouldFailWith500ForABurstThenRecover() throws Exception {
        try (OpenAiSimulator sim = OpenAiSimulator.builder().timeScale(0).build().start()) {
            sim.fail500For(3);
            for (int i = 0; i < 3; i++) {
                final Reply reply = call(sim);
                assertThat(reply.status()).isEqualTo(500);
                assertThat(reply.json().get("error").get("type").asText()).isEqualTo("server_error");
            }
            assertThat(call(sim).status()).isEqualTo(200);
        }
    }

    @Test
    void shouldHangPastTheClientTimeoutForABurst() throws Exception {
        try (OpenAiSimulator sim = OpenAiSimulator.builder().timeScale(0).hang(Duration.ofSeconds(5)).build().start()) {
            sim.timeoutFor(1);
            assertThatThrownBy(() -> HTTP.post(sim.baseUrl() + "/chat/completions", chat("hi", ""),
                    Duration.ofMillis(200))).isInstanceOf(HttpTimeoutException.class);
            assertThat(call(sim).status()).isEqualTo(200);
        }
    }

    @Test
    void shouldEnforceRequestsPerWindowWithRateLimitBodyAndHeaders() throws Exception {
        try (OpenAiSimulator sim = OpenAiSimulator.builder().timeScale(0).requestsPerMinute(3).build().start()) {
            for (int i = 0; i < 3; i++) {
                final Reply ok = call(sim);
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.header("x-ratelimit-remaining-requests")).isEqualTo(Integer.toString(2 - i));
            }
            final Reply limited = call(sim);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.json().get("error").get("type").asText()).isEqualTo("requests");
            assertThat(limited.json().get("error").get("message").asText()).contains("(RPM): Limit 3, Used 3");
            assertThat(Long.parseLong(limited.header("retry-after-ms"))).isBetween(1L, 60_000L);
            assertThat(limited.header("x-ratelimit-reset-requests")).matches("\\d+(\\.\\d+)?s|\\d+ms");
        }
    }

    @Test
    void shouldEnforceTokensPerWindowAndResetWithTheWindow() throws Exception {
        try (OpenAiSimulator sim = OpenAiSimulator.builder().timeScale(0).tokensPerMinute(100)
                .rateWindow(Duration.ofMillis(400)).build().start()) {
            final String big = chat("Say hi.", "\"max_tokens\":60");
            assertThat(HTTP.post(sim.baseUrl() + "/chat/completions", big).status()).isEqualTo(200);
            final Reply limited = HTTP.post(sim.baseUrl() + "/chat/completions", big);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.json().get("error").get("type").asText()).isEqualTo("tokens");
            Thread.sleep(Long.parseLong(limited.header("retry-after-ms")) + 50);
            assertThat(HTTP.post(sim.baseUrl() + "/chat/completions", big).status()).isEqualTo(200);
        }
    }
}
