package dev.slmrouter.insights.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} options of one command; an unknown option or a missing value is a usage error. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(final List<String> args, final Set<String> known, final Set<String> flags) {
        for (int i = 0; i < args.size(); i++) {
            final String name = args.get(i);
            if (flags.contains(name)) {
                values.put(name, "true");
            } else if (known.contains(name)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(name + " needs a value");
                }
                values.put(name, args.get(++i));
            } else {
                throw new UsageException("unknown option " + name);
            }
        }
    }

    Optional<String> get(final String name) {
        return Optional.ofNullable(values.get(name));
    }

    String get(final String name, final String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    boolean flag(final String name) {
        return values.containsKey(name);
    }

    double fraction(final String name, final double defaultValue) {
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

    double number(final String name, final double defaultValue) {
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

    /** An ISO-8601 instant ({@code 2026-11-28T10:00:00Z}), a date ({@code 2026-11-28}, midnight UTC) or {@code -7d} / {@code -12h} before now. */
    Instant instant(final String name, final Instant defaultValue, final Instant now) {
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

    /** A command-line mistake: exit code 2 with the message. */
    static final class UsageException extends RuntimeException {
        UsageException(final String message) {
            super(message);
        }
    }
}
