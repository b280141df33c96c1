package dev.slmrouter.demo;

import java.nio.file.Path;

/**
 * Paths typed on the command line. {@code bin/slm-router} changes to the repository root before it
 * starts Java, and passes the folder it was called from as {@value #CALLER_DIR}; a relative path the
 * user typed is resolved against that folder, so {@code --file requests.jsonl} means the file where
 * the user is, not one in the repository.
 */
public final class UserPaths {

    /** System property naming the folder the command was started from. */
    public static final String CALLER_DIR = "slm.router.caller.dir";

    private UserPaths() {
    }

    public static Path resolve(final String typed) {
        final Path path = Path.of(typed);
        if (path.isAbsolute()) {
            return path;
        }
        final String caller = System.getProperty(CALLER_DIR);
        return (caller == null || caller.isBlank() ? Path.of("") : Path.of(caller)).resolve(path).toAbsolutePath()
                .normalize();
    }
}
