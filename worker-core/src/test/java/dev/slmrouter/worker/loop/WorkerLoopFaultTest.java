package dev.slmrouter.worker.loop;

import static dev.slmrouter.worker.loop.LoopFixture.await;
import static dev.slmrouter.worker.loop.LoopFixture.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Crashes, rebalances, fencing and handler bugs on a real broker: still exactly one output per input. */
@ExtendWith(KafkaBrokerExtension.class)
class WorkerLoopFaultTest {

    private final KafkaBroker broker;

    WorkerLoopFaultTest(final KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void aLoopKilledMidStreamAndRestartedGivesExactlyOneOutputPerInput() {
        try (LoopFixture f = new LoopFixture(broker, 3)) {
            f.produceInputs(600);
            final String transactionalId = KafkaTestClients.uniqueName("tx");
            final WorkerLoopConfig config = f.config(transactionalId).maxInFlight(6).build();
            final WorkerLoop first = f.start(config, f.echoAfter(10, 40));

            await("half the records committed", () -> first.committedRecords() >= 300);
            // Records are in flight and outcomes sit in an open transaction most of the time: a crash.
            first.kill();
            assertThat(first.terminated()).isCompleted();
            final long committedByFirst = first.committedRecords();
            assertThat(committedByFirst).isLessThan(600);

            // Same group and transactional id: initTransactions aborts the dead instance's open transaction.
            final WorkerLoop second = f.start(config, f.echoAfter(0, 5));
            f.awaitAllCommitted();
            second.close(Duration.ofSeconds(10));

            f.assertExactlyOneOutputPerInput(600);
            assertThat(committedByFirst + second.committedRecords()).isEqualTo(600);
        }
    }

    @Test
    void aSchemaRegistryOutageLongerThanTheRestartLimitOnlyDelaysTheLoop() {
        try (LoopFixture f = new LoopFixture(broker, 2)) {
            f.produceInputs(200);
            // Every record fails as if the registry were down for the first 8 attempts: more restarts than
            // maxConsecutiveRestarts (2) allows for other failures, yet the loop must wait it out.
            final AtomicInteger outageLeft = new AtomicInteger(8);
            final RecordHandler echo = f.echoAfter(0, 2);
            final RecordHandler handler = record -> outageLeft.getAndDecrement() > 0
                    ? CompletableFuture.failedFuture(new dev.slmrouter.serde.SchemaRegistryUnavailableException(
                            "registry answered 500", null))
                    : echo.handle(record);
            final WorkerLoop loop = f.start(f.config(KafkaTestClients.uniqueName("tx")).maxInFlight(1)
                    .restartBackoff(Duration.ofMillis(100)).maxConsecutiveRestarts(2).build(), handler);

            f.awaitAllCommitted();
            loop.close(Duration.ofSeconds(10));

            assertThat(loop.terminated()).isCompleted().isNotCompletedExceptionally();
            f.assertExactlyOneOutputPerInput(200);
        }
    }

    @Test
    void aSecondInstanceJoiningMidStreamTakesOverPartitionsWithoutDuplicates() {
        try (LoopFixture f = new LoopFixture(broker, 3)) {
            f.produceInputs(900);
            final WorkerLoop first = f.start(f.config(KafkaTestClients.uniqueName("tx-a")).maxInFlight(6).build(),
                    f.echoAfter(10, 30));
            await("some records committed", () -> first.committedRecords() >= 150);

            final WorkerLoop second = f.start(f.config(KafkaTestClients.uniqueName("tx-b")).maxInFlight(6).build(),
                    f.echoAfter(10, 30));
            f.awaitAllCommitted();
            first.close(Duration.ofSeconds(10));
            second.close(Duration.ofSeconds(10));

            assertThat(second.committedRecords()).as("the second instance got partitions").isPositive();
            assertThat(first.committedRecords() + second.committedRecords()).isEqualTo(900);
            f.assertExactlyOneOutputPerInput(900);
        }
    }

    @Test
    void aFencedLoopStopsWithTheFencingErrorAndItsSuccessorFinishes() throws Exception {
        try (LoopFixture f = new LoopFixture(broker, 3)) {
            f.produceInputs(400);
            final String transactionalId = KafkaTestClients.uniqueName("tx");
            final WorkerLoopConfig config = f.config(transactionalId).maxInFlight(4).build();
            // Records handled after the first 60 wait for the fencer: the zombie must still have outcomes
            // to send once it is fenced, or (on a fast machine) it could finish all 400 first and idle.
            final CompletableFuture<Void> fencerReady = new CompletableFuture<>();
            final AtomicInteger handled = new AtomicInteger();
            final RecordHandler echo = f.echoAfter(10, 30);
            final RecordHandler heldBack = record -> handled.incrementAndGet() <= 60
                    ? echo.handle(record)
                    : fencerReady.thenCompose(ready -> echo.handle(record));
            final WorkerLoop zombie = f.start(config, heldBack);
            await("some records committed", () -> zombie.committedRecords() >= 50);

            // Another producer with the same transactional id: the loop's producer is now a zombie.
            try (KafkaProducer<byte[], byte[]> fencer = KafkaTestClients.transactionalProducer(
                    broker.bootstrapServers(), transactionalId, new ByteArraySerializer(), new ByteArraySerializer())) {
                fencerReady.complete(null);
                final Throwable failure = failureOf(zombie);
                assertThat(failure).isInstanceOf(WorkerLoopException.class).hasMessageContaining("fenced");
                assertThat(WorkerLoop.isFenced(failure)).as("cause chain of " + failure).isTrue();
            }

            final WorkerLoop successor = f.start(config, f.echoAfter(0, 5));
            f.awaitAllCommitted();
            successor.close(Duration.ofSeconds(10));
            f.assertExactlyOneOutputPerInput(400);
        }
    }

    @Test
    void aLoopBlockedPastItsPollIntervalNeverCommitsForPartitionsItLost() {
        try (LoopFixture f = new LoopFixture(broker, 2)) {
            f.produceInputs(400);
            final AtomicBoolean blocked = new AtomicBoolean();
            final RecordHandler echo = f.echoAfter(5, 15);
            // The failed record's recover() runs on the loop thread; blocking there for 6 s while a
            // transaction is open makes the consumer leave the group (poll interval 2.5 s), and the
            // other instance takes the partitions over while this one still holds uncommitted outcomes.
            final RecordHandler blocking = new RecordHandler() {
                @Override
                public CompletableFuture<List<ProducerRecord<byte[], byte[]>>> handle(
                        final ConsumerRecord<byte[], byte[]> record) {
                    if (string(record.key()).equals(LoopFixture.key(121))) {
                        return CompletableFuture.failedFuture(new IllegalStateException("scripted"));
                    }
                    return echo.handle(record);
                }

                @Override
                public List<ProducerRecord<byte[], byte[]>> recover(final ConsumerRecord<byte[], byte[]> record,
                                                                    final Throwable error) {
                    if (blocked.compareAndSet(false, true)) {
                        WorkerLoopTest.sleep(6_000);
                    }
                    return List.of(f.echo(record));
                }
            };
            final Map<String, Object> shortPollInterval = Map.of("max.poll.interval.ms", 2_500);
            final WorkerLoop first = f.start(f.config(KafkaTestClients.uniqueName("tx-f")).maxInFlight(4)
                    .consumerConfig(shortPollInterval).build(), blocking);
            // Both run the blocking handler: whichever meets the record first blocks, the other takes over.
            final WorkerLoop other = f.start(f.config(KafkaTestClients.uniqueName("tx-o")).maxInFlight(4)
                    .consumerConfig(shortPollInterval).build(), blocking);

            f.awaitAllCommitted();
            first.close(Duration.ofSeconds(10));
            other.close(Duration.ofSeconds(10));

            assertThat(blocked).isTrue();
            f.assertExactlyOneOutputPerInput(400);
        }
    }

    @Test
    void aHandlerBugStopsTheLoopAndARecoveringHandlerTurnsItIntoAnOutcome() throws Exception {
        try (LoopFixture f = new LoopFixture(broker, 1)) {
            f.produceInputs(100);
            final RecordHandler echo = f.echoAfter(0, 3);
            final RecordHandler buggy = record -> string(record.key()).equals(LoopFixture.key(50))
                    ? CompletableFuture.failedFuture(new IllegalStateException("scripted bug"))
                    : echo.handle(record);
            final WorkerLoopConfig config = f.config(KafkaTestClients.uniqueName("tx")).build();
            final WorkerLoop failing = f.start(config, buggy);

            final Throwable failure = failureOf(failing);
            assertThat(failure).isInstanceOf(HandlerFailedException.class).hasMessageContaining("@50");
            assertThat(failing.committedRecords()).isLessThanOrEqualTo(50);

            // The same bug with a handler that recovers: the record becomes an outcome (here: its echo).
            final WorkerLoop recovering = f.start(config, new RecordHandler() {
                @Override
                public CompletableFuture<List<ProducerRecord<byte[], byte[]>>> handle(
                        final ConsumerRecord<byte[], byte[]> record) {
                    return buggy.handle(record);
                }

                @Override
                public List<ProducerRecord<byte[], byte[]>> recover(final ConsumerRecord<byte[], byte[]> record,
                                                                    final Throwable error) {
                    return List.of(f.echo(record));
                }
            });
            f.awaitAllCommitted();
            recovering.close(Duration.ofSeconds(10));
            f.assertExactlyOneOutputPerInput(100);
        }
    }

    @Test
    void aMissingTopicStopsTheLoopAtStartWithAClearMessage() throws Exception {
        final WorkerLoop loop = new WorkerLoop(WorkerLoopConfig.builder().bootstrapServers(broker.bootstrapServers())
                .groupId(KafkaTestClients.uniqueName("g")).transactionalId(KafkaTestClients.uniqueName("tx"))
                .topics(KafkaTestClients.uniqueName("missing")).build(), record -> CompletableFuture.completedFuture(List.of()));
        loop.start();
        final Throwable failure = failureOf(loop);
        assertThat(failure).isInstanceOf(WorkerLoopException.class).hasMessageContaining("do not exist");
    }

    private static Throwable failureOf(final WorkerLoop loop) throws InterruptedException {
        try {
            loop.terminated().get(LoopFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            // Its state says why: idle with everything committed, or still working after a restart.
            throw new AssertionError("the loop did not stop (" + loop.committedRecords() + " records committed, "
                    + loop.inFlight() + " in flight)", e);
        }
    }
}
