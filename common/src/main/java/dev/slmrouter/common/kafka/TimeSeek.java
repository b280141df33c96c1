package dev.slmrouter.common.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Positions an assigned consumer at the first record stamped at or after an instant on each partition,
 * for the readers that rebuild state from a topic's history (budget ledgers, the drift monitor, reports).
 */
public final class TimeSeek {

    private TimeSeek() {
    }

    /** Seeks every partition to {@code from}; returns those with nothing from then on (left at their end). */
    public static Set<TopicPartition> seek(final Consumer<?, ?> consumer, final Collection<TopicPartition> partitions,
                                           final Instant from) {
        final Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, from.toEpochMilli()));
        final Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        final Set<TopicPartition> empty = new HashSet<>();
        for (final TopicPartition tp : partitions) {
            final OffsetAndTimestamp at = offsets.get(tp);
            if (at == null) {
                consumer.seekToEnd(List.of(tp));
                empty.add(tp);
            } else {
                consumer.seek(tp, at.offset());
            }
        }
        return empty;
    }
}
