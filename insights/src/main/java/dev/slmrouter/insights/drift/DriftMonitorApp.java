package dev.slmrouter.insights.drift;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.common.kafka.TopicCheck;
import dev.slmrouter.common.metrics.ServiceEndpoint;
import dev.slmrouter.serde.RestSchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The drift monitor service ({@code bin/slm-router drift-monitor}), configured like the other services. */
public final class DriftMonitorApp {

    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitorApp.class);

    private DriftMonitorApp() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final DriftMonitor monitor;
        final ServiceEndpoint endpoint;
        try {
            final DriftMonitorConfig config = DriftMonitorConfig.from(Settings.fromEnvironment());
            final Topics topics = config.topics();
            TopicCheck.requireTopics(config.kafka(), List.of(topics.results().name(), topics.escalations().name(),
                    topics.shadowComparisons().name(), topics.alerts().name()));
            final PrometheusMeterRegistry meters = ServiceEndpoint.newRegistry();
            monitor = new DriftMonitor(config.kafka(), new RestSchemaRegistryClient(config.schemaRegistryUrl()), topics,
                    config.drift(), meters, Clock.systemUTC()).start();
            endpoint = ServiceEndpoint.start(config.metricsHost(), config.metricsPort(), meters, monitor::alive);
        } catch (ConfigException e) {
            LOG.error("drift monitor not started: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            monitor.close();
            endpoint.close();
        }, "drift-monitor-shutdown"));
        while (monitor.alive()) {
            Thread.sleep(1_000);
        }
        System.exit(1);
    }
}
