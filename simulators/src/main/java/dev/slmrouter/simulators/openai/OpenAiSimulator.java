package dev.slmrouter.simulators.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slmrouter.simulators.common.CliArgs;
import dev.slmrouter.simulators.common.SimServer;
import dev.slmrouter.simulators.common.SimStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * An HTTP server that answers like OpenAI's Chat Completions API, for the GPT worker's tests, the local
 * stack and benchmarks: {@code POST /v1/chat/completions} with realistic latency, {@code usage},
 * {@code system_fingerprint}, rate-limit headers and enforced per-window request and token limits (429
 * with {@code retry-after-ms} and OpenAI's body), {@code n} choices, {@code response_format} json_schema
 * (valid JSON for the schema), {@code logprobs}, and {@code GET /v1/models}. Fault bursts:
 * {@link #fail429For(int)}, {@link #quotaExhausted(QuotaCode)}, {@link #fail500For(int)},
 * {@link #timeoutFor(int)} (held for the hang time, then answered). Prompt markers script single
 * requests as in the vLLM simulator: {@code [sim:refuse]} gives {@code content: null} and a
 * {@code refusal}, {@code [sim:truncate]} finish_reason {@code length}, {@code [sim:schema-break]},
 * {@code [sim:confidence=x]}, {@code [sim:error=N]}, {@code [sim:label=x]}, {@code [sim:tokens=N]},
 * {@code [sim:hang]}. Error bodies are OpenAI's {@code {"error":{"message","type","param","code"}}}.
 */
public final class OpenAiSimulator implements AutoCloseable {

    private final OpenAiState state;
    private final SimServer server;

    OpenAiSimulator(final OpenAiState state, final SimServer server) {
        this.state = state;
        this.server = server;
    }

    public static OpenAiSimulatorBuilder builder() {
        return new OpenAiSimulatorBuilder();
    }

    /** Starts listening; returns this for chaining. */
    public OpenAiSimulator start() {
        server.startListening();
        return this;
    }

    /** {@code http://HOST:PORT/v1}, what an OpenAI client takes as base URL. */
    public String baseUrl() {
        return "http://" + server.hostAddress() + ":" + server.port() + "/v1";
    }

    public int port() {
        return server.port();
    }

    /** The next {@code n} requests get 429 {@code rate_limit_exceeded} with a 1 s retry-after. */
    public void fail429For(final int n) {
        fail429For(n, Duration.ofSeconds(1));
    }

    /** The next {@code n} requests get 429 {@code rate_limit_exceeded} asking to retry after {@code wait}. */
    public void fail429For(final int n, final Duration wait) {
        state.faults().rateLimit(n, wait);
    }

    /** Every request gets 429 {@code insufficient_quota} with {@code "code": "insufficient_quota"}. */
    public void quotaExhausted() {
        quotaExhausted(QuotaCode.STRING);
    }

    /** Every request gets 429 {@code insufficient_quota}, in the chosen body variant, until restored. */
    public void quotaExhausted(final QuotaCode code) {
        state.faults().quota(code);
    }

    public void quotaRestored() {
        state.faults().quota(null);
    }

    /** The next {@code n} requests get 500 {@code server_error}. */
    public void fail500For(final int n) {
        state.faults().serverError(n);
    }

    /** The next {@code n} requests are held for the hang time (past a client's timeout), then answered. */
    public void timeoutFor(final int n) {
        state.faults().timeout(n);
    }

    public SimStats stats() {
        return state.counters().snapshot(state.generation().load());
    }

    /** The most recent chat request bodies, oldest first (at most 256). */
    public List<JsonNode> recentRequests() {
        return state.counters().recentRequests();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Runs as a process: {@code --name=value} or env {@code OPENAI_SIM_NAME}; see the builders' setters. */
    public static void main(final String[] args) throws InterruptedException {
        final CliArgs cli = new CliArgs(args, System.getenv(), "OPENAI_SIM");
        final OpenAiSimulator sim = builder().port(8001).applyArgs(cli).build().start();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }));
        System.out.println("OpenAI simulator at " + sim.baseUrl());
        stopped.await();
    }
}
