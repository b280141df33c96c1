package dev.slmrouter.demo.datasets;

import java.nio.file.Path;

/** A data-set file that cannot be read as its format: the message names the file, the line and what is wrong. */
public final class DataSetFormatException extends RuntimeException {

    public DataSetFormatException(final Path file, final long line, final String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }

    public DataSetFormatException(final Path file, final String problem, final Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
