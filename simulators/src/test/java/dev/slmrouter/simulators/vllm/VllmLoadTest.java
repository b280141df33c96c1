package dev.slmrouter.simulators.vllm;

import static dev.slmrouter.simulators.common.SimClient.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.simulators.common.SimClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The load model: throughput rises with concurrency up to maxNumSeqs and is flat beyond, and no more
 * than maxNumSeqs requests ever run at once. Bounds are generous ratios, not timings.
 */
class VllmLoadTest {

    private static final int MAX_NUM_SEQS = 8;
    private static final SimClient HTTP = new SimClient();

    @Test
    void shouldRaiseThroughputWithConcurrencyUpToTheKneeAndFlattenBeyond() throws Exception {
        // Unscaled 2 s to first token and 200 ms per token, run 100x faster: 60 ms for 20 tokens alone, long
        // enough that HTTP overhead on a busy 2-core machine stays small against it.
        try (VllmSimulator sim = VllmSimulator.builder().maxNumSeqs(MAX_NUM_SEQS).timeScale(0.01)
                .timeToFirstToken(Duration.ofSeconds(2)).timePerOutputToken(Duration.ofMillis(200))
                .loadAlphas(1.0, 1.0).build().start()) {
            throughput(sim, MAX_NUM_SEQS, 2); // warm up connections and the JIT
            final double one = throughput(sim, 1, 12);
            final double knee = throughput(sim, MAX_NUM_SEQS, 8);
            final AtomicInteger maxWaiting = new AtomicInteger();
            final double beyond = throughput(sim, 32, 4, () -> maxWaiting.accumulateAndGet(sim.stats().waiting(),
                    Math::max));
            // Alone: 1 / 67.5 ms = 15 req/s. A full batch: 8 / 120 ms = 67 req/s, the capacity, which sleeping
            // makes a hard ceiling; clients' own turnaround keeps 8 of them a little below it, 32 keep the queue full.
            final double capacity = MAX_NUM_SEQS / 0.120;
            assertThat(knee).as("1 -> 8: %.1f -> %.1f req/s", one, knee).isGreaterThan(2.0 * one);
            assertThat(beyond).as("8 -> 32: %.1f -> %.1f req/s", knee, beyond)
                    .isLessThan(1.15 * capacity).isGreaterThan(0.8 * knee);
            assertThat(sim.stats().maxRunning()).isEqualTo(MAX_NUM_SEQS);
            assertThat(maxWaiting.get()).isPositive();
            assertThat(sim.stats().requestsServed()).isEqualTo(8 * 2 + 12 + 8 * 8 + 32 * 4);
            assertThat(sim.stats().running()).isZero();
        }
    }

    private static double throughput(final VllmSimulator sim, final int clients, final int perClient)
            throws Exception {
        return throughput(sim, clients, perClient, () -> { });
    }

    /** Closed loop: {@code clients} threads each send {@code perClient} requests back to back. */
    private static double throughput(final VllmSimulator sim, final int clients, final int perClient,
                                     final Runnable sampler) throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            final String body = chat("[sim:tokens=20] Write a note.", "\"max_tokens\":20");
            final long start = System.nanoTime();
            final List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        assertThat(HTTP.post(sim.baseUrl() + "/chat/completions", body).status()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (final Future<?> f : done) {
                while (!f.isDone()) {
                    sampler.run();
                    Thread.sleep(5);
                }
                f.get();
            }
            return clients * perClient / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
