package dev.slmrouter.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service (router, SLM worker or GPT worker) as a child JVM started from its module's classpath,
 * the way {@code bin/slm-router} starts it: settings as system properties, secrets in the environment
 * (never on the command line), output to a log file per start. It can be killed like a crashed machine
 * ({@code kill -9}) and started again with the same settings, which is what the fault suite does.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Pattern HEAP = Pattern.compile(
            "^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} ([0-9.E+-]+)$", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path root;
    private final String module;
    private final String mainClass;
    private final String heap;
    private final Map<String, String> settings;
    private final Map<String, String> environment;
    private final int metricsPort;
    private final Path logDir;
    private Process process;
    private int starts;
    private long peakHeapBytes;

    ServiceProcess(final String name, final Path root, final String module, final String mainClass, final String heap,
                   final Map<String, String> settings, final Map<String, String> environment, final int metricsPort,
                   final Path logDir) {
        this.name = name;
        this.root = root;
        this.module = module;
        this.mainClass = mainClass;
        this.heap = heap;
        this.settings = settings;
        this.environment = environment;
        this.metricsPort = metricsPort;
        this.logDir = logDir;
    }

    String name() {
        return name;
    }

    int metricsPort() {
        return metricsPort;
    }

    /** Starts the JVM; returns at once (see {@link #awaitHealthy}). */
    synchronized void start() {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        starts++;
        final ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + "-" + starts + ".log").toFile());
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private String classpath() {
        final Path moduleDir = root.resolve(module);
        final Path file = moduleDir.resolve("target/classpath.txt");
        try {
            return moduleDir.resolve("target/classes") + java.io.File.pathSeparator + Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("no " + file + ": build the project first (./mvnw -B -ntp verify)", e);
        }
    }

    /** {@code kill -9}: the process dies at once, nothing is closed, committed or left gracefully. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits until {@code /health} answers 200; returns how long that took, or throws after {@code timeout}. */
    Duration awaitHealthy(final Duration timeout) throws InterruptedException {
        final long start = System.nanoTime();
        final long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see its log in " + logDir);
            }
            if (get("/health").map(r -> r.statusCode() == 200).orElse(false)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not healthy within " + timeout + "; see its log in " + logDir);
    }

    /** Reads the heap in use from {@code /metrics} and keeps the peak. */
    void sampleHeap() {
        get("/metrics").ifPresent(response -> {
            long sum = 0;
            final Matcher m = HEAP.matcher(response.body());
            while (m.find()) {
                sum += (long) Double.parseDouble(m.group(1));
            }
            synchronized (this) {
                peakHeapBytes = Math.max(peakHeapBytes, sum);
            }
        });
    }

    synchronized long peakHeapBytes() {
        return peakHeapBytes;
    }

    String metrics() {
        return get("/metrics").map(HttpResponse::body).orElse("");
    }

    private java.util.Optional<HttpResponse<String>> get(final String path) {
        try {
            return java.util.Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** Stops gracefully (SIGTERM, the shutdown hook closes the service), else kills after 40 s. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(40, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
