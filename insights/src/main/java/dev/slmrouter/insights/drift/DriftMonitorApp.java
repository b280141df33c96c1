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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The drift monitor service: {@code insights/bin/insights drift}, configured like the other services. */
public final class DriftMonitorApp {

    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitorApp.class);

    private DriftMonitorApp() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final Settings s = Settings.fromEnvironment();
        final DriftMonitor monitor;
        final ServiceEndpoint endpoint;
        try {
            final Map<String, String> kafka = s.withPrefix("kafka.");
            if (!kafka.containsKey("bootstrap.servers")) {
                throw new ConfigException("Missing required setting " + Settings.describe("kafka.bootstrap.servers"));
            }
            final Topics topics = Topics.from(s::string);
            final DriftSettings settings = DriftSettings.from(s);
            final String registryUrl = s.requiredString("schema.registry.url");
            final String host = s.string("drift.metrics.host", "0.0.0.0");
            final int port = s.intValue("drift.metrics.port", 9405, 0, 65_535);
            TopicCheck.requireTopics(kafka, List.of(topics.results().name(), topics.escalations().name(),
                    topics.shadowComparisons().name(), topics.alerts().name()));
            final PrometheusMeterRegistry meters = ServiceEndpoint.newRegistry();
            monitor = new DriftMonitor(kafka, new RestSchemaRegistryClient(registryUrl), topics, settings, meters,
                    Clock.systemUTC()).start();
            endpoint = ServiceEndpoint.start(host, port, meters, monitor::alive);
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
