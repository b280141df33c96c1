package dev.slmrouter.localstack.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the runner jar of the {@code schema-registry} module, the one file {@link LocalSchemaRegistry}
 * starts. In order: system property {@value #PROPERTY} (Maven's surefire sets it for every module), then
 * environment variable {@value #ENV} (for IDE runs and scripts), then a search upward from the working
 * directory for {@code schema-registry/target/schema-registry-*-runner.jar}. A missing jar is an error that
 * says how to build it, never a silent skip: a suite that skips its registry tests tests nothing.
 */
public final class RegistryRunnerJar {

    public static final String PROPERTY = "registry.runner.jar";
    public static final String ENV = "SLM_ROUTER_REGISTRY_JAR";
    static final String BUILD_HINT = "build it with `./mvnw -pl schema-registry package` (from the repository root)";

    private RegistryRunnerJar() {
    }

    /** The runner jar for the current JVM's settings. */
    public static Path locate() {
        return locate(System.getProperty(PROPERTY), System.getenv(ENV), Path.of("").toAbsolutePath());
    }

    /**
     * The runner jar given an explicit setting (property or environment; blank means unset) and a
     * directory to search upward from. An explicit setting that names no file is an error rather than a
     * reason to fall back to the search, so a wrong setting is never hidden by a stale jar elsewhere.
     */
    static Path locate(String property, String env, Path searchFrom) {
        Optional<Path> explicit = explicit(property, "system property " + PROPERTY)
                .or(() -> explicit(env, "environment variable " + ENV));
        if (explicit.isPresent()) {
            return explicit.get();
        }
        for (Path dir = searchFrom; dir != null; dir = dir.getParent()) {
            Optional<Path> jar = newestRunnerIn(dir.resolve("schema-registry").resolve("target"));
            if (jar.isPresent()) {
                return jar.get();
            }
        }
        throw new IllegalStateException("No schema registry runner jar (schema-registry/target/schema-registry-*-runner.jar)"
                + " found above " + searchFrom + ", and neither " + PROPERTY + " nor " + ENV + " is set: "
                + BUILD_HINT + ".");
    }

    private static Optional<Path> explicit(String value, String source) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path jar = Path.of(value.trim()).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The schema registry runner jar " + jar + " (from " + source
                    + ") does not exist: " + BUILD_HINT + ".");
        }
        return Optional.of(jar);
    }

    private static Optional<Path> newestRunnerIn(Path target) {
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            // Several versions can sit side by side after a version bump; the newest build is the one meant.
            return files.filter(RegistryRunnerJar::isRunnerJar)
                    .max(Comparator.comparing(RegistryRunnerJar::lastModified));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + target, e);
        }
    }

    private static boolean isRunnerJar(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("schema-registry-") && name.endsWith("-runner.jar") && Files.isRegularFile(file);
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
