package dev.slmrouter.gpt.budget;

import dev.slmrouter.common.kafka.TimeSeek;
import dev.slmrouter.events.InferenceResult;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the results topic (read_committed, every partition, no consumer group) from shortly before the
 * start of the previous month and feeds every committed result to the {@link BudgetLedger}, on its own
 * thread, for as long as the worker runs. {@link #start} returns once everything committed before the
 * start has been read, so a restarted worker knows the month's spend before it takes new work.
 * A result that cannot be decoded is skipped with a warning (it is not this reader's to reject).
 * The same reader feeds the shadow budget from the shadow comparisons topic: {@code T} is the value type
 * and {@code sink} what is done with each value.
 */
public final class CommittedResults<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommittedResults.class);
    /** Producers' clocks may lag: read from a little before the period starts. */
    private static final Duration CLOCK_SLACK = Duration.ofHours(1);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Deserializer<T> decoder;
    private final Consumer<T> sink;
    private final BudgetLedger ledger;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean stopped;
    private Map<TopicPartition, Long> startEnds;

    private CommittedResults(final Map<String, String> kafka, final String topic, final Deserializer<T> decoder,
                             final Consumer<T> sink, final BudgetLedger ledger) {
        final Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove("transactional.id");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.decoder = decoder;
        this.sink = sink;
        this.ledger = ledger;
        this.thread = new Thread(this::run, "gpt-budget-ledger");
        this.thread.setDaemon(true);
    }

    /** Starts reading and waits until the results committed so far are counted, up to {@code timeout}. */
    public static CommittedResults<InferenceResult> start(final Map<String, String> kafka, final String topic,
                                                          final Deserializer<InferenceResult> decoder,
                                                          final BudgetLedger ledger, final Instant now,
                                                          final Duration timeout) {
        return start(kafka, topic, decoder, ledger::committed, ledger, now, timeout);
    }

    /** Starts reading {@code topic}, handing each committed value to {@code sink}, which feeds {@code ledger}. */
    public static <T> CommittedResults<T> start(final Map<String, String> kafka, final String topic,
                                                final Deserializer<T> decoder, final Consumer<T> sink,
                                                final BudgetLedger ledger, final Instant now, final Duration timeout) {
        final CommittedResults<T> reader = new CommittedResults<>(kafka, topic, decoder, sink, ledger);
        try {
            reader.assign(now);
            reader.thread.start();
            if (!reader.caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the budget ledger did not finish reading " + topic + " within " + timeout
                        + "; is the broker reachable?");
            }
            return reader;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reader.close();
            throw new IllegalStateException("interrupted while reading " + topic, e);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private void assign(final Instant now) {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        final List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        consumer.assign(partitions);
        final long from = YearMonth.from(now.atOffset(ZoneOffset.UTC)).minusMonths(1).atDay(1)
                .atStartOfDay(ZoneOffset.UTC).toInstant().minus(CLOCK_SLACK).toEpochMilli();
        TimeSeek.seek(consumer, partitions, Instant.ofEpochMilli(from));
        // With read_committed these are the last stable offsets: everything committed before now.
        startEnds = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    }

    private void run() {
        long counted = 0;
        try {
            while (!stopped) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    final T result;
                    try {
                        result = decoder.deserialize(record.topic(), record.headers(), record.value());
                    } catch (RuntimeException e) {
                        LOG.warn("budget ledger: skipping undecodable result {}-{}@{}: {}", record.topic(),
                                record.partition(), record.offset(), e.toString());
                        continue;
                    }
                    if (result != null) {
                        sink.accept(result);
                        counted++;
                    }
                }
                if (caughtUp.getCount() > 0 && reachedStartEnds()) {
                    LOG.info("budget ledger: read {} committed results of {}; global spend this month ${}",
                            counted, topic, String.format("%.4f", ledger.globalSpend()));
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("budget ledger: reading {} failed; budgets can no longer be enforced", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private boolean reachedStartEnds() {
        for (final Map.Entry<TopicPartition, Long> end : startEnds.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** True while the reader runs; when it failed, budgets are not enforced and the worker should stop. */
    public boolean alive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
        if (thread.isAlive()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ZERO);
        }
    }
}
