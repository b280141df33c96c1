package dev.slmrouter.router.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the router's input from outside Kafka Streams: how many committed input records wait beyond the
 * group's committed offsets, and for how long those offsets have not moved while records wait. Kafka Streams
 * reports its own lag only for partitions it fetches, so a group whose offsets the broker holds as unstable
 * (RELIABILITY.md, "Known issue") shows no lag at all while routing nothing; this asks the broker instead
 * (read_committed end offsets against the committed offsets). Publishes {@code router_input_waiting_records}
 * and {@code router_input_stalled_seconds}, logs an error once the offsets have stood still for
 * {@code warnAfter} with records waiting, and when they move again. It reports, it does not act: a long state
 * restore also stands still, and restarting then would only start it over.
 */
public final class InputProgress {

    private static final Logger LOG = LoggerFactory.getLogger(InputProgress.class);

    private final String topic;
    private final String group;
    private final Duration warnAfter;
    private final LongSupplier nanos;
    private volatile long waiting;
    private long committed = -1;
    private long movedAt;
    private volatile long stalledNanos;
    private boolean warned;

    public InputProgress(final String topic, final String group, final Duration warnAfter, final LongSupplier nanos) {
        this.topic = topic;
        this.group = group;
        this.warnAfter = warnAfter;
        this.nanos = nanos;
        this.movedAt = nanos.getAsLong();
    }

    public void bindTo(final MeterRegistry registry) {
        Gauge.builder("router.input.waiting.records", this, InputProgress::waiting)
                .description("Committed records of the input topic beyond the router's committed offsets")
                .register(registry);
        Gauge.builder("router.input.stalled.seconds", this, p -> p.stalledNanos / 1e9)
                .description("How long the router's committed offsets have not moved while input records wait")
                .register(registry);
    }

    /** Asks the broker for the input's end offsets and the group's committed offsets, then {@link #observe}s them. */
    public void check(final Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        final List<Integer> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(p -> p.partition()).toList();
        partitions.forEach(p -> latest.put(new TopicPartition(topic, p), OffsetSpec.latest()));
        final Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        final Map<TopicPartition, Long> starts = new HashMap<>();
        final Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicPartition partition : ends.keySet()) {
            final OffsetAndMetadata offset = offsets.get(partition);
            if (offset != null) {
                starts.put(partition, offset.offset());
            } else {
                earliest.put(partition, OffsetSpec.earliest()); // nothing committed yet: it starts at the beginning
            }
        }
        if (!earliest.isEmpty()) {
            admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS)
                    .forEach((partition, info) -> starts.put(partition, info.offset()));
        }
        long committedSum = 0;
        long waitingSum = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            final long start = starts.get(end.getKey());
            committedSum += start;
            waitingSum += Math.max(0, end.getValue() - start);
        }
        observe(committedSum, waitingSum);
    }

    /**
     * One observation: the sum of the committed offsets and the records waiting. Progress is offsets that moved,
     * or nothing left to do.
     */
    void observe(final long committedSum, final long waitingRecords) {
        final long now = nanos.getAsLong();
        waiting = waitingRecords;
        if (committedSum != committed || waitingRecords == 0) {
            if (warned) {
                LOG.info("The router's committed input offsets move again ({} records waiting)", waitingRecords);
            }
            committed = committedSum;
            movedAt = now;
            warned = false;
        }
        stalledNanos = waitingRecords == 0 ? 0 : now - movedAt;
        if (!warned && stalledNanos >= warnAfter.toNanos()) {
            warned = true;
            LOG.error("The router has committed no input for {} s while {} records of {} wait. If its stream threads"
                    + " run and its consumer logs 'unstable offsets' again and again, the broker holds transactional"
                    + " offsets that no marker clears (RELIABILITY.md, 'Known issue')", stalledNanos / 1_000_000_000L,
                    waitingRecords, topic);
        }
    }

    public long waiting() {
        return waiting;
    }

    public Duration stalled() {
        return Duration.ofNanos(stalledNanos);
    }
}
