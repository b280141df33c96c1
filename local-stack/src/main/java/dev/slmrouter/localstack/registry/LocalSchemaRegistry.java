package dev.slmrouter.localstack.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry (Apicurio Registry 2.4.2, in-memory storage, built by the
 * {@code schema-registry} module) running as a child process on a free loopback port, for tests and the
 * local stack. Clients use its Confluent-compatible REST API at {@link #confluentApiUrl()}. It runs as a
 * separate JVM, not inside the test JVM, because it is a Quarkus application with its own classpath
 * (Kafka 3.3, Avro 1.11, Jackson 2.14) that would clash with ours. {@link #start()} returns once the
 * registry answers {@code /health/ready}; {@link #close()} stops the process, a JVM shutdown hook stops it
 * if the caller never closes it, and the registry stops itself if this JVM dies without running hooks.
 * Data lives in memory only and is lost when the process stops. The process output goes to
 * {@link #logFile()}, not to the console.
 */
public final class LocalSchemaRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSchemaRegistry.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int LOG_TAIL_LINES = 40;
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;
    private final long startupMillis;
    private boolean closed;

    private LocalSchemaRegistry(Process process, int port, Path logFile, Thread shutdownHook, long startupMillis) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.shutdownHook = shutdownHook;
        this.startupMillis = startupMillis;
    }

    /** Starts the registry from the runner jar that {@link RegistryRunnerJar#locate()} finds. */
    public static LocalSchemaRegistry start() {
        return start(RegistryRunnerJar.locate());
    }

    /** Starts the registry from {@code runnerJar} and waits until it is ready. */
    public static LocalSchemaRegistry start(Path runnerJar) {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(runnerJar);
            } catch (PortTakenException e) {
                // The free port we picked was closed before the child bound it; another process took it.
                if (attempt == START_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                LOG.warn("Schema registry could not bind its port, retrying: {}", e.getMessage());
            }
        }
    }

    /** The base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
    public String confluentApiUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    /** The root URL of the registry (Apicurio's own API is under {@code /apis/registry/v2}). */
    public String baseUrl() {
        return "http://" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The process's id, for tests that check it is gone after {@link #close()}. */
    public long pid() {
        return process.pid();
    }

    /** Where the registry's console output goes. */
    public Path logFile() {
        return logFile;
    }

    /** Milliseconds from launching the process to the first ready answer. */
    public long startupMillis() {
        return startupMillis;
    }

    /** Stops the process: SIGTERM, then a forced kill if it has not exited after a few seconds. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; stopping twice is harmless.
        }
        LOG.info("Schema registry on port {} stopped", port);
    }

    private static LocalSchemaRegistry startOnce(Path runnerJar) {
        int port = freePort();
        Path logFile = newLogFile(port);
        List<String> command = command(runnerJar, port);
        long started = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile()) // a file never fills up and blocks the child, unlike a pipe
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the schema registry: " + String.join(" ", command), e);
        }
        // Registered before waiting, so even a test run that dies during the wait leaves no process behind.
        Thread hook = new Thread(() -> stop(process), "schema-registry-shutdown-" + port);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            awaitReady(process, port, logFile);
        } catch (RuntimeException e) {
            stop(process);
            Runtime.getRuntime().removeShutdownHook(hook);
            throw e;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        LOG.info("Schema registry ready on port {} in {} ms (pid {}, log {})", port, millis, process.pid(), logFile);
        return new LocalSchemaRegistry(process, port, logFile, hook, millis);
    }

    private static List<String> command(Path runnerJar, int port) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-Xmx128m");
        // A test fixture serving a few requests: C1 only and the serial collector start it faster on small
        // machines and cut its resident memory by about 30 MB.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Dquarkus.http.host=" + HOST);
        command.add("-Dquarkus.http.port=" + port);
        // The registry stops itself when this JVM is gone, even if it was killed and ran no shutdown hook.
        command.add("-Dslmrouter.registry.parent-pid=" + ProcessHandle.current().pid());
        command.add("-jar");
        command.add(runnerJar.toString());
        return command;
    }

    /** The java launcher of the running JVM, so the registry runs on the same Java as the tests. */
    private static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name").startsWith("Windows") ? "java.exe" : "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static void awaitReady(Process process, int port, Path logFile) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String tail = tail(logFile);
                String message = "Schema registry exited with code " + process.exitValue() + " before it was ready "
                        + "(log " + logFile + "):\n" + tail;
                if (tail.contains("Port already bound") || tail.contains("Address already in use")) {
                    throw new PortTakenException(message);
                }
                throw new IllegalStateException(message);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Schema registry was not ready on port " + port + " after "
                        + READY_TIMEOUT.toSeconds() + " s (log " + logFile + "):\n" + tail(logFile));
            }
            if (answersReady(http, ready)) {
                return;
            }
            sleep(100);
        }
    }

    private static boolean answersReady(HttpClient http, HttpRequest ready) {
        try {
            return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false; // refused, timed out or reset while the HTTP server is still starting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
        }
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free loopback port", e);
        }
    }

    private static Path newLogFile(int port) {
        try {
            // Under the module's target/ when run by Maven (kept with the other test output), else in /tmp.
            Path target = Path.of("target");
            Path dir = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
            return Files.createTempFile(dir, "schema-registry-" + port + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the schema registry's log file", e);
        }
    }

    private static String tail(Path logFile) {
        try {
            // Lenient decoding: a tail with a broken character is still worth showing.
            List<String> lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
        }
    }

    /** The child could not bind the port we picked; worth another try on a new port. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
