package dev.slmrouter.benchmarks.slm;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The direct load generator: a closed loop of N client threads, each sending the next pre-serialized
 * chat completion body (the worker's own bodies, see {@link BenchRequests#chatBodies}) to the simulator
 * with OkHttp as soon as its previous answer has been read in full, until the requests run out or the
 * run's time is up. It does nothing with the answers but check the status, so it is as light a client
 * as one can write: what it achieves is the backend's capacity at that concurrency. Completion times
 * are recorded per request; the rate is taken from the first completion to the last.
 */
final class DirectLoad {

    private static final MediaType JSON = MediaType.get("application/json");

    private final String chatUrl;
    private final List<byte[]> bodies;

    DirectLoad(final String baseUrl, final List<byte[]> bodies) {
        this.chatUrl = baseUrl + "/chat/completions";
        this.bodies = bodies;
    }

    Measurement run(final String label, final int concurrency, final int requests, final Duration timeout)
            throws InterruptedException {
        final OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofSeconds(60))
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(concurrency, 30, TimeUnit.SECONDS))
                .build();
        final long[] doneAt = new long[requests];
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final LongAdder clientCpu = new LongAdder();
        final CountDownLatch go = new CountDownLatch(1);
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Thread[] clients = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            clients[t] = new Thread(() -> {
                final long cpuStart = ThreadCpu.currentThreadNanos();
                try {
                    go.await();
                    for (int i = next.getAndIncrement(); i < requests && System.nanoTime() < deadline;
                         i = next.getAndIncrement()) {
                        if (call(http, bodies.get(i % bodies.size()))) {
                            doneAt[i] = System.nanoTime();
                            completed.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    clientCpu.add(ThreadCpu.currentThreadNanos() - cpuStart);
                }
            }, "direct-load-" + t);
            clients[t].setDaemon(true);
            clients[t].start();
        }
        final long processStart = ThreadCpu.processCpuNanos();
        go.countDown();
        for (Thread client : clients) {
            client.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 70_000));
        }
        final long processCpu = ThreadCpu.processCpuNanos() - processStart;
        http.connectionPool().evictAll();
        http.dispatcher().executorService().shutdown();
        final long[] times = Arrays.stream(doneAt).filter(t -> t != 0).sorted().toArray();
        final long window = times.length < 2 ? 0 : times[times.length - 1] - times[0];
        return new Measurement(label, concurrency, times.length, Math.min(1, times.length), window, errors.get(),
                clientCpu.sum(), processCpu, "");
    }

    private boolean call(final OkHttpClient http, final byte[] body) {
        final Request request = new Request.Builder().url(chatUrl).post(RequestBody.create(body, JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            response.body().bytes();
            return response.code() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
