package dev.slmrouter.common.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code --name value} and {@code --flag} options of one command (the tier0 and insights commands);
 * an unknown option, a missing value or a value of the wrong kind is a {@link UsageException} naming the
 * option.
 */
public final class CommandArgs {

    /** A command-line mistake: the command prints the message and exits with code 2. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(final String message) {
            super(message);
        }
    }

    private final Map<String, String> values = new HashMap<>();

    /**
     * @param valueOptions the options that take a value
     * @param flagOptions  the options that stand alone
     */
    public CommandArgs(final List<String> args, final Set<String> valueOptions, final Set<String> flagOptions) {
        for (int i = 0; i < args.size(); i++) {
            final String name = args.get(i);
            if (flagOptions.contains(name)) {
                values.put(name, "true");
            } else if (valueOptions.contains(name)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(name + " needs a value");
                }
                values.put(name, args.get(++i));
            } else {
                throw new UsageException("unknown option " + name);
            }
        }
    }

    public Optional<String> get(final String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String get(final String name, final String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public String required(final String name) {
        return get(name).orElseThrow(() -> new UsageException(name + " is required"));
    }

    public boolean flag(final String name) {
        return values.containsKey(name);
    }

    public double number(final String name, final double defaultValue) {
        final String text = values.get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number, not '" + text + "'");
        }
    }

    public int integer(final String name, final int defaultValue) {
        final String text = values.get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, not '" + text + "'");
        }
    }

    /** A number strictly between 0 and 1. */
    public double fraction(final String name, final double defaultValue) {
        final String text = values.get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            final double v = Double.parseDouble(text);
            if (v > 0 && v < 1) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(name + " needs a number between 0 and 1, not '" + text + "'");
    }

    /** An ISO-8601 instant ({@code 2026-11-28T10:00:00Z}), a date ({@code 2026-11-28}, midnight UTC) or {@code -7d} / {@code -12h} / {@code -30m} before now. */
    public Instant instant(final String name, final Instant defaultValue, final Instant now) {
        final String text = values.get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            if (text.startsWith("-")) {
                final String unit = text.substring(text.length() - 1);
                final long amount = Long.parseLong(text.substring(1, text.length() - 1));
                return now.minus(switch (unit) {
                    case "d" -> Duration.ofDays(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> throw new NumberFormatException(unit);
                });
            }
            if (text.length() == 10) {
                return Instant.parse(text + "T00:00:00Z");
            }
            return Instant.parse(text);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new UsageException(name + " needs an instant (2026-11-28T10:00:00Z), a date (2026-11-28) or -7d / -12h, not '"
                    + text + "'");
        }
    }
}
