package dev.slmrouter.router.volume;

import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.VolumeCount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts routed requests per task type for one stream task, without repartitioning: seven task types
 * as keys would make seven hot partitions. Counting is a memory increment per request; every flush
 * writes the hourly buckets to a changelogged store (so a restarted or moved task resumes its counts)
 * and returns this task's 24-hour totals, which the router publishes to the compacted volume topic.
 */
public final class VolumeCounter {

    private static final long MILLIS_PER_HOUR = 3_600_000L;

    private final String streamTask;
    private final KeyValueStore<String, byte[]> store;
    private final Map<TaskType, HourlyCounts> counts = new EnumMap<>(TaskType.class);

    /** Restores this task's counts from its store. */
    public VolumeCounter(final String streamTask, final KeyValueStore<String, byte[]> store) {
        this.streamTask = streamTask;
        this.store = store;
        for (TaskType type : TaskType.values()) {
            final byte[] saved = store.get(type.name());
            counts.put(type, saved == null ? new HourlyCounts() : HourlyCounts.fromBytes(saved));
        }
    }

    public void count(final TaskType taskType, final Instant now) {
        counts.get(taskType).add(now.toEpochMilli() / MILLIS_PER_HOUR);
    }

    /** Saves the buckets and returns this task's current 24-hour count of every task type seen. */
    public List<VolumeCount> flush(final Instant now) {
        final long hour = now.toEpochMilli() / MILLIS_PER_HOUR;
        final List<VolumeCount> report = new ArrayList<>();
        counts.forEach((type, hourly) -> {
            final long total = hourly.total(hour);
            if (total > 0 || store.get(type.name()) != null) {
                store.put(type.name(), hourly.toBytes());
                report.add(new VolumeCount(type, streamTask, total, now));
            }
        });
        return report;
    }

    /** The key of this task's count of {@code taskType} on the volume topic. */
    public static String key(final VolumeCount count) {
        return count.getTaskType() + "@" + count.getStreamTask();
    }
}
