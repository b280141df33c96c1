package dev.slmrouter.worker.loop;

/**
 * Why a {@link WorkerLoop} stopped on its own and will not restart: a missing topic, a handler bug, or too
 * many restarts in a row. Kafka's own fatal errors (a fenced producer, an authorization failure) end the
 * loop as themselves; {@link WorkerLoop#terminated()} completes exceptionally with either.
 */
public class WorkerLoopException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkerLoopException(final String message) {
        super(message);
    }

    public WorkerLoopException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
