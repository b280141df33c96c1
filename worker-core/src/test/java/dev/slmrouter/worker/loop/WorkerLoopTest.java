package dev.slmrouter.worker.loop;

import static dev.slmrouter.worker.loop.LoopFixture.await;
import static dev.slmrouter.worker.loop.LoopFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The loop's normal flow on a real broker: throughput shape, gate, backpressure, memory bound, batches and their metric. */
@ExtendWith(KafkaBrokerExtension.class)
class WorkerLoopTest {

    private final KafkaBroker broker;

    WorkerLoopTest(final KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void thousandRecordsCompletingOutOfOrderGiveExactlyOneOutputEach() {
        try (LoopFixture f = new LoopFixture(broker, 3)) {
            f.produceInputs(1_000);
            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            final WorkerLoopConfig config = f.config(KafkaTestClients.uniqueName("tx")).build();
            final WorkerLoop loop = f.start(config, f.echoAfter(0, 20), ConsumeGate.OPEN, registry);

            f.awaitAllCommitted();
            loop.close(Duration.ofSeconds(10));

            // Batch size 1 (the default): one micro-batch of one record per input.
            final DistributionSummary batches = registry.get("worker.loop.batch.size").tag("loop", config.name()).summary();
            assertThat(batches.count()).isEqualTo(1_000);
            assertThat(batches.totalAmount()).isEqualTo(1_000.0);
            assertThat(batches.max()).isEqualTo(1.0);
            assertThat(loop.terminated()).isCompleted();
            assertThat(loop.terminated().isCompletedExceptionally()).isFalse();
            f.assertExactlyOneOutputPerInput(1_000);
            assertThat(f.committedOffsets()).isEqualTo(f.endOffsets());
            assertThat(loop.committedRecords()).isEqualTo(1_000);
        }
    }

    @Test
    void aClosedGateConsumesNothingWithoutSpinningAndOpeningItDrainsEverything() {
        try (LoopFixture f = new LoopFixture(broker, 3)) {
            f.produceInputs(200);
            final AtomicBoolean open = new AtomicBoolean(false);
            final AtomicInteger calls = new AtomicInteger();
            final RecordHandler echo = f.echoAfter(0, 5);
            final WorkerLoopConfig config = f.config(KafkaTestClients.uniqueName("tx")).build();
            final WorkerLoop loop = f.start(config, record -> {
                calls.incrementAndGet();
                return echo.handle(record);
            }, open::get);

            await("the loop joined its group", () -> f.groupMembers() == 1 && loop.paused());
            final Thread loopThread = loopThread(config.name());
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            final long cpuBefore = threads.getThreadCpuTime(loopThread.getId());
            final long wallBefore = System.nanoTime();
            sleep(1_500);
            final long cpu = threads.getThreadCpuTime(loopThread.getId()) - cpuBefore;
            final long wall = System.nanoTime() - wallBefore;

            assertThat(calls).hasValue(0);
            assertThat(loop.committedRecords()).isZero();
            // A busy loop would burn close to the whole wall time; paused polls cost next to nothing.
            assertThat(cpu).as("loop thread CPU ns while the gate is closed").isLessThan(wall / 5);

            open.set(true);
            f.awaitAllCommitted();
            loop.close(Duration.ofSeconds(10));
            assertThat(calls).hasValue(200);
            f.assertExactlyOneOutputPerInput(200);
        }
    }

    @Test
    void neverMoreThanMaxInFlightHandlerCallsAtOnce() {
        try (LoopFixture f = new LoopFixture(broker, 3)) {
            f.produceInputs(200);
            final AtomicInteger active = new AtomicInteger();
            final AtomicInteger maxActive = new AtomicInteger();
            final WorkerLoop loop = f.start(f.config(KafkaTestClients.uniqueName("tx")).maxInFlight(4).build(),
                    record -> CompletableFuture.supplyAsync(() -> {
                        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                        sleep(5);
                        active.decrementAndGet();
                        return List.of(f.echo(record));
                    }, f.executor));

            f.awaitAllCommitted();
            loop.close(Duration.ofSeconds(10));

            assertThat(maxActive.get()).isBetween(2, 4);
            f.assertExactlyOneOutputPerInput(200);
        }
    }

    @Test
    void aSlowRecordHoldsItsPartitionButMemoryStaysBounded() {
        try (LoopFixture f = new LoopFixture(broker, 1)) {
            f.produceInputs(100);
            final CompletableFuture<Void> release = new CompletableFuture<>();
            final AtomicInteger startedWhileBlocked = new AtomicInteger();
            final RecordHandler echo = f.echoAfter(0, 2);
            // maxInFlight 8 and max.poll.records 8 (its default) under maxBuffered 16.
            final WorkerLoop loop = f.start(f.config(KafkaTestClients.uniqueName("tx")).maxInFlight(8).maxBuffered(16).build(),
                    record -> {
                        if (record.offset() == 0) {
                            return release.thenApply(v -> List.of(f.echo(record)));
                        }
                        if (!release.isDone()) {
                            startedWhileBlocked.incrementAndGet();
                        }
                        return echo.handle(record);
                    });

            await("the loop filled its buffer behind offset 0", () -> startedWhileBlocked.get() >= 10 && loop.paused());
            sleep(500);
            assertThat(loop.committedRecords()).isZero();
            // Offset 0 plus at most 15 more fetched records while it blocks the partition.
            assertThat(startedWhileBlocked.get()).isBetween(10, 15);

            release.complete(null);
            f.awaitAllCommitted();
            loop.close(Duration.ofSeconds(10));
            f.assertExactlyOneOutputPerInput(100);
        }
    }

    @Test
    void microBatchesAreHandedOverUpToTheirSize() {
        try (LoopFixture f = new LoopFixture(broker, 3)) {
            f.produceInputs(300);
            final Queue<Integer> sizes = new ConcurrentLinkedQueue<>();
            final RecordHandler echo = f.echoAfter(1, 10);
            final RecordHandler batching = new RecordHandler() {
                @Override
                public CompletableFuture<List<ProducerRecord<byte[], byte[]>>> handle(
                        final ConsumerRecord<byte[], byte[]> record) {
                    throw new AssertionError("a batching loop must call handleBatch");
                }

                @Override
                public List<CompletableFuture<List<ProducerRecord<byte[], byte[]>>>> handleBatch(
                        final List<ConsumerRecord<byte[], byte[]>> records) {
                    sizes.add(records.size());
                    final List<CompletableFuture<List<ProducerRecord<byte[], byte[]>>>> futures = new ArrayList<>();
                    for (final ConsumerRecord<byte[], byte[]> record : records) {
                        futures.add(echo.handle(record));
                    }
                    return futures;
                }
            };
            final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            final WorkerLoopConfig config = f.config(KafkaTestClients.uniqueName("tx"))
                    .maxInFlight(20).batchSize(10).batchMaxWait(Duration.ofMillis(20)).build();
            final WorkerLoop loop = f.start(config, batching, ConsumeGate.OPEN, registry);

            f.awaitAllCommitted();
            loop.close(Duration.ofSeconds(10));

            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
            assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1, 10));
            final int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
            assertThat(largest).isGreaterThan(1);
            f.assertExactlyOneOutputPerInput(300);
            // The batch-size summary saw exactly the batches the handler got, as Prometheus names them.
            final Map<String, Double> scraped = scrape(registry, "worker_loop_batch_size", config.name());
            assertThat(scraped).containsEntry("worker_loop_batch_size_count", (double) sizes.size())
                    .containsEntry("worker_loop_batch_size_sum", 300.0)
                    .containsEntry("worker_loop_batch_size_max", (double) largest);
            for (final int le : List.of(1, 2, 4, 8, 16, 32, 64)) {
                assertThat(scraped).as("bucket le=" + le).containsEntry("worker_loop_batch_size_bucket le=" + le,
                        (double) sizes.stream().filter(size -> size <= le).count());
            }
        }
    }

    @Test
    void commitsPastTheTransactionMarkersOfATransactionalInput() {
        try (LoopFixture f = new LoopFixture(broker, 2)) {
            // Inputs written the way the router writes them: in transactions, so each ends with a marker.
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.transactionalProducer(broker.bootstrapServers(),
                    KafkaTestClients.uniqueName("router"), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int batch = 0; batch < 3; batch++) {
                    producer.beginTransaction();
                    for (int i = batch * 20; i < batch * 20 + 20; i++) {
                        producer.send(new ProducerRecord<>(f.input, i % 2, bytes(LoopFixture.key(i)), bytes("p")));
                    }
                    producer.commitTransaction();
                }
            }
            final WorkerLoop loop = f.start(f.config(KafkaTestClients.uniqueName("tx")).build(), f.echoAfter(0, 3));

            // End offsets count the markers (3 per partition), so this only holds if the loop commits past them.
            f.awaitAllCommitted();
            loop.close(Duration.ofSeconds(10));
            f.assertExactlyOneOutputPerInput(60);
            assertThat(f.endOffsets().values()).containsOnly(33L);
        }
    }

    /**
     * The samples of one meter family of one loop in the Prometheus text a scrape returns, by sample name
     * (a bucket as {@code <name>_bucket le=<bound>}, bounds written as integers).
     */
    private static Map<String, Double> scrape(final PrometheusMeterRegistry registry, final String family,
                                              final String loopName) {
        final Map<String, Double> samples = new HashMap<>();
        final Pattern line = Pattern.compile("^(" + Pattern.quote(family) + "_[a-z]+)\\{([^}]*)\\} (\\S+)$");
        final Pattern le = Pattern.compile("le=\"([0-9.]+)\"");
        for (final String text : registry.scrape().split("\n")) {
            final Matcher m = line.matcher(text);
            if (m.matches() && m.group(2).contains("loop=\"" + loopName + "\"")) {
                final Matcher bound = le.matcher(m.group(2));
                final String name = bound.find()
                        ? m.group(1) + " le=" + (long) Double.parseDouble(bound.group(1)) : m.group(1);
                samples.put(name, Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    private static Thread loopThread(final String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("worker-loop-" + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no loop thread named worker-loop-" + name));
    }

    static void sleep(final long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
