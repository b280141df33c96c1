package dev.slmrouter.tier0.worker;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tier-0 worker's configuration, read and checked once at start; a bad value stops startup with a
 * message naming the key. Every key is documented in the README ("Tier 0 classifier").
 */
public record Tier0WorkerConfig(
        Map<String, String> kafka,
        String schemaRegistryUrl,
        List<Path> models,
        OptionalDouble threshold,
        Set<String> languages,
        String groupId,
        String transactionalId,
        int threads,
        int maxInFlight,
        Duration commitInterval,
        String metricsHost,
        int metricsPort,
        Topics topics) {

    public static final double DEFAULT_THRESHOLD = 0.9;

    public static Tier0WorkerConfig from(final Settings s) {
        final Map<String, String> kafka = s.withPrefix("kafka.");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("Missing required setting " + Settings.describe("kafka.bootstrap.servers"));
        }
        final List<Path> models = s.list("tier0.models", List.of()).stream().map(Path::of).toList();
        if (models.isEmpty()) {
            throw new ConfigException("Missing required setting " + Settings.describe("tier0.models")
                    + ": a comma-separated list of classifier files made by 'tier0 train'");
        }
        final OptionalDouble threshold = s.find("tier0.confidence.threshold").isPresent()
                ? OptionalDouble.of(s.doubleValue("tier0.confidence.threshold", DEFAULT_THRESHOLD, 0, 1))
                : OptionalDouble.empty();
        final Set<String> languages = s.list("tier0.languages", List.of("en")).stream()
                .map(l -> l.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        return new Tier0WorkerConfig(
                kafka,
                s.requiredString("schema.registry.url"),
                models,
                threshold,
                languages,
                s.string("tier0.group.id", "tier0-worker"),
                s.string("tier0.transactional.id", "tier0-worker-" + hostName()),
                s.intValue("tier0.threads", 1, 1, 256),
                s.intValue("tier0.max.in.flight", 64, 1, 4_096),
                s.duration("tier0.commit.interval", Duration.ofMillis(100)),
                s.string("tier0.metrics.host", "0.0.0.0"),
                s.intValue("tier0.metrics.port", 9404, 0, 65_535),
                Topics.from(s::string));
    }

    private static String hostName() {
        final String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "local" : host;
    }
}
