package dev.slmrouter.router.classify;

/**
 * A line of a task-examples TSV file that cannot be read. The message names the source and the
 * 1-based line number so that whoever maintains the file can fix it without a debugger.
 */
public final class TaskExampleFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int lineNumber;

    public TaskExampleFormatException(String source, int lineNumber, String problem) {
        super(source + " line " + lineNumber + ": " + problem);
        this.source = source;
        this.lineNumber = lineNumber;
    }

    /** The file or resource name the line came from. */
    public String source() {
        return source;
    }

    /** The 1-based number of the offending line. */
    public int lineNumber() {
        return lineNumber;
    }
}
