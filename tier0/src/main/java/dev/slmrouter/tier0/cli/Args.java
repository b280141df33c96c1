package dev.slmrouter.tier0.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} and {@code --flag} options; anything unknown is an error naming it. */
final class Args {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    Args(final List<String> args, final Set<String> valueOptions, final Set<String> flagOptions) {
        for (int i = 0; i < args.size(); i++) {
            final String arg = args.get(i);
            if (flagOptions.contains(arg)) {
                flags.add(arg);
            } else if (valueOptions.contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                values.put(arg, args.get(++i));
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
    }

    Optional<String> get(final String name) {
        return Optional.ofNullable(values.get(name));
    }

    String get(final String name, final String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    String required(final String name) {
        return get(name).orElseThrow(() -> new IllegalArgumentException(name + " is required"));
    }

    double number(final String name, final double defaultValue) {
        try {
            return get(name).map(Double::parseDouble).orElse(defaultValue);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got " + values.get(name));
        }
    }

    int integer(final String name, final int defaultValue) {
        try {
            return get(name).map(Integer::parseInt).orElse(defaultValue);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got " + values.get(name));
        }
    }

    boolean flag(final String name) {
        return flags.contains(name);
    }
}
