package dev.slmrouter.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests read: the compose file, the README, bin/ and every module's sources. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        final String configured = System.getProperty("repo.root");
        final Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
            throw new IllegalStateException("No docker-compose.yml in " + root + " (system property repo.root)");
        }
        return root;
    }

    static Path path(final String relative) {
        return root().resolve(relative).normalize();
    }

    static String read(final String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
