package dev.slmrouter.worker.loop;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The {@link RecordHandler} failed a record instead of completing it with an outcome, and did not recover
 * it. The loop treats this as a bug in the worker: it stops with this exception rather than skip the
 * record (which would lose a request) or retry it forever in place.
 */
public final class HandlerFailedException extends WorkerLoopException {

    private static final long serialVersionUID = 1L;

    public HandlerFailedException(final ConsumerRecord<?, ?> record, final Throwable cause) {
        super("the record handler failed " + record.topic() + "-" + record.partition() + "@" + record.offset()
                + " instead of completing it with an outcome: " + cause, cause);
    }

    public HandlerFailedException(final String message) {
        super(message);
    }
}
