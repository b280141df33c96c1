package dev.slmrouter.router;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.router.language.LinguaLanguageDetector;
import dev.slmrouter.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The router's configuration, read once at start from {@link Settings} and checked there, so a bad
 * value stops startup with a message that names the key. Every key is listed in the README.
 */
public record RouterConfig(
        Map<String, String> kafka,
        String schemaRegistryUrl,
        String applicationId,
        Optional<Path> policyFile,
        Optional<Path> classifierExamples,
        int maxPromptChars,
        List<String> detectedLanguages,
        boolean highAccuracyLanguageDetection,
        Duration volumeEmitInterval,
        Duration dedupeWindow,
        int dedupeMaxIds,
        Duration stallWarnAfter,
        int streamThreads,
        Duration commitInterval,
        String stateDir,
        String metricsHost,
        int metricsPort,
        Topics topics) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String APPLICATION_ID = "router.application.id";
    public static final String POLICY_FILE = "router.policy.file";
    public static final String CLASSIFIER_EXAMPLES = "router.classifier.examples";
    public static final String MAX_PROMPT_CHARS = "router.max.prompt.chars";
    public static final String LANGUAGES = "router.language.detect";
    public static final String LANGUAGE_ACCURACY = "router.language.accuracy";
    public static final String VOLUME_EMIT_INTERVAL = "router.volume.emit.interval";
    public static final String STREAM_THREADS = "router.stream.threads";
    public static final String DEDUPE_WINDOW = "router.dedupe.window";
    public static final String DEDUPE_MAX_IDS = "router.dedupe.max.ids";
    public static final String STALL_WARN_AFTER = "router.stall.warn.after";
    public static final String COMMIT_INTERVAL = "router.commit.interval";
    public static final String STATE_DIR = "router.state.dir";
    public static final String METRICS_HOST = "router.metrics.host";
    public static final String METRICS_PORT = "router.metrics.port";

    /** Reads and checks every setting. */
    public static RouterConfig from(final Settings settings) {
        final Map<String, String> kafka = settings.withPrefix("kafka.");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("Missing required setting " + Settings.describe("kafka.bootstrap.servers"));
        }
        final String accuracy = settings.string(LANGUAGE_ACCURACY, "high");
        if (!accuracy.equals("high") && !accuracy.equals("low")) {
            throw new ConfigException("Invalid value '" + accuracy + "' for " + Settings.describe(LANGUAGE_ACCURACY)
                    + ": expected high or low");
        }
        return new RouterConfig(
                kafka,
                settings.requiredString(SCHEMA_REGISTRY_URL),
                settings.string(APPLICATION_ID, "slm-router"),
                settings.find(POLICY_FILE).map(Path::of),
                settings.find(CLASSIFIER_EXAMPLES).map(Path::of),
                settings.intValue(MAX_PROMPT_CHARS, 200_000, 1, 10_000_000),
                settings.list(LANGUAGES, LinguaLanguageDetector.DEFAULT_LANGUAGES),
                accuracy.equals("high"),
                settings.duration(VOLUME_EMIT_INTERVAL, Duration.ofSeconds(10)),
                settings.duration(DEDUPE_WINDOW, Duration.ofHours(1)),
                settings.intValue(DEDUPE_MAX_IDS, 1_000_000, 1_000, 100_000_000),
                settings.duration(STALL_WARN_AFTER, Duration.ofMinutes(5)),
                settings.intValue(STREAM_THREADS, 1, 1, 64),
                settings.duration(COMMIT_INTERVAL, Duration.ofMillis(100)),
                settings.string(STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "slm-router-streams").toString()),
                settings.string(METRICS_HOST, "0.0.0.0"),
                settings.intValue(METRICS_PORT, 9401, 0, 65_535),
                Topics.from(settings::string));
    }

    /** The Kafka Streams configuration; each setting that differs from Kafka's default says why. */
    public Properties streamsProperties() {
        final Properties props = new Properties();
        // Client settings first (bootstrap, TLS/SASL, anything else under kafka.*): ours override below.
        props.putAll(kafka);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // A request must land on exactly one of slm/gpt/dlq, even across crashes.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        // Exactly-once commits end a transaction: this bounds the latency readers see (read_committed).
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        // Records wait in batches anyway until the transaction commits; batching costs nothing more.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 1);
        return props;
    }
}
