package dev.slmrouter.gpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.Tier;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.localstack.registry.LocalSchemaRegistry;
import dev.slmrouter.localstack.registry.SchemaRegistryExtension;
import dev.slmrouter.simulators.openai.OpenAiSimulator;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The GPT worker against a real broker, the real registry and the OpenAI simulator: one result per
 * request for GPT-routed work and escalations, FAILED results with the reason after bounded retries
 * (500 bursts, 429 storms), no retry of insufficient_quota (an alert instead), a client-side rate limit
 * that keeps the worker under the API's limit, and one result per request after a kill mid-stream.
 */
@ExtendWith({KafkaBrokerExtension.class, SchemaRegistryExtension.class})
class GptWorkerIntegrationTest {

    private final KafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private GptStack stack;

    GptWorkerIntegrationTest(final KafkaBroker broker, final LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    private GptStack stack(final OpenAiSimulator openai) {
        stack = new GptStack(broker, registry, openai.start());
        return stack;
    }

    @AfterEach
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldAnswerRoutedRequestsAndEscalationsExactlyOnce() throws Exception {
        final GptStack stack = stack(OpenAiSimulator.builder().timeScale(0).build());
        final GptWorkerApp worker = stack.startWorker(16);
        stack.produceRouted(0, 200);
        stack.produceEscalations(100);

        final List<InferenceResult> results = stack.awaitResults(300);

        assertThat(results).hasSize(300);
        assertThat(results.stream().map(InferenceResult::getRequestId).collect(Collectors.toSet())).hasSize(300);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.getStatus()).isEqualTo(ResultStatus.OK);
            assertThat(r.getTier()).isEqualTo(Tier.GPT);
            assertThat(r.getCostUsd()).isPositive();
        });
        final Map<Boolean, List<InferenceResult>> byEscalated =
                results.stream().collect(Collectors.partitioningBy(InferenceResult::getEscalated));
        assertThat(byEscalated.get(true)).hasSize(100).allSatisfy(r -> assertThat(r.getAttempts()).isEqualTo(2));
        assertThat(byEscalated.get(true).stream().filter(r -> r.getEscalationReason() == EscalationReason.BACKEND_DOWN))
                .hasSize(50).allSatisfy(r -> assertThat(r.getModel()).isEqualTo("gpt-4o-mini"));
        assertThat(byEscalated.get(false)).hasSize(200).allSatisfy(r -> assertThat(r.getModel()).isEqualTo("gpt-4o"));
        assertThat(stack.metrics(worker)).contains("gpt_calls_total{model=\"gpt-4o\"} 250.0",
                "gpt_calls_total{model=\"gpt-4o-mini\"} 50.0", "gpt_results_total{status=\"OK\"} 300.0",
                "gpt_cost_usd_total", "gpt_tokens_total");
        assertThat(stack.alerts()).isEmpty();
    }

    @Test
    void shouldFailARequestOnlyAfterItsRetriesAreExhaustedInA500Burst() throws Exception {
        final GptStack stack = stack(OpenAiSimulator.builder().timeScale(0).build());
        stack.startWorker(1);
        // One call at a time: the first request meets 3 errors (1 call + 2 retries) and fails; the second
        // meets 2 and succeeds on its last retry.
        stack.openai.fail500For(5);
        stack.produceRouted(0, 20);

        final List<InferenceResult> results = stack.awaitResults(20);

        assertThat(results).hasSize(20);
        assertThat(new HashSet<>(results.stream().map(InferenceResult::getRequestId).toList())).hasSize(20);
        assertThat(results.stream().filter(r -> r.getStatus() == ResultStatus.FAILED)).hasSize(1)
                .allSatisfy(r -> assertThat(r.getError()).startsWith("SERVER_ERROR after 3 call(s)"));
        assertThat(stack.openai.stats().requestsReceived()).isEqualTo(3 + 3 + 18);
    }

    @Test
    void shouldEndA429StormWithExactCountsAndWaitForRetryAfter() throws Exception {
        final GptStack stack = stack(OpenAiSimulator.builder().timeScale(0).build());
        final GptWorkerApp worker = stack.startWorker(1);
        // 7 refusals, each asking for 100 ms: requests 1 and 2 use their 3 calls on them and fail, request 3
        // meets the last one and succeeds on its first retry; the other 17 go through at once.
        stack.openai.fail429For(7, Duration.ofMillis(100));
        stack.produceRouted(0, 20);

        final List<InferenceResult> results = stack.awaitResults(20);

        assertThat(results).hasSize(20);
        assertThat(new HashSet<>(results.stream().map(InferenceResult::getRequestId).toList())).hasSize(20);
        assertThat(results.stream().filter(r -> r.getStatus() == ResultStatus.FAILED)).hasSize(2)
                .allSatisfy(r -> assertThat(r.getError()).startsWith("RATE_LIMITED after 3 call(s)"));
        assertThat(results.stream().filter(r -> r.getStatus() == ResultStatus.OK)).hasSize(18);
        assertThat(stack.openai.stats().requestsReceived()).isEqualTo(3 + 3 + 2 + 17);
        assertThat(stack.metrics(worker)).contains("gpt_rate_limited_total 7.0",
                "gpt_retries_total{kind=\"RATE_LIMITED\"} 5.0");
    }

    @Test
    void shouldNotRetryExhaustedQuotaAndRaiseOneAlert() throws Exception {
        final GptStack stack = stack(OpenAiSimulator.builder().timeScale(0).build());
        stack.startWorker(1);
        stack.openai.quotaExhausted();
        stack.produceRouted(0, 5);

        final List<InferenceResult> results = stack.awaitResults(5);

        assertThat(results).hasSize(5).allSatisfy(r -> {
            assertThat(r.getStatus()).isEqualTo(ResultStatus.FAILED);
            assertThat(r.getError()).startsWith("QUOTA_EXHAUSTED after 1 call(s)");
        });
        assertThat(stack.openai.stats().requestsReceived()).isEqualTo(5);
        assertThat(stack.alerts()).as("one an hour, not one a request").singleElement().satisfies(a -> {
            assertThat(a.getKind().name()).isEqualTo("QUOTA_EXHAUSTED");
            assertThat(a.getMessage()).contains("insufficient_quota").doesNotContain("sk-test");
        });
    }

    @Test
    void shouldStayUnderTheApisRateLimitWithoutA429() throws Exception {
        // The API allows 10 requests per 1 s window; the worker is told 9 per second (one below, for the
        // time calls take to arrive) and may have 16 calls in flight.
        final GptStack stack = stack(OpenAiSimulator.builder().timeScale(0).requestsPerMinute(10)
                .rateWindow(Duration.ofSeconds(1)).build());
        final GptWorkerApp worker = stack.startWorker(KafkaTestClients.uniqueName("gpt-tx"), 16,
                Map.of("gpt.rate.rpm", "9", "gpt.rate.window", "1s"));
        stack.produceRouted(0, 45);

        final List<InferenceResult> results = stack.awaitResults(45);

        assertThat(results).hasSize(45).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.OK));
        assertThat(stack.openai.stats().errorsReturned()).as("429s").isZero();
        assertThat(stack.openai.stats().requestsReceived()).isEqualTo(45);
        final String metrics = stack.metrics(worker);
        assertThat(metrics).contains("gpt_ratelimit_wait_seconds_count 45\n",
                "gpt_ratelimit_limit{kind=\"requests\"} 9.0");
    }

    @Test
    void shouldGiveOneResultPerRequestWhenAWorkerIsKilledMidStream() throws Exception {
        // About 40 answers/s with 4 in flight, so the kill lands mid-stream.
        final GptStack stack = stack(OpenAiSimulator.builder().timeScale(1).timeToFirstToken(Duration.ofMillis(80))
                .timePerOutputToken(Duration.ofMillis(1)).build());
        final String transactionalId = KafkaTestClients.uniqueName("gpt-tx");
        final GptWorkerApp first = stack.startWorker(transactionalId, 4, Map.of());
        stack.produceRouted(0, 300);
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (stack.results().size() < 30 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        stack.kill(first);
        final int beforeRestart = stack.results().size();
        assertThat(beforeRestart).isBetween(30, 299);

        stack.startWorker(transactionalId, 4, Map.of());
        final List<InferenceResult> results = stack.awaitResults(300);

        assertThat(results).hasSize(300);
        assertThat(new HashSet<>(results.stream().map(InferenceResult::getRequestId).toList())).hasSize(300);
    }
}
