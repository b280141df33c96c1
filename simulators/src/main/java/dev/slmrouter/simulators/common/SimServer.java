package dev.slmrouter.simulators.common;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP plumbing shared by both simulators: the JDK's {@link HttpServer} on loopback with a fixed,
 * bounded handler pool (handler threads sleep through simulated generation, so the pool bounds how many
 * requests can be in the server at once), routing by method and path, and a listener that can be closed
 * and reopened on the same port to simulate a server that refuses connections.
 */
public final class SimServer implements AutoCloseable {

    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int BACKLOG = 1024;

    static {
        // The JDK server leaves Nagle's algorithm on; against a client's delayed ACKs every answer then
        // stalls ~40 ms, which would swamp the simulated latency. Read once, when the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Map<String, Endpoint> routes;
    private final Endpoint fallback;
    private final ThreadPoolExecutor pool;
    private final InetAddress host;
    private volatile int port;
    private volatile HttpServer server;

    /**
     * @param routes   keyed by {@code "METHOD /path"}
     * @param fallback answers unknown routes (each API has its own 404 body)
     */
    public SimServer(final String name, final String host, final int port, final int threads,
                     final int queueCapacity, final Map<String, Endpoint> routes, final Endpoint fallback) {
        this.routes = Map.copyOf(routes);
        this.fallback = fallback;
        this.port = port;
        try {
            this.host = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final AtomicInteger ids = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    final Thread t = new Thread(r, name + "-" + ids.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Binds the listener (port 0 picks a free port once; later re-binds reuse it). */
    public synchronized void startListening() {
        if (server != null) {
            return;
        }
        try {
            final HttpServer created = HttpServer.create(new InetSocketAddress(host, port), BACKLOG);
            created.setExecutor(pool);
            created.createContext("/", this::serve);
            created.start();
            port = created.getAddress().getPort();
            server = created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
    }

    /** Closes the listener and open connections; clients get "connection refused" until restarted. */
    public synchronized void stopListening() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public boolean isListening() {
        return server != null;
    }

    public int port() {
        return port;
    }

    public String hostAddress() {
        return host.getHostAddress();
    }

    /** Requests accepted but not yet picked up by a handler thread. */
    public int queuedRequests() {
        return pool.getQueue().size();
    }

    @Override
    public void close() {
        stopListening();
        pool.shutdownNow(); // interrupts handlers sleeping through a simulated generation or a hang
    }

    private void serve(final HttpExchange exchange) {
        try (exchange) {
            final SimHttpRequest request = new SimHttpRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), headers(exchange), readBody(exchange.getRequestBody()));
            final Endpoint endpoint = routes.getOrDefault(request.method() + " " + request.path(), fallback);
            write(exchange, endpoint.handle(request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down: drop the connection without an answer
        } catch (IOException e) {
            // The client went away (timeout, outage); nothing to answer.
        } catch (RuntimeException e) {
            try {
                write(exchange, HttpReply.json(500, "{\"error\":{\"message\":\"simulator bug: "
                        + e.getClass().getSimpleName() + "\",\"type\":\"InternalServerError\",\"param\":null,"
                        + "\"code\":500}}"));
            } catch (IOException ignored) {
                // Headers may already be sent; the connection closes anyway.
            }
        }
    }

    private static Map<String, String> headers(final HttpExchange exchange) {
        final Map<String, String> headers = new HashMap<>();
        for (final Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
            if (!e.getValue().isEmpty()) {
                headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().get(0));
            }
        }
        return headers;
    }

    private static byte[] readBody(final InputStream in) throws IOException {
        final byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new IOException("request body over " + MAX_BODY_BYTES + " bytes");
        }
        return body;
    }

    private static void write(final HttpExchange exchange, final HttpReply reply) throws IOException {
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        final byte[] body = reply.body();
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
