package dev.slmrouter.worker.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import dev.slmrouter.localstack.kafka.KafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * One test's topics, group and helpers on the shared broker: an input topic, an output topic, a loop
 * config with short group timeouts, an echo handler (one output per input, value = input key) that
 * completes after a random delay on its own executor, and exact checks of what read_committed readers see.
 */
final class LoopFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90);

    final KafkaBroker broker;
    final String input;
    final String output;
    final String group;
    final int partitions;
    final ScheduledExecutorService executor = Executors.newScheduledThreadPool(8);
    private final List<WorkerLoop> loops = new ArrayList<>();
    private final Admin admin;

    LoopFixture(final KafkaBroker broker, final int partitions) {
        this.broker = broker;
        this.partitions = partitions;
        this.input = KafkaTestClients.uniqueName("loop-in");
        this.output = KafkaTestClients.uniqueName("loop-out");
        this.group = KafkaTestClients.uniqueName("loop-group");
        broker.createTopics(Map.of(input, partitions, output, partitions));
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        // A partition created a moment ago may not lead yet on a busy machine; records produced then were
        // seen to be lost (NOT_LEADER_OR_FOLLOWER, then OutOfOrderSequenceException), which a test would
        // otherwise blame on the loop. listOffsets is answered by the leader only.
        await("partitions of " + input + " and " + output + " have leaders",
                () -> leadersReady(input) && leadersReady(output));
    }

    static String key(final int i) {
        return "req-" + i;
    }

    static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(final byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code count} inputs, keys req-0.., spread round-robin over the partitions, so input i is at
     * offset i / partitions of partition i % partitions; fails if any record was not written.
     */
    void produceInputs(final int count) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            final List<Future<RecordMetadata>> sends = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(input, i % partitions, bytes(key(i)), bytes("payload-" + i))));
            }
            producer.flush();
            for (final Future<RecordMetadata> send : sends) {
                send.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("writing the test inputs to " + input + " failed", e);
        }
        assertThat(endOffsets().values().stream().mapToLong(Long::longValue).sum()).as("inputs written").isEqualTo(count);
    }

    /** A config for this fixture's topics and group, with group timeouts short enough for crash tests. */
    WorkerLoopConfig.Builder config(final String transactionalId) {
        return WorkerLoopConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .groupId(group)
                .transactionalId(transactionalId)
                .topics(input)
                .consumerConfig(Map.of("session.timeout.ms", 6000, "heartbeat.interval.ms", 500))
                .producerConfig(Map.of("transaction.timeout.ms", 10_000, "max.block.ms", 15_000));
    }

    WorkerLoop start(final WorkerLoopConfig config, final RecordHandler handler) {
        return start(config, handler, ConsumeGate.OPEN);
    }

    WorkerLoop start(final WorkerLoopConfig config, final RecordHandler handler, final ConsumeGate gate) {
        return start(config, handler, gate, null);
    }

    WorkerLoop start(final WorkerLoopConfig config, final RecordHandler handler, final ConsumeGate gate,
                     final MeterRegistry registry) {
        final WorkerLoop loop = new WorkerLoop(config, handler, gate, registry);
        loops.add(loop);
        return loop.start();
    }

    ProducerRecord<byte[], byte[]> echo(final ConsumerRecord<byte[], byte[]> record) {
        return new ProducerRecord<>(output, record.key(), record.key());
    }

    /** One output per input after a random delay in [minMillis, maxMillis], completed on the executor. */
    RecordHandler echoAfter(final int minMillis, final int maxMillis) {
        return record -> {
            final CompletableFuture<List<ProducerRecord<byte[], byte[]>>> future = new CompletableFuture<>();
            final long delay = ThreadLocalRandom.current().nextLong(minMillis, maxMillis + 1L);
            executor.schedule(() -> future.complete(List.of(echo(record))), delay, TimeUnit.MILLISECONDS);
            return future;
        };
    }

    /** Waits until the group's committed offsets reach the input's end offsets. */
    void awaitAllCommitted() {
        await("all input offsets committed by group " + group, () -> committedOffsets().equals(endOffsets()));
    }

    private boolean leadersReady(final String topic) {
        try {
            endOffsets(topic);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    Map<TopicPartition, Long> endOffsets() {
        return endOffsets(input);
    }

    private Map<TopicPartition, Long> endOffsets(final String topic) {
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                    admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
            final Map<TopicPartition, Long> offsets = new HashMap<>();
            result.forEach((tp, info) -> offsets.put(tp, info.offset()));
            return offsets;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<TopicPartition, Long> committedOffsets() {
        try {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            final Map<TopicPartition, Long> offsets = new HashMap<>();
            committed.forEach((tp, om) -> {
                if (om != null) {
                    offsets.put(tp, om.offset());
                }
            });
            return offsets;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    int groupMembers() {
        try {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(10, TimeUnit.SECONDS).members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw new IllegalStateException(e);
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the whole output topic read_committed and asserts exactly one output per input key
     * req-0..req-(count-1): no duplicate, none missing.
     */
    void assertExactlyOneOutputPerInput(final int count) {
        final List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTestClients.drain(broker.bootstrapServers(), output, count, Duration.ofSeconds(60));
        final List<String> keys = new ArrayList<>();
        for (final ConsumerRecord<byte[], byte[]> record : records) {
            keys.add(string(record.key()));
            assertThat(string(record.value())).isEqualTo(string(record.key()));
        }
        final Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            expected.add(key(i));
        }
        assertThat(new HashSet<>(keys)).as("distinct output keys").isEqualTo(expected);
        assertThat(keys).as("outputs (a duplicate would make this longer)").hasSize(count);
    }

    /** Polls {@code condition} every 50 ms for at most {@link #WAIT}. */
    static void await(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + WAIT + " waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }

    @Override
    public void close() {
        for (final WorkerLoop loop : loops) {
            loop.close(Duration.ofSeconds(5));
        }
        executor.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
