package dev.slmrouter.worker.call;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a worker makes its blocking backend calls on: a fixed pool as large as the worker's
 * in-flight limit, of daemon threads named after the worker so thread dumps say who is waiting on what.
 */
public final class CallerPool {

    private CallerPool() {
    }

    public static ExecutorService create(final String name, final int size) {
        final AtomicInteger threadNo = new AtomicInteger();
        return Executors.newFixedThreadPool(size, r -> {
            final Thread t = new Thread(r, name + "-call-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
