package dev.slmrouter.simulators.vllm;

import dev.slmrouter.simulators.common.CliArgs;
import dev.slmrouter.simulators.common.Counters;
import dev.slmrouter.simulators.common.Endpoint;
import dev.slmrouter.simulators.common.SimulatorBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds a {@link VllmSimulator}. Defaults: model {@code Qwen/Qwen2.5-7B-Instruct}, {@code maxNumSeqs} 32
 * (vLLM's own default is higher; 32 keeps the knee reachable by a client with 32 requests in flight),
 * {@code max_model_len} 8192, ttft 40 ms, tpot 15 ms, both doubling at a full batch (alphas 1.0), version
 * 0.11.0, nested errors, outages answered with 503, plus the shared defaults of {@link SimulatorBuilder}.
 */
public final class VllmSimulatorBuilder extends SimulatorBuilder<VllmSimulatorBuilder> {

    private int maxNumSeqs = 32;
    private int maxModelLen = 8192;
    private String version = "0.11.0";
    private ErrorStyle errorStyle = ErrorStyle.NESTED;
    private OutageMode outageMode = OutageMode.SERVICE_UNAVAILABLE;

    VllmSimulatorBuilder() {
        super("Qwen/Qwen2.5-7B-Instruct", Duration.ofMillis(40), Duration.ofMillis(15), 1.0);
    }

    @Override
    protected VllmSimulatorBuilder self() {
        return this;
    }

    /** Sequences generating at once ({@code max-num-seqs}); more wait in the queue. */
    public VllmSimulatorBuilder maxNumSeqs(final int value) {
        maxNumSeqs = value;
        return this;
    }

    /** Context length on the model card; longer requests get vLLM's 400 ({@code max-model-len}). */
    public VllmSimulatorBuilder maxModelLen(final int value) {
        maxModelLen = value;
        return this;
    }

    /** What {@code GET /version} reports ({@code version}). */
    public VllmSimulatorBuilder version(final String value) {
        version = value;
        return this;
    }

    /** Error envelope ({@code error-style}: nested or flat). */
    public VllmSimulatorBuilder errorStyle(final ErrorStyle value) {
        errorStyle = value;
        return this;
    }

    /** How outages fail ({@code outage-mode}: service_unavailable or refuse_connections). */
    public VllmSimulatorBuilder outageMode(final OutageMode value) {
        outageMode = value;
        return this;
    }

    @Override
    public VllmSimulatorBuilder applyArgs(final CliArgs args) {
        super.applyArgs(args);
        maxNumSeqs = args.integer("max-num-seqs", maxNumSeqs);
        maxModelLen = args.integer("max-model-len", maxModelLen);
        version = args.get("version", version);
        errorStyle = ErrorStyle.valueOf(args.get("error-style", errorStyle.name()).toUpperCase(Locale.ROOT));
        outageMode = OutageMode.valueOf(args.get("outage-mode", outageMode.name()).toUpperCase(Locale.ROOT));
        return this;
    }

    /** Builds the simulator; call {@link VllmSimulator#start()} to listen. */
    public VllmSimulator build() {
        final VllmEngine engine = new VllmEngine(model(), maxModelLen, version, outageMode,
                new VllmErrors(errorStyle), generation(maxNumSeqs), new Counters(), script(), new AtomicBoolean());
        final Map<String, Endpoint> routes = new HashMap<>();
        final VllmInfoEndpoints info = new VllmInfoEndpoints(engine);
        routes.put("POST /v1/chat/completions", new VllmChatEndpoint(engine));
        routes.put("POST /v1/completions", new VllmCompletionsEndpoint(engine));
        routes.put("GET /v1/models", info::models);
        routes.put("GET /health", info::health);
        routes.put("GET /version", info::version);
        routes.put("GET /metrics", info::metrics);
        return new VllmSimulator(engine, server("vllm-sim", routes, info::notFound));
    }
}
