package dev.slmrouter.simulators.vllm;

import static dev.slmrouter.simulators.common.SimClient.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.simulators.common.SimClient;
import dev.slmrouter.simulators.common.SimClient.Reply;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scripted outages, so the worker's circuit breaker and hold/spill policies can be tested. */
class VllmOutageTest {

    private static final SimClient HTTP = new SimClient();

    @Test
    void shouldAnswer503OnHealthAndCompletionsWhileDownAndRecover() throws Exception {
        try (VllmSimulator sim = VllmSimulator.builder().timeScale(0).build().start()) {
            sim.goDown();
            assertThat(HTTP.get(sim.rootUrl() + "/health").status()).isEqualTo(503);
            final Reply failed = HTTP.post(sim.baseUrl() + "/chat/completions", chat("hi", ""));
            assertThat(failed.status()).isEqualTo(503);
            assertThat(failed.json().get("error").get("code").asInt()).isEqualTo(503);
            sim.comeUp();
            assertThat(HTTP.get(sim.rootUrl() + "/health").status()).isEqualTo(200);
            assertThat(HTTP.post(sim.baseUrl() + "/chat/completions", chat("hi", "")).status()).isEqualTo(200);
            assertThat(sim.stats().errorsReturned()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseConnectionsWhileDownAndListenOnTheSamePortAfterwards() throws Exception {
        try (VllmSimulator sim = VllmSimulator.builder().timeScale(0).outageMode(OutageMode.REFUSE_CONNECTIONS)
                .build().start()) {
            final int port = sim.port();
            assertThat(HTTP.post(sim.baseUrl() + "/chat/completions", chat("hi", "")).status()).isEqualTo(200);
            sim.goDown();
            assertThatThrownBy(() -> HTTP.get(sim.rootUrl() + "/health")).isInstanceOf(ConnectException.class);
            sim.comeUp();
            assertThat(sim.port()).isEqualTo(port);
            assertThat(HTTP.get(sim.rootUrl() + "/health").status()).isEqualTo(200);
            assertThat(HTTP.post(sim.baseUrl() + "/chat/completions", chat("hi", "")).status()).isEqualTo(200);
        }
    }

    @Test
    void shouldComeBackByItselfAfterATimedOutage() throws Exception {
        try (VllmSimulator sim = VllmSimulator.builder().timeScale(0).build().start()) {
            sim.downFor(Duration.ofMillis(300));
            assertThat(HTTP.get(sim.rootUrl() + "/health").status()).isEqualTo(503);
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sim.isDown() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(HTTP.get(sim.rootUrl() + "/health").status()).isEqualTo(200);
        }
    }

    @Test
    void shouldHoldAHungRequestPastTheClientTimeout() throws Exception {
        try (VllmSimulator sim = VllmSimulator.builder().timeScale(0).hang(Duration.ofSeconds(5)).build().start()) {
            assertThatThrownBy(() -> HTTP.post(sim.baseUrl() + "/chat/completions", chat("[sim:hang] hi", ""),
                    Duration.ofMillis(200))).isInstanceOf(HttpTimeoutException.class);
        }
    }
}
