package dev.slmrouter.router.topology;

import dev.slmrouter.events.VolumeCount;
import dev.slmrouter.router.dedupe.RoutedIds;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The router topology, a pure function of its inputs so tests build it without {@code main}:
 * <pre>
 *   llm.requests (bytes) ─ route ─ one sink ─┬─► llm.dlq          (DeadLetter, original key)
 *                                            ├─► llm.requests.slm (RoutedRequest, key request_id)
 *                                            ├─► llm.requests.tier0
 *                                            ├─► llm.requests.gpt
 *                                            └─► llm.volume ──► global table read back by route
 * </pre>
 */
public final class RouterTopology {

    /** Per-task hourly volume buckets (changelogged). */
    public static final String COUNTS_STORE = "volume-counts";
    /**
     * The log of request ids routed within the dedupe window, per task, in chunks ({@link RoutedIds}):
     * changelogged, so the check survives restarts and moves with the partition (ids reach the same task
     * because producers key by id).
     */
    public static final String DEDUPE_STORE = "routed-request-id-log";
    /** The fleet's volume counts: a global table over the volume topic. */
    public static final String VOLUME_STORE = "volume-global";

    private RouterTopology() {
    }

    public static Topology build(final Topics topics, final SchemaRegistryClient registry, final RouteStep step) {
        final StreamsBuilder builder = new StreamsBuilder();
        final Serde<byte[]> bytes = Serdes.ByteArray();
        final Serde<VolumeCount> volumeSerde = topics.volume().valueSerde(registry);

        builder.globalTable(topics.volume().name(), Consumed.with(Serdes.String(), volumeSerde).withName("volume-source"),
                Materialized.<String, VolumeCount, KeyValueStore<Bytes, byte[]>>as(VOLUME_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(volumeSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(COUNTS_STORE), Serdes.String(), Serdes.ByteArray()));
        // A window store drops whole segments once they are older than the retention: no cleanup pass.
        final Duration remember = step.dedupe().off() ? Duration.ofMinutes(1) : step.dedupe().window();
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(DEDUPE_STORE,
                        RoutedIds.retention(remember), RoutedIds.chunkSpan(remember), false),
                Serdes.Long(), Serdes.ByteArray()));

        // One sink that picks each outcome's topic: a split into five branches cost each record three more
        // processor nodes (split, mapValues, sink), a few percent of the hinted path's stream thread.
        final Serializer<RouteOutcome> outcomes = new RouteOutcomeSerializer(
                topics.deadLetters().valueSerde(registry).serializer(), volumeSerde.serializer(),
                new RoutedRequestSerializer(registry));
        builder.stream(topics.requests().name(), Consumed.with(bytes, bytes).withName("requests"))
                .process(() -> new RouteProcessor(step), Named.as("route"), COUNTS_STORE, DEDUPE_STORE)
                .to((key, outcome, context) -> topicOf(outcome, topics),
                        Produced.with(bytes, Serdes.serdeFrom(outcomes, RouteOutcomeSerializer.NOT_READ))
                                .withName("to-outputs"));
        return builder.build();
    }

    /** Dead letters, volume reports and routed requests by tier, each to its topic (GPT unless SLM or tier 0). */
    static String topicOf(final RouteOutcome outcome, final Topics topics) {
        if (outcome instanceof RouteOutcome.Routed routed) {
            return switch (routed.request().getDecision().getTier()) {
                case SLM -> topics.slmRequests().name();
                case TIER0 -> topics.tier0Requests().name();
                default -> topics.gptRequests().name();
            };
        }
        if (outcome instanceof RouteOutcome.Rejected) {
            return topics.deadLetters().name();
        }
        return topics.volume().name();
    }
}
