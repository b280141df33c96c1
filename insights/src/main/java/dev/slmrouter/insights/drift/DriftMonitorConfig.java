package dev.slmrouter.insights.drift;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.topics.Topics;
import java.util.Map;

/** The drift monitor service's configuration, read and checked once at start (a bad value names its key). */
public record DriftMonitorConfig(Map<String, String> kafka, String schemaRegistryUrl, Topics topics,
                                 DriftSettings drift, String metricsHost, int metricsPort) {

    public static DriftMonitorConfig from(final Settings s) {
        final Map<String, String> kafka = s.withPrefix("kafka.");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("Missing required setting " + Settings.describe("kafka.bootstrap.servers"));
        }
        return new DriftMonitorConfig(kafka, s.requiredString("schema.registry.url"), Topics.from(s::string),
                DriftSettings.from(s), s.string("drift.metrics.host", "0.0.0.0"),
                s.intValue("drift.metrics.port", 9405, 0, 65_535));
    }
}
