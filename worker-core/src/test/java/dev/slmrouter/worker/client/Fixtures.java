package dev.slmrouter.worker.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Test bodies: this project's own fixtures (classpath, always present) and the real contract files in
 * {@code ../shared/contracts} (system property {@code shared.dir}), which are read in place, never
 * copied; a test that needs one is skipped with a plain "SKIPPED: ..." reason when it is absent.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** An own fixture under {@code src/test/resources/dev/slmrouter/worker/client/}. */
    public static String own(final String relative) {
        final String path = "/dev/slmrouter/worker/client/" + relative;
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file under {@code ../shared/contracts}; the calling test is skipped when it is absent. */
    public static Path contract(final String relative) {
        final Path path = Path.of(System.getProperty("shared.dir", "../../shared"), "contracts", relative);
        if (!Files.isRegularFile(path)) {
            final String reason = "SKIPPED: " + path + " is not present (../shared/contracts is absent)";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return path;
    }

    /** The text of a file under {@code ../shared/contracts}; the calling test is skipped when it is absent. */
    public static String contractText(final String relative) {
        try {
            return Files.readString(contract(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
