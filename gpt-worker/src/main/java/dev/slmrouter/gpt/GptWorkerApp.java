package dev.slmrouter.gpt;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.common.kafka.TopicCheck;
import dev.slmrouter.common.metrics.ServiceEndpoint;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.call.CallerPool;
import dev.slmrouter.worker.client.ChatCompletionClient;
import dev.slmrouter.worker.loop.ConsumeGate;
import dev.slmrouter.worker.loop.WorkerLoop;
import dev.slmrouter.worker.loop.WorkerLoopConfig;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
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

    private final WorkerLoop loop;
    private final ExecutorService callers;
    private final ChatCompletionClient client;
    private final ServiceEndpoint endpoint;

    private GptWorkerApp(final WorkerLoop loop, final ExecutorService callers, final ChatCompletionClient client,
                         final ServiceEndpoint endpoint) {
        this.loop = loop;
        this.callers = callers;
        this.client = client;
        this.endpoint = endpoint;
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
                topics.results().name(), topics.deadLetters().name()));
        LOG.info("Starting: {}", config);
        final var builder = ChatCompletionClient.builder(config.baseUrl())
                .readTimeout(config.callTimeout()).callTimeout(config.callTimeout());
        config.apiKey().ifPresent(builder::apiKey);
        config.organization().ifPresent(builder::organization);
        config.project().ifPresent(builder::project);
        final ChatCompletionClient client = builder.build();

        final SchemaRegistryClient registry = new RestSchemaRegistryClient(config.schemaRegistryUrl());
        final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        final ExecutorService callers = CallerPool.create("gpt", config.maxInFlight());
        final GptRecordHandler handler = new GptRecordHandler(config,
                topics.gptRequests().valueSerde(registry).deserializer(),
                topics.escalations().valueSerde(registry).deserializer(),
                client, new OutcomeWriter(topics, registry), new GptMetrics(meters), callers, Clock.systemUTC());
        final WorkerLoop loop = new WorkerLoop(WorkerLoopConfig.builder()
                .name("gpt")
                .consumerConfig(config.kafka())
                .producerConfig(config.kafka())
                .groupId(config.groupId())
                .transactionalId(config.transactionalId())
                .topics(topics.gptRequests().name(), topics.escalations().name())
                .maxInFlight(config.maxInFlight())
                .commitInterval(config.commitInterval())
                .build(), handler, ConsumeGate.OPEN, meters);
        final ServiceEndpoint endpoint = ServiceEndpoint.start(config.metricsHost(), config.metricsPort(), meters,
                () -> !loop.terminated().isDone());
        loop.start();
        LOG.info("GPT worker consuming {} and {} with up to {} calls in flight to {}", topics.gptRequests(),
                topics.escalations(), config.maxInFlight(), config.baseUrl());
        return new GptWorkerApp(loop, callers, client, endpoint);
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
        loop.close(Duration.ofSeconds(30));
        release();
    }

    private void release() {
        callers.shutdownNow();
        client.close();
        endpoint.close();
    }
}
