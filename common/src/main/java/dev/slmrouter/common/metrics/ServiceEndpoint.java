package dev.slmrouter.common.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint every service exposes: {@code /metrics} in Prometheus text format and
 * {@code /health} (200 when the service is healthy, 503 otherwise) for liveness probes and the local
 * stack. Built on the JDK's HTTP server so services carry no web framework.
 */
public final class ServiceEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceEndpoint.class);

    private final HttpServer server;

    private ServiceEndpoint(final HttpServer server) {
        this.server = server;
    }

    /** The registry every service exposes: its own meters plus the JVM's memory and GC meters. */
    public static PrometheusMeterRegistry newRegistry() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        return registry;
    }

    /** Starts serving on {@code host:port} (port 0 picks a free one). */
    public static ServiceEndpoint start(final String host, final int port,
                                        final PrometheusMeterRegistry registry, final BooleanSupplier healthy) {
        try {
            final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.createContext("/metrics", exchange ->
                    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
            server.createContext("/health", exchange -> {
                final boolean up = healthy.getAsBoolean();
                respond(exchange, up ? 200 : 503, "application/json",
                        up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
            });
            server.start();
            LOG.info("Serving /metrics and /health on http://{}:{}", host, server.getAddress().getPort());
            return new ServiceEndpoint(server);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open the metrics endpoint on " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(final HttpExchange exchange, final int status, final String contentType,
                                final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
