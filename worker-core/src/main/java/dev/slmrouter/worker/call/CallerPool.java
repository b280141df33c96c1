package dev.slmrouter.worker.call;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a worker makes its blocking backend calls on: a fixed pool as large as the worker's
 * in-flight limit, of daemon threads named after the worker so thread dumps say who is waiting on what.
 */
public final class CallerPool {

    private CallerPool() {
    }

    /** A fixed pool: {@code size} threads, tasks beyond them wait in an unbounded queue. */
    public static ThreadPoolExecutor create(final String name, final int size) {
        final AtomicInteger threadNo = new AtomicInteger();
        return new ThreadPoolExecutor(size, size, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            final Thread t = new Thread(r, name + "-call-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
