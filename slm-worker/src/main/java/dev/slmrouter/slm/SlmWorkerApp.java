package dev.slmrouter.slm;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.common.kafka.TopicCheck;
import dev.slmrouter.common.metrics.ServiceEndpoint;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.slm.health.CircuitBreaker;
import dev.slmrouter.slm.health.DownPolicy;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.call.CallerPool;
import dev.slmrouter.worker.client.ChatCompletionClient;
import dev.slmrouter.worker.client.ChatMessage;
import dev.slmrouter.worker.client.ChatRequest;
import dev.slmrouter.worker.loop.ConsumeGate;
import dev.slmrouter.worker.loop.WorkerLoop;
import dev.slmrouter.worker.loop.WorkerLoopConfig;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SLM worker service: consumes {@code llm.requests.slm}, answers through vLLM, and commits a result
 * or an escalation per request together with the consumed offsets (exactly once). Before consuming it
 * makes a real tiny completion (vLLM's port opens only after the model loaded, but a completion is the
 * only honest readiness probe).
 */
public final class SlmWorkerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SlmWorkerApp.class);

    private final WorkerLoop loop;
    private final ExecutorService callers;
    private final ScheduledExecutorService prober;
    private final ChatCompletionClient client;
    private final ServiceEndpoint endpoint;
    private final CircuitBreaker breaker;

    private SlmWorkerApp(final WorkerLoop loop, final ExecutorService callers, final ScheduledExecutorService prober,
                         final ChatCompletionClient client, final ServiceEndpoint endpoint, final CircuitBreaker breaker) {
        this.loop = loop;
        this.callers = callers;
        this.prober = prober;
        this.client = client;
        this.endpoint = endpoint;
        this.breaker = breaker;
    }

    public static void main(final String[] args) {
        final SlmWorkerApp app;
        try {
            app = start(SlmWorkerConfig.from(Settings.fromEnvironment()));
        } catch (ConfigException e) {
            LOG.error("SLM worker not started: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "slm-worker-shutdown"));
        app.loop.terminated().join();
    }

    public static SlmWorkerApp start(final SlmWorkerConfig config) {
        final Topics topics = config.topics();
        final List<String> required = new ArrayList<>(List.of(topics.slmRequests().name(), topics.results().name(),
                topics.escalations().name(), topics.deadLetters().name()));
        if (!config.shadow().off()) {
            required.add(topics.shadowRequests().name()); // written only in shadow mode
        }
        TopicCheck.requireTopics(config.kafka(), required);
        LOG.info("Starting: {}", config);
        final var clientBuilder = ChatCompletionClient.builder(config.baseUrl())
                .readTimeout(config.callTimeout()).callTimeout(config.callTimeout());
        config.apiKey().ifPresent(clientBuilder::apiKey);
        final ChatCompletionClient client = clientBuilder.build();
        warmUp(client, config);

        final SchemaRegistryClient registry = new RestSchemaRegistryClient(config.schemaRegistryUrl());
        final Clock clock = Clock.systemUTC();
        final CircuitBreaker breaker = new CircuitBreaker(config.breakerFailures(), config.breakerProbeInterval(),
                client::health, clock);
        final PrometheusMeterRegistry meters = ServiceEndpoint.newRegistry();
        final ThreadPoolExecutor callers = CallerPool.create("slm", config.maxInFlight());
                final SlmMetrics metrics = new SlmMetrics(meters, breaker, callers::getActiveCount);
        final SlmRecordHandler handler = new SlmRecordHandler(config,
                topics.slmRequests().valueSerde(registry).deserializer(), client, breaker,
                new OutcomeWriter(topics, registry), metrics, callers, clock);
        final WorkerLoop loop = new WorkerLoop(WorkerLoopConfig.builder()
                .name("slm")
                .consumerConfig(config.kafka())
                .producerConfig(config.kafka())
                .groupId(config.groupId())
                .transactionalId(config.transactionalId())
                .topics(topics.slmRequests().name())
                // Records queued for a call thread beyond the calls in flight: a thread that finishes a call
                // starts the next at once, instead of waiting for the loop thread to hand one over.
                .maxInFlight(config.maxInFlight() + config.callQueue())
                .batchSize(config.batchSize())
                .batchMaxWait(config.batchMaxWait())
                .commitInterval(config.commitInterval())
                .build(), handler, gate(config, breaker), meters);

        // While the breaker is open nothing else calls vLLM, so a timer probes /health to notice recovery.
        final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "slm-health-probe");
            t.setDaemon(true);
            return t;
        });
        final long probeMillis = config.breakerProbeInterval().toMillis();
        prober.scheduleWithFixedDelay(() -> {
            if (breaker.state() == CircuitBreaker.State.OPEN) {
                breaker.allowsCalls();
            }
        }, probeMillis, probeMillis, TimeUnit.MILLISECONDS);
        final ServiceEndpoint endpoint = ServiceEndpoint.start(config.metricsHost(), config.metricsPort(), meters,
                () -> !loop.terminated().isDone());
        loop.start();
        LOG.info("SLM worker consuming {} with up to {} calls in flight to {}", topics.slmRequests(),
                config.maxInFlight(), config.baseUrl());
        return new SlmWorkerApp(loop, callers, prober, client, endpoint, breaker);
    }

    /**
     * Consumption pauses while the breaker is open, so requests wait in Kafka; once interactive requests
     * may be spilled (open longer than the grace period) it resumes so they can be escalated, and batch
     * requests then wait in the handler, bounded by max-in-flight.
     */
    private static ConsumeGate gate(final SlmWorkerConfig config, final CircuitBreaker breaker) {
        final boolean spills = config.downPolicies().get(LatencyClass.INTERACTIVE) == DownPolicy.SPILL
                || config.downPolicies().get(LatencyClass.BATCH) == DownPolicy.SPILL;
        return () -> breaker.state() != CircuitBreaker.State.OPEN
                || spills && breaker.openFor().compareTo(config.spillGrace()) >= 0;
    }

    private static void warmUp(final ChatCompletionClient client, final SlmWorkerConfig config) {
        final ChatRequest probe = ChatRequest.builder(config.model())
                .messages(ChatMessage.user("Reply with OK.")).maxTokens(1).temperature(0.0).build();
        final long deadline = System.nanoTime() + config.warmupTimeout().toNanos();
        while (true) {
            try {
                client.complete(probe);
                LOG.info("vLLM at {} answered the warm-up completion", config.baseUrl());
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new ConfigException("vLLM at " + config.baseUrl() + " did not answer a warm-up completion within "
                            + config.warmupTimeout() + " (slm.warmup.timeout): " + e.getMessage(), e);
                }
                LOG.info("Waiting for vLLM at {}: {}", config.baseUrl(), e.getMessage());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ConfigException("Interrupted during warm-up", interrupted);
                }
            }
        }
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public WorkerLoop loop() {
        return loop;
    }

    /** The port {@code /metrics} and {@code /health} listen on (the one chosen when configured as 0). */
    public int metricsPort() {
        return endpoint.port();
    }

    /** Simulates a crash (tests): stops without committing anything more. */
    public void kill() {
        loop.kill();
        shutdownExecutors();
    }

    @Override
    public void close() {
        LOG.info("SLM worker stopping");
        loop.close(Duration.ofSeconds(30));
        shutdownExecutors();
    }

    private void shutdownExecutors() {
        prober.shutdownNow();
        callers.shutdownNow();
        client.close();
        endpoint.close();
    }
}
