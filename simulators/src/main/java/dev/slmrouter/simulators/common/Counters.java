package dev.slmrouter.simulators.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request counters of one simulator plus a bounded log of the most recent request bodies, so a
 * test can assert what a client actually sent (seed, logprobs, response_format) without a proxy.
 */
public final class Counters {

    private static final int LOG_SIZE = 256;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Deque<JsonNode> recent = new ArrayDeque<>();

    /** Counts an arriving completion request and returns its 0-based arrival number. */
    public long arrived() {
        return received.getAndIncrement();
    }

    public void record(final JsonNode body) {
        synchronized (recent) {
            if (recent.size() == LOG_SIZE) {
                recent.removeFirst();
            }
            recent.addLast(body);
        }
    }

    /** Counts the outcome of a completion request by its status. */
    public HttpReply finished(final HttpReply reply) {
        (reply.status() == 200 ? served : errors).incrementAndGet();
        return reply;
    }

    /** The last (up to 256) completion request bodies, oldest first. */
    public List<JsonNode> recentRequests() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public SimStats snapshot(final LoadModel load) {
        return new SimStats(received.get(), served.get(), errors.get(), load.running(), load.waiting(),
                load.maxRunningObserved());
    }
}
