package dev.slmrouter.simulators.common;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings for a simulator's {@code main}: {@code --name=value} arguments win over environment variables
 * named {@code PREFIX_NAME} (upper case, dashes as underscores), which win over the default. Durations
 * are given in milliseconds.
 */
public final class CliArgs {

    private final Map<String, String> args = new HashMap<>();
    private final Map<String, String> env;
    private final String prefix;

    public CliArgs(final String[] argv, final Map<String, String> env, final String prefix) {
        this.env = Map.copyOf(env);
        this.prefix = prefix;
        for (final String arg : argv) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got: " + arg);
            }
            args.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
    }

    public String get(final String name, final String fallback) {
        final String fromArgs = args.get(name);
        if (fromArgs != null) {
            return fromArgs;
        }
        final String fromEnv = env.get(prefix + "_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        return fromEnv != null ? fromEnv : fallback;
    }

    public int integer(final String name, final int fallback) {
        return Integer.parseInt(get(name, Integer.toString(fallback)));
    }

    public double decimal(final String name, final double fallback) {
        return Double.parseDouble(get(name, Double.toString(fallback)));
    }

    public Duration millis(final String name, final Duration fallback) {
        final String fallbackMillis = Double.toString(fallback.toNanos() / 1e6);
        return Duration.ofNanos((long) (Double.parseDouble(get(name, fallbackMillis)) * 1_000_000));
    }
}
