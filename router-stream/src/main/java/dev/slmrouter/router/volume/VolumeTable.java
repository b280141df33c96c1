package dev.slmrouter.router.volume;

import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.VolumeCount;
import dev.slmrouter.router.routing.VolumeView;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The fleet-wide daily volume per task type: the sum of the fresh per-task counts on the compacted
 * volume topic, read from its global table. Summed on refresh (every few seconds), not per request,
 * so a decision reads an EnumMap.
 */
public final class VolumeTable implements VolumeView {

    /** Entries older than this belong to tasks that moved or stopped; their counts are ignored. */
    static final Duration STALE_AFTER = Duration.ofHours(1);

    private final Map<TaskType, Long> totals = new EnumMap<>(TaskType.class);

    public void refresh(final ReadOnlyKeyValueStore<String, ValueAndTimestamp<VolumeCount>> store, final Instant now) {
        totals.clear();
        final long freshSince = now.minus(STALE_AFTER).toEpochMilli();
        try (KeyValueIterator<String, ValueAndTimestamp<VolumeCount>> all = store.all()) {
            while (all.hasNext()) {
                final KeyValue<String, ValueAndTimestamp<VolumeCount>> entry = all.next();
                final VolumeCount count = entry.value == null ? null : entry.value.value();
                if (count != null && count.getAsOf().toEpochMilli() >= freshSince) {
                    totals.merge(count.getTaskType(), count.getCount24h(), Long::sum);
                }
            }
        }
    }

    @Override
    public long dailyVolume(final TaskType taskType) {
        return totals.getOrDefault(taskType, 0L);
    }
}
