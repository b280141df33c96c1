package dev.slmrouter.gpt;

import dev.slmrouter.common.config.ConfigException;
import dev.slmrouter.common.config.Secret;
import dev.slmrouter.common.config.Settings;
import dev.slmrouter.gpt.budget.Budgets;
import dev.slmrouter.gpt.shadow.ShadowSettings;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.cost.TokenPrice;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The GPT worker's configuration, read and checked once at start; every key is in the README. The API
 * key comes from {@code OPENAI_API_KEY} / {@code gpt.api.key} or a file ({@code gpt.api.key.file}) and is
 * never logged: {@link #toString()} only says whether one is set.
 */
public record GptWorkerConfig(
        Map<String, String> kafka,
        String schemaRegistryUrl,
        String baseUrl,
        Optional<Supplier<String>> apiKey,
        String apiKeyHeader,
        Optional<String> organization,
        Optional<String> project,
        String model,
        String spillModel,
        String groupId,
        String transactionalId,
        int maxInFlight,
        Duration commitInterval,
        Duration callTimeout,
        int retries,
        Duration backoffMin,
        Duration backoffMax,
        Duration retryAfterCap,
        long defaultSeed,
        GptPrices prices,
        long requestsPerMinute,
        long tokensPerMinute,
        Duration rateWindow,
        int outputTokensEstimate,
        Budgets budgets,
        Duration shutdownGrace,
        String metricsHost,
        int metricsPort,
        ShadowSettings shadow,
        Topics topics) {

    public static GptWorkerConfig from(final Settings s) {
        final Map<String, String> kafka = s.withPrefix("kafka.");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("Missing required setting " + Settings.describe("kafka.bootstrap.servers"));
        }
        return new GptWorkerConfig(
                kafka,
                s.requiredString("schema.registry.url"),
                s.string("gpt.base.url", "https://api.openai.com/v1"),
                apiKey(s),
                apiKeyHeader(s),
                s.find("gpt.organization"),
                s.find("gpt.project"),
                s.string("gpt.model", "gpt-4o"),
                s.string("gpt.model.spill", "gpt-4o-mini"),
                s.string("gpt.group.id", "gpt-worker"),
                s.string("gpt.transactional.id", "gpt-worker-" + System.getenv().getOrDefault("HOSTNAME", "local")),
                s.intValue("gpt.max.in.flight", 16, 1, 1_024),
                s.duration("gpt.commit.interval", Duration.ofMillis(100)),
                s.duration("gpt.timeout", Duration.ofSeconds(120)),
                s.intValue("gpt.retries", 2, 0, 10),
                s.duration("gpt.backoff.min", Duration.ofMillis(500)),
                s.duration("gpt.backoff.max", Duration.ofSeconds(8)),
                s.duration("gpt.retry.after.cap", Duration.ofSeconds(30)),
                s.longValue("gpt.seed", 42, Long.MIN_VALUE, Long.MAX_VALUE),
                new GptPrices(prices(s)),
                s.longValue("gpt.rate.rpm", 0, 0, Long.MAX_VALUE),
                s.longValue("gpt.rate.tpm", 0, 0, Long.MAX_VALUE),
                s.duration("gpt.rate.window", Duration.ofMinutes(1)),
                s.intValue("gpt.output.tokens.estimate", 256, 1, 1_000_000),
                Budgets.from(s),
                s.duration("gpt.shutdown.grace", Duration.ofSeconds(30)),
                s.string("gpt.metrics.host", "0.0.0.0"),
                s.intValue("gpt.metrics.port", 9403, 0, 65_535),
                ShadowSettings.from(s, s.string("gpt.model", "gpt-4o")),
                Topics.from(s::string));
    }

    /** From GPT_API_KEY, OPENAI_API_KEY or the file named by GPT_API_KEY_FILE. */
    private static Optional<Supplier<String>> apiKey(final Settings s) {
        return Secret.from(s, "gpt.api.key").or(() -> Secret.from(s, "openai.api.key"));
    }

    /** How the key is sent: {@code authorization} (Bearer, OpenAI) or {@code api-key} (Azure OpenAI). */
    private static String apiKeyHeader(final Settings s) {
        final String header = s.string("gpt.api.key.header", "authorization").toLowerCase(java.util.Locale.ROOT);
        if (!header.equals("authorization") && !header.equals("api-key")) {
            throw new ConfigException("Invalid value '" + header + "' for " + Settings.describe("gpt.api.key.header")
                    + ": expected authorization (OpenAI: Bearer token) or api-key (Azure OpenAI)");
        }
        return header;
    }

    /** {@code gpt.price.<model>=<input>/<output>} in USD per million tokens. */
    private static Map<String, TokenPrice> prices(final Settings s) {
        final Map<String, TokenPrice> prices = new HashMap<>();
        s.withPrefix("gpt.price.").forEach((model, value) -> {
            final String[] parts = value.split("/");
            try {
                prices.put(model, new TokenPrice(Double.parseDouble(parts[0].trim()),
                        Double.parseDouble(parts[1].trim())));
            } catch (RuntimeException e) {
                throw new ConfigException("Invalid value '" + value + "' for " + Settings.describe("gpt.price." + model)
                        + ": expected <input>/<output> USD per million tokens, e.g. 2.50/10.00");
            }
        });
        return prices;
    }

    @Override
    public String toString() {
        return "GptWorkerConfig[baseUrl=" + baseUrl + ", model=" + model + ", spillModel=" + spillModel
                + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)") + ", maxInFlight=" + maxInFlight + ", rpm=" + requestsPerMinute + ", tpm=" + tokensPerMinute + ", " + budgets + "]";
    }
}
