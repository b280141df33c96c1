package dev.slmrouter.simulators.vllm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slmrouter.simulators.common.CliArgs;
import dev.slmrouter.simulators.common.SimServer;
import dev.slmrouter.simulators.common.SimStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server that answers like vLLM's OpenAI-compatible server under load, for tests, the local
 * stack and benchmarks. Endpoints: {@code POST /v1/chat/completions}, {@code POST /v1/completions}
 * ({@code prompt} a string or a list, one choice per prompt and {@code n}), {@code GET /v1/models},
 * {@code /health}, {@code /version}, {@code /metrics}. Load follows {@link
 * dev.slmrouter.simulators.common.LoadModel} (at most {@code maxNumSeqs} running, the rest waiting).
 * Answers honor {@code max_tokens}, {@code logprobs}/{@code top_logprobs}, {@code seed} (same seed and
 * prompt, same answer and logprobs), {@code n}, labels ({@code structured_outputs.choice} or a label list
 * in the prompt, see {@link dev.slmrouter.simulators.common.LabelFinder}; a label is one token whose
 * probability is the confidence), and schemas ({@code response_format} json_schema or
 * {@code structured_outputs.json}); the geometric-mean token probability equals the drawn confidence,
 * which the {@code x-sim-confidence} header repeats (one value per choice). Scripted behavior comes from
 * the {@link dev.slmrouter.simulators.common.Script}; by default from prompt markers:
 * {@code [sim:confidence=0.4]} (logprobs encode 0.4), {@code [sim:schema-break]} (invalid JSON or a
 * missing required field), {@code [sim:truncate]} (half the answer, finish_reason {@code length}),
 * {@code [sim:refuse]} (a refusal text), {@code [sim:error=500]} (that status with vLLM's error body),
 * {@code [sim:label=x]}, {@code [sim:tokens=120]} (answer length) and {@code [sim:hang]} (hold the request
 * for the hang time). Outages: {@link #goDown()}, {@link #comeUp()}, {@link #downFor(Duration)}, failing
 * per the {@link OutageMode}. Token counts use the ~4-characters-per-token split of
 * {@link dev.slmrouter.simulators.common.Tokens}.
 */
public final class VllmSimulator implements AutoCloseable {

    private final VllmEngine engine;
    private final SimServer server;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "vllm-sim-outage-timer");
        t.setDaemon(true);
        return t;
    });

    VllmSimulator(final VllmEngine engine, final SimServer server) {
        this.engine = engine;
        this.server = server;
    }

    public static VllmSimulatorBuilder builder() {
        return new VllmSimulatorBuilder();
    }

    /** Starts listening; returns this for chaining. */
    public VllmSimulator start() {
        server.startListening();
        return this;
    }

    /** {@code http://HOST:PORT/v1}, what an OpenAI client takes as base URL. */
    public String baseUrl() {
        return rootUrl() + "/v1";
    }

    /** {@code http://HOST:PORT}, where {@code /health} and {@code /metrics} live. */
    public String rootUrl() {
        return "http://" + server.hostAddress() + ":" + server.port();
    }

    public int port() {
        return server.port();
    }

    public String model() {
        return engine.model();
    }

    /** The engine dies: 503s or refused connections, per the outage mode, until {@link #comeUp()}. */
    public synchronized void goDown() {
        engine.down().set(true);
        if (engine.outageMode() == OutageMode.REFUSE_CONNECTIONS) {
            server.stopListening();
        }
    }

    /** The engine is back (on the same port). */
    public synchronized void comeUp() {
        if (engine.outageMode() == OutageMode.REFUSE_CONNECTIONS) {
            server.startListening();
        }
        engine.down().set(false);
    }

    /** Down now, up again after {@code duration} (wall-clock, not scaled). */
    public void downFor(final Duration duration) {
        goDown();
        timer.schedule(this::comeUp, duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    public boolean isDown() {
        return engine.down().get();
    }

    /** Requests received, served, failed, running, waiting and the highest concurrency seen. */
    public SimStats stats() {
        return engine.counters().snapshot(engine.generation().load());
    }

    /** The most recent completion request bodies, oldest first (at most 256). */
    public List<JsonNode> recentRequests() {
        return engine.counters().recentRequests();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        server.close();
    }

    /** Runs as a process: {@code --name=value} or env {@code VLLM_SIM_NAME}; see the builders' setters. */
    public static void main(final String[] args) throws InterruptedException {
        final CliArgs cli = new CliArgs(args, System.getenv(), "VLLM_SIM");
        final VllmSimulator sim = builder().port(8000).applyArgs(cli).build().start();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }));
        System.out.println("vLLM simulator serving " + sim.model() + " at " + sim.baseUrl());
        stopped.await();
    }
}
