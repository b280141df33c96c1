package dev.slmrouter.router;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.common.kafka.TopicCheck;
import dev.slmrouter.common.metrics.ServiceEndpoint;
import dev.slmrouter.router.classify.HashedNgramClassifier;
import dev.slmrouter.router.classify.TaskTypeClassifier;
import dev.slmrouter.router.language.TieredLanguageDetector;
import dev.slmrouter.router.dedupe.DedupeSettings;
import dev.slmrouter.router.health.InputProgress;
import dev.slmrouter.router.health.InputProgressWatch;
import dev.slmrouter.router.metrics.RouterMetrics;
import dev.slmrouter.router.policy.PolicyLoader;
import dev.slmrouter.router.policy.RoutingPolicy;
import dev.slmrouter.router.routing.RoutingDecider;
import dev.slmrouter.router.size.TokenEstimator;
import dev.slmrouter.router.topology.RouteStep;
import dev.slmrouter.router.topology.RouterTopology;
import dev.slmrouter.router.validation.RequestValidator;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router service: {@code java -jar router-stream.jar}, configured by environment variables or a
 * properties file (see the README). Checks its configuration, topics and schema registry before it
 * starts, so a misconfigured router stops at once with a message instead of misrouting.
 */
public final class RouterApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterApp.class);

    private final KafkaStreams streams;
    private final ServiceEndpoint endpoint;
    private final KafkaStreamsMetrics streamsMetrics;
    private final InputProgressWatch progressWatch;

    private RouterApp(final KafkaStreams streams, final ServiceEndpoint endpoint, final KafkaStreamsMetrics metrics,
                      final InputProgressWatch progressWatch) {
        this.streams = streams;
        this.endpoint = endpoint;
        this.streamsMetrics = metrics;
        this.progressWatch = progressWatch;
    }

    public static void main(final String[] args) {
        final RouterApp app;
        try {
            app = start(RouterConfig.from(Settings.fromEnvironment()));
        } catch (ConfigException e) {
            LOG.error("Router not started: {}", e.getMessage());
            System.exit(2);
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "router-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Checks the environment, builds the topology and starts it. */
    public static RouterApp start(final RouterConfig config) {
        final Topics topics = config.topics();
        final RoutingPolicy policy = config.policyFile().map(PolicyLoader::load).orElseGet(PolicyLoader::loadDefault);
        LOG.info("Routing policy version {} from {}", policy.version(),
                config.policyFile().map(Object::toString).orElse("the bundled default"));
        final List<String> required = new ArrayList<>(List.of(topics.requests().name(), topics.slmRequests().name(),
                topics.gptRequests().name(), topics.deadLetters().name(), topics.volume().name()));
        policy.tier0().all().forEach(c -> LOG.info("Tier-0 classifier {} ({} labels, languages {}) answers its label set on {};"
                + " what it does not answer goes to {}", c.name(), c.labels().size(), c.languages(),
                topics.tier0Requests().name(), policy.tier0().fallbackTier()));
        if (!policy.tier0().all().isEmpty()) {
            required.add(topics.tier0Requests().name());
        }
        TopicCheck.requireTopics(config.kafka(), required);
        final SchemaRegistryClient registry = new RestSchemaRegistryClient(config.schemaRegistryUrl());
        final long start = System.nanoTime();
        final TaskTypeClassifier classifier = config.classifierExamples()
                .map(HashedNgramClassifier::train).orElseGet(HashedNgramClassifier::trainDefault);
        final TieredLanguageDetector languages = TieredLanguageDetector.forLanguages(
                config.detectedLanguages(), config.highAccuracyLanguageDetection());
        LOG.info("Classifier trained and {} language models loaded in {} ms", config.detectedLanguages().size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

        final PrometheusMeterRegistry meters = ServiceEndpoint.newRegistry();
        final RouterMetrics routerMetrics = new RouterMetrics(meters);
        routerMetrics.bindLanguageStages(languages);
        final RouteStep step = new RouteStep(
                config.topics().requests().valueSerde(registry).deserializer(),
                new RequestValidator(config.maxPromptChars()),
                new RoutingDecider(policy, classifier, languages, new TokenEstimator()),
                routerMetrics,
                config.volumeEmitInterval(),
                DedupeSettings.of(config.dedupeWindow(), config.dedupeMaxIds()),
                Clock.systemUTC());
        final KafkaStreams streams = new KafkaStreams(
                RouterTopology.build(config.topics(), registry, step), config.streamsProperties());
        // A thread that dies (say the registry was briefly down) is replaced; its task resumes from the
        // last committed offsets, so nothing is lost or doubled.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        final KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        final ServiceEndpoint endpoint = ServiceEndpoint.start(config.metricsHost(), config.metricsPort(), meters,
                () -> streams.state().isRunningOrRebalancing());
        final InputProgress progress = new InputProgress(config.topics().requests().name(), config.applicationId(),
                config.stallWarnAfter(), System::nanoTime);
        progress.bindTo(meters);
        streams.start();
        final InputProgressWatch progressWatch = InputProgressWatch.start(config.kafka(), progress);
        LOG.info("Router started: {} -> {} / {} (dead letters: {})", config.topics().requests(),
                config.topics().slmRequests(), config.topics().gptRequests(), config.topics().deadLetters());
        return new RouterApp(streams, endpoint, streamsMetrics, progressWatch);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int metricsPort() {
        return endpoint.port();
    }

    @Override
    public void close() {
        LOG.info("Router stopping");
        progressWatch.close();
        streams.close(Duration.ofSeconds(30));
        streamsMetrics.close();
        endpoint.close();
    }
}
