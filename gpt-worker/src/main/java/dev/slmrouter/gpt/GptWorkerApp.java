package dev.slmrouter.gpt;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.common.kafka.TopicCheck;
import dev.slmrouter.common.metrics.ServiceEndpoint;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.gpt.budget.BudgetLedger;
import dev.slmrouter.gpt.budget.CommittedResults;
import dev.slmrouter.gpt.limit.RateLimiter;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.call.CallerPool;
import dev.slmrouter.worker.client.ChatCompletionClient;
import dev.slmrouter.worker.loop.ConsumeGate;
import dev.slmrouter.worker.loop.WorkerLoop;
import dev.slmrouter.worker.loop.WorkerLoopConfig;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPT worker service: consumes {@code llm.requests.gpt} and {@code llm.escalations}, answers through
 * the OpenAI API (or any compatible endpoint), and commits one result per request together with the
 * consumed offsets (exactly once).
 */
public final class GptWorkerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GptWorkerApp.class);
    /**
     * How long the ledger keeps the cost of a finished call it has not read back committed: far longer than
     * a commit takes, so only a call whose transaction was aborted is forgotten.
     */
    private static final Duration LEDGER_SETTLED_TTL = Duration.ofMinutes(2);

    private final WorkerLoop loop;
    private final ExecutorService callers;
    private final ChatCompletionClient client;
    private final ServiceEndpoint endpoint;
    private final CommittedResults<?> committedResults;
    private final CommittedResults<?> shadowSpend;
    private final BudgetLedger ledger;
    private final Duration shutdownGrace;

    private GptWorkerApp(final WorkerLoop loop, final ExecutorService callers, final ChatCompletionClient client,
                         final ServiceEndpoint endpoint, final CommittedResults<?> committedResults,
                         final CommittedResults<?> shadowSpend, final BudgetLedger ledger,
                         final Duration shutdownGrace) {
        this.shadowSpend = shadowSpend;
        this.loop = loop;
        this.callers = callers;
        this.client = client;
        this.endpoint = endpoint;
        this.committedResults = committedResults;
        this.ledger = ledger;
        this.shutdownGrace = shutdownGrace;
    }

    public static void main(final String[] args) {
        final GptWorkerApp app;
        try {
            app = start(GptWorkerConfig.from(Settings.fromEnvironment()));
        } catch (ConfigException e) {
            LOG.error("GPT worker not started: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "gpt-worker-shutdown"));
        app.loop.terminated().join();
    }

    public static GptWorkerApp start(final GptWorkerConfig config) {
        final Topics topics = config.topics();
        TopicCheck.requireTopics(config.kafka(), List.of(topics.gptRequests().name(), topics.escalations().name(),
                topics.results().name(), topics.deadLetters().name(), topics.alerts().name(),
                topics.shadowRequests().name(), topics.shadowComparisons().name()));
        LOG.info("Starting: {}", config);
        final ChatCompletionClient client = client(config);

        final SchemaRegistryClient registry = new RestSchemaRegistryClient(config.schemaRegistryUrl());
        final PrometheusMeterRegistry meters = ServiceEndpoint.newRegistry();
        final GptMetrics metrics = new GptMetrics(meters);
        final RateLimiter limiter = new RateLimiter(config.requestsPerMinute(), config.tokensPerMinute(),
                config.rateWindow(), System::nanoTime);
        metrics.bind(limiter);
        BudgetLedger ledger = null;
        CommittedResults<?> committedResults = null;
        ConsumeGate gate = limiter;
        if (config.budgets().any()) {
            ledger = new BudgetLedger(config.budgets(), Clock.systemUTC(), LEDGER_SETTLED_TTL, "gpt-worker");
            committedResults = CommittedResults.start(config.kafka(), topics.results().name(),
                    topics.results().valueSerde(registry).deserializer(), ledger, Clock.systemUTC().instant(),
                    Duration.ofMinutes(5));
            metrics.bind(ledger);
            final BudgetLedger budget = ledger;
            final CommittedResults<?> results = committedResults;
            // Without a live reader the spend is unknown: take no new work rather than overspend.
            gate = limiter.and(() -> results.alive() && !budget.globalHeld());
        }
        final BudgetLedger shadowLedger = config.shadow().budgetUsd() > 0
                ? new BudgetLedger(config.shadow().budgets(config.budgets().alertRatio()), Clock.systemUTC(),
                LEDGER_SETTLED_TTL, "gpt-worker", "shadow-budget") : null;
        final CommittedResults<?> shadowSpend = shadowSpend(config, registry, ledger, shadowLedger);
        final ExecutorService callers = CallerPool.create("gpt", config.maxInFlight());
        final GptRecordHandler handler = new GptRecordHandler(config,
                topics.gptRequests().valueSerde(registry).deserializer(),
                topics.escalations().valueSerde(registry).deserializer(),
                topics.shadowRequests().valueSerde(registry).deserializer(),
                client, new OutcomeWriter(topics, registry), metrics, callers, Clock.systemUTC(), limiter, ledger,
                shadowLedger);
        final WorkerLoop loop = new WorkerLoop(WorkerLoopConfig.builder()
                .name("gpt")
                .consumerConfig(config.kafka())
                .producerConfig(config.kafka())
                .groupId(config.groupId())
                .transactionalId(config.transactionalId())
                .topics(topics.gptRequests().name(), topics.escalations().name(), topics.shadowRequests().name())
                .maxInFlight(config.maxInFlight())
                .commitInterval(config.commitInterval())
                .build(), handler, gate, meters);
        final CommittedResults<?> reader = committedResults;
        final ServiceEndpoint endpoint = ServiceEndpoint.start(config.metricsHost(), config.metricsPort(), meters,
                () -> !loop.terminated().isDone() && (reader == null || reader.alive())
                        && (shadowSpend == null || shadowSpend.alive()));
        loop.start();
        LOG.info("GPT worker consuming {}, {} and {} with up to {} calls in flight to {}", topics.gptRequests(),
                topics.escalations(), topics.shadowRequests(), config.maxInFlight(), config.baseUrl());
        return new GptWorkerApp(loop, callers, client, endpoint, committedResults, shadowSpend, ledger,
                config.shutdownGrace());
    }

    /**
     * Reads the committed shadow spend (GPT's cost of SAMPLE comparisons) into the ledgers shadow calls
     * reserve from: the shadow budget's, and the production one's when shadow spend counts there; null when
     * neither is in use.
     */
    private static CommittedResults<?> shadowSpend(final GptWorkerConfig config, final SchemaRegistryClient registry,
                                                   final BudgetLedger production, final BudgetLedger shadow) {
        final BudgetLedger shared = config.shadow().countsAgainstProduction() ? production : null;
        if (shadow == null && shared == null) {
            return null;
        }
        final Topics topics = config.topics();
        return CommittedResults.start(config.kafka(), topics.shadowComparisons().name(),
                topics.shadowComparisons().valueSerde(registry).deserializer(), c -> {
                    final double cost = c.getMode() == ShadowMode.SAMPLE ? c.getGptCostUsd() : 0;
                    for (final BudgetLedger l : new BudgetLedger[] {shadow, shared}) {
                        if (l != null) {
                            l.committed(c.getRequestId(), c.getTenant(), c.getComparedAt(), cost);
                        }
                    }
                }, shadow != null ? shadow : shared, Clock.systemUTC().instant(), Duration.ofMinutes(5));
    }

    /** The budget ledger, or null when no budget is set. */
    public BudgetLedger ledger() {
        return ledger;
    }

    /** The API client: base URL, key, organization, project and timeouts from the configuration. */
    static ChatCompletionClient client(final GptWorkerConfig config) {
        final var builder = ChatCompletionClient.builder(config.baseUrl())
                .readTimeout(config.callTimeout()).callTimeout(config.callTimeout());
        if (config.apiKeyHeader().equals("api-key")) {
            // Azure OpenAI: the key itself in an api-key header (kept secret by the builder).
            config.apiKey().ifPresent(key -> builder.header("api-key", key.get()));
        } else {
            config.apiKey().ifPresent(builder::apiKey);
        }
        config.organization().ifPresent(builder::organization);
        config.project().ifPresent(builder::project);
        return builder.build();
    }

    public WorkerLoop loop() {
        return loop;
    }

    public int metricsPort() {
        return endpoint.port();
    }

    /** Simulates a crash (tests): stops without committing anything more. */
    public void kill() {
        loop.kill();
        release();
    }

    @Override
    public void close() {
        LOG.info("GPT worker stopping");
        loop.close(shutdownGrace);
        release();
    }

    private void release() {
        callers.shutdownNow();
        client.close();
        endpoint.close();
        if (committedResults != null) {
            committedResults.close();
        }
        if (shadowSpend != null) {
            shadowSpend.close();
        }
    }
}
