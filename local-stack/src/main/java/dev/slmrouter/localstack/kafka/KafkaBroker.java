package dev.slmrouter.localstack.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka 4.4 broker (KRaft, broker and controller in one node) running inside the
 * current JVM, for tests and for the local demo stack. It listens on loopback only, uses replication
 * factor 1 everywhere so transactions and consumer groups work on one node, and keeps its data in a
 * temporary directory that is deleted on {@link #close()} unless a log directory was given (then the data
 * survives, so a new broker on the same directory sees the same topics and offsets). Start it with
 * {@link #start()} or {@link #builder()}. Starting a broker replaces Kafka's JVM-wide exit and halt
 * procedures with ones that throw, because a fatal broker fault must not kill the JVM that hosts it.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String HOST = "127.0.0.1";

    private final KafkaRaftServer server;
    private final Admin admin;
    private final String bootstrapServers;
    private final Path logDir;
    private final boolean deleteLogDirOnClose;
    private final long startupMillis;
    private volatile String saslBootstrapServers;
    private boolean closed;

    private KafkaBroker(KafkaRaftServer server, Admin admin, String bootstrapServers, Path logDir,
                        boolean deleteLogDirOnClose, long startupMillis) {
        this.server = server;
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
        this.deleteLogDirOnClose = deleteLogDirOnClose;
        this.startupMillis = startupMillis;
    }

    /** Starts a broker on free loopback ports with a temporary log directory. */
    public static KafkaBroker start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}. */
    /**
     * The SASL_PLAINTEXT (mechanism PLAIN) listener's address, when the broker was built with
     * {@link Builder#saslPlainUser}; clients there must log in with one of its users.
     */
    public String saslBootstrapServers() {
        if (saslBootstrapServers == null) {
            throw new IllegalStateException("this broker has no SASL listener (see Builder.saslPlainUser)");
        }
        return saslBootstrapServers;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    /** Milliseconds from {@link Builder#start()} until the broker answered an admin request. */
    public long startupMillis() {
        return startupMillis;
    }

    /**
     * Creates topics with the delete cleanup policy. A topic that already exists is left as it is, so the
     * demo can re-run against a kept log directory; tests on a shared broker should use unique names.
     */
    public void createTopics(Map<String, Integer> partitionsByName) {
        createTopics(newTopics(partitionsByName, Map.of()));
    }

    /** Creates compacted topics (like {@link #createTopics(Map)}, existing ones are left as they are). */
    public void createCompactedTopics(Map<String, Integer> partitionsByName) {
        createTopics(newTopics(partitionsByName,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    /**
     * Creates the given topics and waits until every partition has a leader that answers; existing
     * topics are left as they are. (A send right after creation can otherwise meet NOT_LEADER and, under
     * load, lose its batch to an out-of-order sequence error.)
     */
    public void createTopics(Collection<NewTopic> topics) {
        admin.createTopics(topics).values().forEach(KafkaBroker::awaitCreated);
        final Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        topics.forEach(t -> {
            for (int p = 0; p < t.numPartitions(); p++) {
                partitions.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
            }
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + topics + " have no answering leader", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic leaders", e);
            }
        }
    }

    private static void awaitCreated(String name, KafkaFuture<Void> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("creating topic " + name + " failed", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + name + " timed out", e);
        }
    }

    private static List<NewTopic> newTopics(Map<String, Integer> partitionsByName, Map<String, String> configs) {
        final List<NewTopic> topics = new ArrayList<>();
        partitionsByName.forEach((name, partitions) ->
                topics.add(new NewTopic(name, partitions, (short) 1).configs(configs)));
        return topics;
    }

    /** Same as {@link #close()}. */
    public void stop() {
        close();
    }

    /** Shuts the broker down, waits for it, and deletes the log directory if it was temporary. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        admin.close(Duration.ofSeconds(5));
        server.shutdown();
        server.awaitShutdown();
        if (deleteLogDirOnClose) {
            deleteRecursively(logDir);
        }
        LOG.info("Kafka broker {} stopped", bootstrapServers);
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}", root, e);
        }
    }

    private static int freePort() {
        // The port is released before the broker binds it; a clash is possible but rare on loopback.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    private static synchronized void installExitProcedures() {
        // Kafka exits or halts the JVM on fatal faults (e.g. a metadata log error); in a test JVM or the
        // demo process that would end every test at once with no message, so surface it as an exception.
        Exit.setExitProcedure((status, message) -> {
            LOG.error("Kafka asked to exit the JVM with status {}: {}", status, message);
            throw new IllegalStateException("Kafka asked to exit with status " + status + ": " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            LOG.error("Kafka asked to halt the JVM with status {}: {}", status, message);
            throw new IllegalStateException("Kafka asked to halt with status " + status + ": " + message);
        });
    }

    /** Options for a broker; every option has a default fit for tests. */
    public static final class Builder {

        private int port;
        private Path logDir;
        private final Properties extra = new Properties();
        private final Map<String, String> saslUsers = new java.util.LinkedHashMap<>();

        private Builder() {
        }

        /** A fixed client port (0, the default, picks a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A log directory that is kept on close and reused when it was formatted before. */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir);
            return this;
        }

        /**
         * Adds a SASL_PLAINTEXT listener (mechanism PLAIN) that accepts this user, beside the plain one:
         * for tests of clients configured with SASL settings.
         */
        public Builder saslPlainUser(String user, String password) {
            saslUsers.put(Objects.requireNonNull(user), Objects.requireNonNull(password));
            return this;
        }

        /** A broker property that overrides the defaults (applied last). */
        public Builder property(String name, Object value) {
            extra.put(name, String.valueOf(value));
            return this;
        }

        public Builder properties(Map<String, ?> properties) {
            properties.forEach(this::property);
            return this;
        }

        /** Formats the log directory if needed, starts the broker and waits until it answers. */
        public KafkaBroker start() {
            final long startNanos = System.nanoTime();
            installExitProcedures();
            final boolean temporary = logDir == null;
            final Path dir;
            try {
                dir = temporary ? Files.createTempDirectory("kafka-broker-") : Files.createDirectories(logDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the Kafka log directory", e);
            }
            final int clientPort = port == 0 ? freePort() : port;
            final int controllerPort = freePort();
            final int saslPort = saslUsers.isEmpty() ? 0 : freePort();
            final Properties props = serverProperties(dir, clientPort, controllerPort, saslPort);
            KafkaRaftServer server = null;
            Admin admin = null;
            try {
                // A kept log dir was formatted with its own cluster id, and formatting it again with a new
                // id fails even with --ignore-formatted: reuse it as it is.
                if (!Files.exists(dir.resolve("meta.properties"))) {
                    format(props);
                }
                server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
                server.startup();
                final String bootstrap = HOST + ":" + clientPort;
                admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                LOG.info("Kafka broker ready on {} in {} ms (log dir {})", bootstrap, millis, dir);
                final KafkaBroker broker = new KafkaBroker(server, admin, bootstrap, dir, temporary, millis);
                if (saslPort != 0) {
                    broker.saslBootstrapServers = HOST + ":" + saslPort;
                }
                return broker;
            } catch (Exception e) {
                if (admin != null) {
                    admin.close(Duration.ZERO);
                }
                if (server != null) {
                    server.shutdown();
                    server.awaitShutdown();
                }
                if (temporary) {
                    deleteRecursively(dir);
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the in-JVM Kafka broker did not start", e);
            }
        }

        private Properties serverProperties(Path dir, int clientPort, int controllerPort, int saslPort) {
            final Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
            p.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("controller.listener.names", "CONTROLLER");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("log.dirs", dir.toAbsolutePath().toString());
            // One node: every internal topic must accept replication factor 1 and an ISR of 1.
            p.put("default.replication.factor", "1");
            p.put("min.insync.replicas", "1");
            p.put("offsets.topic.replication.factor", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            // Internal topics default to 50 partitions; fewer make the first group or transaction faster.
            p.put("offsets.topic.num.partitions", "5");
            p.put("transaction.state.log.num.partitions", "5");
            p.put("share.coordinator.state.topic.num.partitions", "5");
            // Tests start consumer groups often; the default 3 s delay would be added to every first join.
            p.put("group.initial.rebalance.delay.ms", "0");
            // A transaction left open by a killed producer blocks read_committed readers until the broker
            // aborts it; check every second instead of every 10 s so fault tests wait for the timeout only.
            p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
            // The cleaner's default dedupe buffer reserves 128 MiB of heap.
            p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
            p.put("num.partitions", "1");
            if (saslPort != 0) {
                p.put("listeners", p.get("listeners") + ",SASL_PLAINTEXT://" + HOST + ":" + saslPort);
                p.put("advertised.listeners", p.get("advertised.listeners") + ",SASL_PLAINTEXT://" + HOST + ":" + saslPort);
                p.put("listener.security.protocol.map", p.get("listener.security.protocol.map")
                        + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
                p.put("sasl.enabled.mechanisms", "PLAIN");
                final StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
                saslUsers.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
                        .append('"'));
                p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
            }
            p.putAll(extra);
            return p;
        }

        private static void format(Properties props) throws IOException {
            final Path config = Files.createTempFile("kafka-server-", ".properties");
            try {
                try (OutputStream out = Files.newOutputStream(config)) {
                    props.store(out, "in-JVM Kafka broker");
                }
                final ByteArrayOutputStream output = new ByteArrayOutputStream();
                final int status;
                try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                    status = StorageTool$.MODULE$.execute(new String[]{
                        "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"},
                        print);
                }
                if (status != 0) {
                    throw new IllegalStateException("formatting the Kafka log directory failed ("
                            + status + "): " + output.toString(StandardCharsets.UTF_8));
                }
            } finally {
                Files.deleteIfExists(config);
            }
        }
    }
}
