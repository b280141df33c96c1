package dev.slmrouter.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Settings of a service, 12-factor style: every setting has one dotted key ({@code router.policy.file})
 * that can be given as an environment variable ({@code ROUTER_POLICY_FILE}), as a line of the
 * properties file named by {@code SLM_ROUTER_CONFIG} (or {@code -Dslm.router.config}), or as a JVM
 * system property. Precedence: system property, then environment, then file, then the default.
 * Typed getters fail with a {@link ConfigException} that names the key, so a bad value stops startup
 * with a message an operator can act on.
 */
public final class Settings {

    /** The setting that names an optional properties file. */
    public static final String CONFIG_FILE_KEY = "slm.router.config";

    private final Map<String, String> values;

    private Settings(final Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Settings from the process environment, system properties and the optional config file. */
    public static Settings fromEnvironment() {
        return from(System.getenv(), System.getProperties());
    }

    /** Settings from the given environment and system properties (visible for tests). */
    public static Settings from(final Map<String, String> env, final Properties systemProperties) {
        final Map<String, String> merged = new HashMap<>();
        final String file = Optional.ofNullable(systemProperties.getProperty(CONFIG_FILE_KEY))
                .orElse(env.get(envName(CONFIG_FILE_KEY)));
        if (file != null && !file.isBlank()) {
            merged.putAll(readFile(Path.of(file)));
        }
        env.forEach((name, value) -> merged.put(keyOfEnv(name), value));
        systemProperties.stringPropertyNames().forEach(k -> merged.put(k, systemProperties.getProperty(k)));
        return new Settings(merged);
    }

    /** Settings from an explicit map of dotted keys (tests, embedded use). */
    public static Settings of(final Map<String, String> values) {
        return new Settings(values);
    }

    /** A copy with the given keys set, overriding what is there. */
    public Settings with(final Map<String, String> overrides) {
        final Map<String, String> merged = new HashMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged);
    }

    /** The environment variable that sets {@code key}: upper case, dots become underscores. */
    public static String envName(final String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String keyOfEnv(final String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static Map<String, String> readFile(final Path path) {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("Cannot read the config file " + path + " named by "
                    + CONFIG_FILE_KEY + " / " + envName(CONFIG_FILE_KEY) + ": " + e.getMessage(), e);
        }
        final Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k).trim()));
        return map;
    }

    /** The raw value, if set and not blank. */
    public Optional<String> find(final String key) {
        return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(final String key, final String defaultValue) {
        return find(key).orElse(defaultValue);
    }

    public String requiredString(final String key) {
        return find(key).orElseThrow(() -> new ConfigException("Missing required setting " + describe(key)));
    }

    public int intValue(final String key, final int defaultValue, final int min, final int max) {
        final long value = longValue(key, defaultValue, min, max);
        return (int) value;
    }

    public long longValue(final String key, final long defaultValue, final long min, final long max) {
        final Optional<String> raw = find(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        final long value;
        try {
            value = Long.parseLong(raw.get().replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(key, raw.get(), "a whole number between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw invalid(key, raw.get(), "a whole number between " + min + " and " + max);
        }
        return value;
    }

    public double doubleValue(final String key, final double defaultValue, final double min, final double max) {
        final Optional<String> raw = find(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        final double value;
        try {
            value = Double.parseDouble(raw.get());
        } catch (NumberFormatException e) {
            throw invalid(key, raw.get(), "a number between " + min + " and " + max);
        }
        if (!(value >= min && value <= max)) {
            throw invalid(key, raw.get(), "a number between " + min + " and " + max);
        }
        return value;
    }

    public boolean booleanValue(final String key, final boolean defaultValue) {
        final Optional<String> raw = find(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw invalid(key, raw.get(), "true or false");
        };
    }

    /** A duration in ISO-8601 ({@code PT30S}) or as a number with unit suffix ms, s, m or h. */
    public Duration duration(final String key, final Duration defaultValue) {
        final Optional<String> raw = find(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        final String text = raw.get().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            final long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw invalid(key, raw.get(), "a duration such as 500ms, 30s, 5m, 1h or PT30S");
            };
        } catch (RuntimeException e) {
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw invalid(key, raw.get(), "a duration such as 500ms, 30s, 5m, 1h or PT30S");
        }
    }

    /** A comma-separated list; empty when unset. */
    public List<String> list(final String key, final List<String> defaultValue) {
        return find(key)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(defaultValue);
    }

    /** An enum constant, matched case-insensitively. */
    public <E extends Enum<E>> E enumValue(final String key, final Class<E> type, final E defaultValue) {
        final Optional<String> raw = find(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, raw.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(key, raw.get(), "one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /**
     * Every setting under {@code prefix} with the prefix removed, e.g. {@code kafka.security.protocol}
     * becomes {@code security.protocol}: how TLS/SASL and other client settings reach the Kafka clients.
     */
    public Map<String, String> withPrefix(final String prefix) {
        final Map<String, String> result = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }

    /** {@code key} (env {@code KEY}), for messages. */
    public static String describe(final String key) {
        return key + " (env " + envName(key) + ")";
    }

    private static ConfigException invalid(final String key, final String value, final String expected) {
        return new ConfigException("Invalid value '" + value + "' for " + describe(key) + ": expected " + expected);
    }
}
