package dev.slmrouter.simulators.openai;

import dev.slmrouter.simulators.common.CliArgs;
import dev.slmrouter.simulators.common.Counters;
import dev.slmrouter.simulators.common.Endpoint;
import dev.slmrouter.simulators.common.HttpReply;
import dev.slmrouter.simulators.common.SimulatorBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link OpenAiSimulator}. Defaults: model {@code gpt-4o}, 400 ms to first token and 12 ms per
 * token independent of load (OpenAI's capacity is not the client's concern; its rate limits are), 5,000
 * requests and 800,000 tokens per one-minute window, any API key accepted, plus the shared defaults of
 * {@link SimulatorBuilder}.
 */
public final class OpenAiSimulatorBuilder extends SimulatorBuilder<OpenAiSimulatorBuilder> {

    private static final int UNBOUNDED_BATCH = 1_000_000;

    private long requestsPerMinute = 5_000;
    private long tokensPerMinute = 800_000;
    private Duration rateWindow = Duration.ofMinutes(1);
    private String apiKey;
    private String fingerprint = "fp_5f2b1e0c9a";

    OpenAiSimulatorBuilder() {
        super("gpt-4o", Duration.ofMillis(400), Duration.ofMillis(12), 0.0);
    }

    @Override
    protected OpenAiSimulatorBuilder self() {
        return this;
    }

    /** Requests allowed per window ({@code rpm}); more get 429 with type {@code requests}. */
    public OpenAiSimulatorBuilder requestsPerMinute(final long value) {
        requestsPerMinute = value;
        return this;
    }

    /** Tokens (prompt plus max_tokens) allowed per window ({@code tpm}); more get 429 {@code tokens}. */
    public OpenAiSimulatorBuilder tokensPerMinute(final long value) {
        tokensPerMinute = value;
        return this;
    }

    /** The rate-limit window ({@code rate-window-ms}); a minute like OpenAI, shorter in tests. */
    public OpenAiSimulatorBuilder rateWindow(final Duration value) {
        rateWindow = value;
        return this;
    }

    /** Require {@code Authorization: Bearer KEY} ({@code api-key}); otherwise 401 invalid_api_key. */
    public OpenAiSimulatorBuilder apiKey(final String value) {
        apiKey = value;
        return this;
    }

    /** The {@code system_fingerprint} of every response ({@code system-fingerprint}). */
    public OpenAiSimulatorBuilder systemFingerprint(final String value) {
        fingerprint = value;
        return this;
    }

    @Override
    public OpenAiSimulatorBuilder applyArgs(final CliArgs args) {
        super.applyArgs(args);
        requestsPerMinute = Long.parseLong(args.get("rpm", Long.toString(requestsPerMinute)));
        tokensPerMinute = Long.parseLong(args.get("tpm", Long.toString(tokensPerMinute)));
        rateWindow = args.millis("rate-window-ms", rateWindow);
        apiKey = args.get("api-key", apiKey);
        fingerprint = args.get("system-fingerprint", fingerprint);
        return this;
    }

    /** Builds the simulator; call {@link OpenAiSimulator#start()} to listen. */
    public OpenAiSimulator build() {
        final Map<String, String> snapshots = Map.of("gpt-4o", "gpt-4o-2024-08-06",
                "gpt-4o-mini", "gpt-4o-mini-2024-07-18");
        final OpenAiState state = new OpenAiState(snapshots, model(), fingerprint, apiKey,
                generation(UNBOUNDED_BATCH), new Counters(), script(),
                new RateLimits(requestsPerMinute, tokensPerMinute, rateWindow, System::nanoTime), new FaultBursts());
        final Map<String, Endpoint> routes = new HashMap<>();
        routes.put("POST /v1/chat/completions", new OpenAiChatEndpoint(state));
        final List<String> models = List.of(model(), "gpt-4o", "gpt-4o-mini");
        routes.put("GET /v1/models", r -> HttpReply.json(200,
                OpenAiJson.models(models.stream().distinct().toList())));
        return new OpenAiSimulator(state, server("openai-sim", routes,
                r -> OpenAiErrors.notFound(r.method(), r.path())));
    }
}
