package dev.slmrouter.router.topology;

import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.VolumeCount;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes each kind of route outcome with its own event's serializer, for the topology's one sink (which
 * chooses the topic, {@link RouterTopology#topicOf}). Thread-safe as its parts are.
 */
final class RouteOutcomeSerializer implements Serializer<RouteOutcome> {

    /** The sink only writes; Kafka's serde type wants a deserializer all the same. */
    static final Deserializer<RouteOutcome> NOT_READ = (topic, data) -> {
        throw new UnsupportedOperationException("route outcomes are written, never read back");
    };

    private final Serializer<DeadLetter> deadLetters;
    private final Serializer<VolumeCount> volumes;
    private final Serializer<RouteOutcome.Routed> routed;

    RouteOutcomeSerializer(final Serializer<DeadLetter> deadLetters, final Serializer<VolumeCount> volumes,
                           final Serializer<RouteOutcome.Routed> routed) {
        this.deadLetters = deadLetters;
        this.volumes = volumes;
        this.routed = routed;
    }

    @Override
    public byte[] serialize(final String topic, final RouteOutcome outcome) {
        if (outcome instanceof RouteOutcome.Routed request) {
            return routed.serialize(topic, request);
        }
        if (outcome instanceof RouteOutcome.Rejected rejected) {
            return deadLetters.serialize(topic, rejected.deadLetter());
        }
        return volumes.serialize(topic, ((RouteOutcome.VolumeReport) outcome).count());
    }
}
