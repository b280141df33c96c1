package dev.slmrouter.simulators.common;

import java.time.Duration;
import java.util.Map;

/**
 * The knobs both simulators share: where to listen, how fast time runs, the latency model, how answers
 * come out and the script. Subclasses add API-specific knobs; {@link #applyArgs(CliArgs)} reads the shared
 * ones for a {@code main} (names in the Javadoc of each setter, env {@code PREFIX_NAME}).
 *
 * @param <B> the concrete builder, so chained calls keep their type
 */
public abstract class SimulatorBuilder<B extends SimulatorBuilder<B>> {

    private String host = "127.0.0.1";
    private int port;
    private String model;
    private double timeScale = 1.0;
    private Duration ttft;
    private Duration tpot;
    private Duration prefillPerToken = Duration.ZERO;
    private double ttftAlpha;
    private double tpotAlpha;
    private ConfidenceDistribution confidence = ConfidenceDistribution.typical();
    private double schemaBreakRate;
    private double truncateRate;
    private int meanOutputTokens = 48;
    private Script script = Script.MARKERS;
    private Duration hang = Duration.ofSeconds(30);
    private int threads = 256;
    private int queueCapacity = 4096;

    protected SimulatorBuilder(final String model, final Duration ttft, final Duration tpot, final double alpha) {
        this.model = model;
        this.ttft = ttft;
        this.tpot = tpot;
        this.ttftAlpha = alpha;
        this.tpotAlpha = alpha;
    }

    protected abstract B self();

    /** Listen address ({@code host}); 0.0.0.0 inside a container. */
    public B host(final String value) { host = value; return self(); }

    /** Port ({@code port}); 0 picks a free one. */
    public B port(final int value) { port = value; return self(); }

    /** Served model name ({@code model}). */
    public B model(final String value) { model = value; return self(); }

    /** Multiplies every simulated duration ({@code time-scale}); 0.01 runs 100x faster. */
    public B timeScale(final double value) { timeScale = value; return self(); }

    /** Base time to first token ({@code ttft-ms}). */
    public B timeToFirstToken(final Duration value) { ttft = value; return self(); }

    /** Base time per output token ({@code tpot-ms}). */
    public B timePerOutputToken(final Duration value) { tpot = value; return self(); }

    /** Prefill time per prompt token ({@code prefill-ms-per-token}). */
    public B prefillPerPromptToken(final Duration value) { prefillPerToken = value; return self(); }

    /** Growth of ttft and tpot at a full batch ({@code ttft-alpha}, {@code tpot-alpha}): 1.0 doubles them. */
    public B loadAlphas(final double ttftGrowth, final double tpotGrowth) {
        ttftAlpha = ttftGrowth;
        tpotAlpha = tpotGrowth;
        return self();
    }

    /** Distribution of unscripted answers' confidence ({@code confident-share} picks a typical mixture). */
    public B confidence(final ConfidenceDistribution value) { confidence = value; return self(); }

    /** Share of unscripted schema answers that break the schema ({@code schema-break-rate}). */
    public B schemaBreakRate(final double value) { schemaBreakRate = value; return self(); }

    /** Share of unscripted answers cut with finish_reason length ({@code truncate-rate}). */
    public B truncateRate(final double value) { truncateRate = value; return self(); }

    /** Mean length of free-text answers in tokens ({@code mean-output-tokens}). */
    public B meanOutputTokens(final int value) { meanOutputTokens = value; return self(); }

    /** Per-request behavior for exact tests; default reads prompt markers. */
    public B script(final Script value) { script = value; return self(); }

    /** How long a hung request is held, wall-clock ({@code hang-ms}). */
    public B hang(final Duration value) { hang = value; return self(); }

    /** Handler threads ({@code threads}): requests beyond this wait in the accept queue. */
    public B threads(final int value) { threads = value; return self(); }

    /**
     * Requests that may wait for a handler thread ({@code queue-capacity}); past it the JDK server drops
     * connections, so keep it well above the load a test sends.
     */
    public B queueCapacity(final int value) { queueCapacity = value; return self(); }

    /** Reads the shared knobs from arguments or the environment. */
    public B applyArgs(final CliArgs args) {
        host = args.get("host", host);
        port = args.integer("port", port);
        model = args.get("model", model);
        timeScale = args.decimal("time-scale", timeScale);
        ttft = args.millis("ttft-ms", ttft);
        tpot = args.millis("tpot-ms", tpot);
        prefillPerToken = args.millis("prefill-ms-per-token", prefillPerToken);
        ttftAlpha = args.decimal("ttft-alpha", ttftAlpha);
        tpotAlpha = args.decimal("tpot-alpha", tpotAlpha);
        final String share = args.get("confident-share", null);
        if (share != null) {
            confidence = ConfidenceDistribution.mixture(Double.parseDouble(share),
                    ConfidenceDistribution.beta(99, 1), ConfidenceDistribution.beta(5, 5));
        }
        schemaBreakRate = args.decimal("schema-break-rate", schemaBreakRate);
        truncateRate = args.decimal("truncate-rate", truncateRate);
        meanOutputTokens = args.integer("mean-output-tokens", meanOutputTokens);
        hang = args.millis("hang-ms", hang);
        threads = args.integer("threads", threads);
        queueCapacity = args.integer("queue-capacity", queueCapacity);
        return self();
    }

    protected String model() { return model; }

    protected Script script() { return script; }

    protected AnswerEngine answerEngine() {
        return new AnswerEngine(new AnswerPolicy(confidence, schemaBreakRate, truncateRate, meanOutputTokens));
    }

    protected Generation generation(final int maxNumSeqs) {
        return new Generation(answerEngine(), new LoadModel(maxNumSeqs, ttft, tpot, prefillPerToken, ttftAlpha,
                tpotAlpha, timeScale), hang);
    }

    protected SimServer server(final String name, final Map<String, Endpoint> routes,
                               final Endpoint fallback) {
        return new SimServer(name, host, port, threads, queueCapacity, routes, fallback);
    }
}
