package dev.slmrouter.slm;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Secret;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.slm.health.DownPolicy;
import dev.slmrouter.slm.judge.ConfidenceThresholds;
import dev.slmrouter.slm.prompt.PromptTemplates;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.answer.Confidence;
import dev.slmrouter.worker.cost.TokenPrice;
import dev.slmrouter.worker.shadow.ShadowPolicy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SLM worker's configuration, read and checked once at start; a bad value stops startup with a
 * message naming the key. Every key is documented in the README.
 */
public record SlmWorkerConfig(
        Map<String, String> kafka,
        String schemaRegistryUrl,
        String baseUrl,
        String model,
        Optional<Supplier<String>> apiKey,
        String groupId,
        String transactionalId,
        int maxInFlight,
        int callQueue,
        int batchSize,
        Duration batchMaxWait,
        Duration commitInterval,
        Duration callTimeout,
        int callRetries,
        ConfidenceThresholds thresholds,
        Confidence.Method confidenceMethod,
        int schemaRetries,
        long defaultSeed,
        double defaultTemperature,
        int defaultMaxTokens,
        int topLogprobs,
        boolean structuredOutputs,
        PromptTemplates prompts,
        TokenPrice prices,
        Map<LatencyClass, DownPolicy> downPolicies,
        Duration spillGrace,
        int breakerFailures,
        Duration breakerProbeInterval,
        Duration warmupTimeout,
        String metricsHost,
        int metricsPort,
        ShadowPolicy shadow,
        Topics topics) {

    public static SlmWorkerConfig from(final Settings s) {
        final Map<String, String> kafka = s.withPrefix("kafka.");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("Missing required setting " + Settings.describe("kafka.bootstrap.servers"));
        }
        final ConfidenceThresholds thresholds;
        try {
            thresholds = ConfidenceThresholds.parse(s.doubleValue("slm.confidence.threshold", 0.85, 0, 1),
                    s.string("slm.confidence.thresholds", ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value for " + Settings.describe("slm.confidence.thresholds") + ": "
                    + e.getMessage(), e);
        }
        final String constrain = s.string("slm.constrain", "response_format");
        if (!constrain.equals("response_format") && !constrain.equals("structured_outputs")) {
            throw new ConfigException("Invalid value '" + constrain + "' for " + Settings.describe("slm.constrain")
                    + ": expected response_format or structured_outputs");
        }
        final Map<LatencyClass, DownPolicy> down = new EnumMap<>(LatencyClass.class);
        down.put(LatencyClass.BATCH, s.enumValue("slm.down.policy.batch", DownPolicy.class, DownPolicy.HOLD));
        down.put(LatencyClass.INTERACTIVE,
                s.enumValue("slm.down.policy.interactive", DownPolicy.class, DownPolicy.SPILL));
        return new SlmWorkerConfig(
                kafka,
                s.requiredString("schema.registry.url"),
                s.string("slm.base.url", "http://127.0.0.1:8000/v1"),
                s.string("slm.model", "Qwen/Qwen2.5-7B-Instruct"),
                apiKey(s),
                s.string("slm.group.id", "slm-worker"),
                s.string("slm.transactional.id", "slm-worker-" + hostName()),
                s.intValue("slm.max.in.flight", 32, 1, 4_096),
                s.intValue("slm.call.queue", 8, 0, 4_096),
                s.intValue("slm.batch.size", 1, 1, 4_096),
                s.duration("slm.batch.max.wait", Duration.ofMillis(5)),
                s.duration("slm.commit.interval", Duration.ofMillis(100)),
                s.duration("slm.timeout", Duration.ofSeconds(60)),
                s.intValue("slm.call.retries", 2, 0, 10),
                thresholds,
                s.enumValue("slm.confidence.method", Confidence.Method.class, Confidence.Method.GEOMETRIC_MEAN),
                s.intValue("slm.schema.retries", 1, 0, 5),
                s.longValue("slm.seed", 42, Long.MIN_VALUE, Long.MAX_VALUE),
                s.doubleValue("slm.temperature", 0.0, 0, 2),
                s.intValue("slm.max.tokens", 512, 1, 1_000_000),
                s.intValue("slm.top.logprobs", 0, 0, 20),
                constrain.equals("structured_outputs"),
                new PromptTemplates(prompts(s)),
                prices(s),
                down,
                s.duration("slm.spill.grace", Duration.ofSeconds(30)),
                s.intValue("slm.breaker.failures", 5, 1, 1_000),
                s.duration("slm.breaker.probe.interval", Duration.ofSeconds(2)),
                s.duration("slm.warmup.timeout", Duration.ofMinutes(5)),
                s.string("slm.metrics.host", "0.0.0.0"),
                s.intValue("slm.metrics.port", 9402, 0, 65_535),
                shadow(s),
                Topics.from(s::string));
    }

    /** Shadow mode: the sample rates per task type and tenant, and the shadow-only stage. */
    private static ShadowPolicy shadow(final Settings s) {
        final double rate = s.doubleValue("slm.shadow.sample.rate", 0, 0, 1);
        final String rates = s.string("slm.shadow.sample.rates", "");
        try {
            ShadowPolicy.parse(rate, rates, "");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value for " + Settings.describe("slm.shadow.sample.rates") + ": "
                    + e.getMessage(), e);
        }
        try {
            return ShadowPolicy.parse(rate, rates, s.string("slm.shadow.only", ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value for " + Settings.describe("slm.shadow.only") + ": "
                    + e.getMessage(), e);
        }
    }

    /** From SLM_API_KEY or the file named by SLM_API_KEY_FILE. */
    private static Optional<Supplier<String>> apiKey(final Settings s) {
        return Secret.from(s, "slm.api.key");
    }

    private static Map<TaskType, String> prompts(final Settings s) {
        final Map<TaskType, String> prompts = new EnumMap<>(TaskType.class);
        for (TaskType type : TaskType.values()) {
            s.find("slm.prompt." + type.name().toLowerCase(Locale.ROOT)).ifPresent(p -> prompts.put(type, p));
        }
        return prompts;
    }

    private static TokenPrice prices(final Settings s) {
        if (s.find("slm.gpu.usd.per.hour").isPresent()) {
            return TokenPrice.gpuHour(s.doubleValue("slm.gpu.usd.per.hour", 0, 0, 10_000),
                    s.doubleValue("slm.gpu.tokens.per.second", 2_500, 1, 10_000_000));
        }
        return new TokenPrice(s.doubleValue("slm.price.input.per.million", 0.05, 0, 1_000),
                s.doubleValue("slm.price.output.per.million", 0.10, 0, 1_000));
    }

    private static String hostName() {
        final String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "local" : host;
    }

    @Override
    public String toString() {
        // Never print the key supplier's value: say only whether one is configured.
        return "SlmWorkerConfig[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey.isPresent() ? "(set)" : "(none)") + ", maxInFlight=" + maxInFlight + "]";
    }
}
