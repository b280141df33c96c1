package dev.slmrouter.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A secret (an API key) from the environment or a file, never from a properties file in the repo and
 * never logged: {@code <key>} (e.g. env {@code GPT_API_KEY}) or the file named by {@code <key>.file},
 * which is re-read on every use so a rotated key is picked up without a restart.
 */
public final class Secret {

    private Secret() {
    }

    /** The secret set under {@code key} or in the file named by {@code key.file}; the file wins. */
    public static Optional<Supplier<String>> from(final Settings settings, final String key) {
        final Optional<String> file = settings.find(key + ".file");
        if (file.isPresent()) {
            final Path path = Path.of(file.get());
            if (!Files.isReadable(path)) {
                throw new ConfigException("Cannot read the key file named by " + Settings.describe(key + ".file"));
            }
            return Optional.of(() -> {
                try {
                    return Files.readString(path).trim();
                } catch (IOException e) {
                    // The message names the setting, never the content.
                    throw new UncheckedIOException("Cannot read the key file named by " + key + ".file", e);
                }
            });
        }
        return settings.find(key).map(value -> () -> value);
    }
}
