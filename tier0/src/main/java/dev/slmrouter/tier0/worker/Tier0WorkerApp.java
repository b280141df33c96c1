package dev.slmrouter.tier0.worker;

import dev.slmrouter.common.classify.ClassifierIndex;
import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.common.kafka.TopicCheck;
import dev.slmrouter.common.metrics.ServiceEndpoint;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.tier0.encoder.EncoderSpec;
import dev.slmrouter.tier0.encoder.OnnxSentenceEncoder;
import dev.slmrouter.tier0.model.ClassifierArtifact;
import dev.slmrouter.tier0.model.Tier0Classifier;
import dev.slmrouter.topics.Topic;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.call.CallerPool;
import dev.slmrouter.worker.loop.ConsumeGate;
import dev.slmrouter.worker.loop.WorkerLoop;
import dev.slmrouter.worker.loop.WorkerLoopConfig;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tier-0 worker service: consumes routed classification requests from {@code llm.requests.tier0}
 * (setting {@code topic.requests.tier0}), answers them in process with the classifiers named by
 * {@code tier0.models}, and commits one outcome per request (a result; or, for what it does not answer, the
 * request passed on to the SLM topic or an escalation, as the request's routing decision says) together
 * with the consumed offsets, on worker-core's exactly-once {@link WorkerLoop}. Classifiers on the
 * same encoder share one loaded model. Inference runs on {@code tier0.threads} threads (one ONNX intra-op
 * thread each).
 */
public final class Tier0WorkerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tier0WorkerApp.class);

    private final WorkerLoop loop;
    private final ExecutorService callers;
    private final ServiceEndpoint endpoint;
    private final List<OnnxSentenceEncoder> encoders;

    private Tier0WorkerApp(final WorkerLoop loop, final ExecutorService callers, final ServiceEndpoint endpoint,
                           final List<OnnxSentenceEncoder> encoders) {
        this.loop = loop;
        this.callers = callers;
        this.endpoint = endpoint;
        this.encoders = encoders;
    }

    public static void main(final String[] args) {
        final Tier0WorkerApp app;
        try {
            app = start(Tier0WorkerConfig.from(Settings.fromEnvironment()));
        } catch (ConfigException e) {
            LOG.error("Tier-0 worker not started: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "tier0-worker-shutdown"));
        app.loop.terminated().join();
    }

    public static Tier0WorkerApp start(final Tier0WorkerConfig config) {
        final Topics topics = config.topics();
        final Topic<RoutedRequest> requests = topics.tier0Requests();
        TopicCheck.requireTopics(config.kafka(), List.of(requests.name(), topics.results().name(),
                topics.escalations().name(), topics.slmRequests().name(), topics.deadLetters().name()));
        final List<OnnxSentenceEncoder> encoders = new ArrayList<>();
        final ClassifierIndex<Tier0Classifier> catalog;
        try {
            catalog = new ClassifierIndex<>(loadClassifiers(config.models(), encoders), Tier0Classifier::name,
                    Tier0Classifier::labelSet);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Settings.describe("tier0.models") + ": " + e.getMessage(), e);
        }
        catalog.all().forEach(c -> LOG.info("Classifier {} (version {}, {} labels, encoder {}, threshold {})", c.name(),
                c.artifact().version(), c.labels().size(), c.artifact().encoder().id(),
                config.threshold().orElse(c.artifact().threshold())));

        final SchemaRegistryClient registry = new RestSchemaRegistryClient(config.schemaRegistryUrl());
        final PrometheusMeterRegistry meters = ServiceEndpoint.newRegistry();
        final ExecutorService callers = CallerPool.create("tier0", config.threads());
        final Tier0RecordHandler handler = new Tier0RecordHandler(catalog,
                c -> config.threshold().orElse(c.artifact().threshold()), config.languages(), topics.slmRequests(),
                registry, requests.valueSerde(registry).deserializer(), new OutcomeWriter(topics, registry), callers,
                Clock.systemUTC(), meters);
        final WorkerLoop loop = new WorkerLoop(WorkerLoopConfig.builder()
                .name("tier0")
                .consumerConfig(config.kafka())
                .producerConfig(config.kafka())
                .groupId(config.groupId())
                .transactionalId(config.transactionalId())
                .topics(requests.name())
                .maxInFlight(config.maxInFlight())
                .commitInterval(config.commitInterval())
                .build(), handler, ConsumeGate.OPEN, meters);
        final ServiceEndpoint endpoint = ServiceEndpoint.start(config.metricsHost(), config.metricsPort(), meters,
                () -> !loop.terminated().isDone());
        loop.start();
        LOG.info("Tier-0 worker consuming {} on {} inference threads; what it does not answer goes to {} or {},"
                + " as each request's routing decision says", requests.name(), config.threads(),
                topics.slmRequests().name(), topics.escalations().name());
        return new Tier0WorkerApp(loop, callers, endpoint, encoders);
    }

    /** Reads every classifier file, loading each encoder once however many classifiers use it. */
    static List<Tier0Classifier> loadClassifiers(final List<Path> files, final List<OnnxSentenceEncoder> loaded) {
        final Map<String, OnnxSentenceEncoder> byKey = new HashMap<>();
        final List<Tier0Classifier> classifiers = new ArrayList<>();
        for (Path file : files) {
            final ClassifierArtifact artifact;
            try {
                artifact = ClassifierArtifact.read(file);
            } catch (IOException e) {
                throw new ConfigException("Cannot load a classifier named by " + Settings.describe("tier0.models") + ": "
                        + e.getMessage(), e);
            }
            final String key = artifact.encoder().id() + "@" + artifact.encoder().maxTokens();
            OnnxSentenceEncoder encoder = byKey.get(key);
            if (encoder == null) {
                final EncoderSpec spec;
                try {
                    spec = EncoderSpec.parse(artifact.encoder().id());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file + ": " + e.getMessage(), e);
                }
                encoder = OnnxSentenceEncoder.load(spec, 1, artifact.encoder().maxTokens());
                byKey.put(key, encoder);
                loaded.add(encoder);
            }
            try {
                classifiers.add(new Tier0Classifier(artifact, encoder));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file + ": " + e.getMessage(), e);
            }
        }
        return classifiers;
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
        shutdown();
    }

    @Override
    public void close() {
        LOG.info("Tier-0 worker stopping");
        loop.close(Duration.ofSeconds(30));
        shutdown();
    }

    private void shutdown() {
        callers.shutdownNow();
        endpoint.close();
        // The encoders' native sessions stay open: a call may still be finishing on a caller thread, and
        // closing a session under it would crash the process. The process (or test JVM) frees them.
    }
}
