package dev.slmrouter.router.topology;

import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.Tier;
import dev.slmrouter.events.VolumeCount;
import dev.slmrouter.router.dedupe.RoutedIds;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The router topology, a pure function of its inputs so tests build it without {@code main}:
 * <pre>
 *   llm.requests (bytes) ─ route ─┬─ rejected ─► llm.dlq          (DeadLetter, original key)
 *                                 ├─ slm ──────► llm.requests.slm (RoutedRequest, key request_id)
 *                                 ├─ tier0 ────► llm.requests.tier0
 *                                 ├─ gpt ──────► llm.requests.gpt
 *                                 └─ volume ───► llm.volume ──► global table read back by route
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
        build(builder, topics, registry, step);
        return builder.build();
    }

    public static void build(final StreamsBuilder builder, final Topics topics, final SchemaRegistryClient registry,
                             final RouteStep step) {
        final Serde<byte[]> bytes = Serdes.ByteArray();
        final Deserializer<RoutedRequest> routedReader = topics.slmRequests().valueSerde(registry).deserializer();
        final Serde<RouteOutcome.Routed> routedSerde = Serdes.serdeFrom(new RoutedRequestSerializer(registry),
                (topic, data) -> new RouteOutcome.Routed(routedReader.deserialize(topic, data), null));
        final Serde<DeadLetter> deadLetterSerde = topics.deadLetters().valueSerde(registry);
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

        final KStream<byte[], RouteOutcome> outcomes = builder
                .stream(topics.requests().name(), Consumed.with(bytes, bytes).withName("requests"))
                .process(() -> new RouteProcessor(step), Named.as("route"), COUNTS_STORE, DEDUPE_STORE);

        outcomes.split(Named.as("branch-"))
                .branch((key, outcome) -> outcome instanceof RouteOutcome.Rejected, Branched.withConsumer(rejected ->
                        rejected.mapValues(o -> ((RouteOutcome.Rejected) o).deadLetter(), Named.as("dead-letter"))
                                .to(topics.deadLetters().name(), Produced.with(bytes, deadLetterSerde)
                                        .withName("to-dlq")), "rejected"))
                .branch((key, outcome) -> outcome instanceof RouteOutcome.VolumeReport, Branched.withConsumer(report ->
                        report.mapValues(o -> ((RouteOutcome.VolumeReport) o).count(), Named.as("volume-count"))
                                .to(topics.volume().name(), Produced.with(bytes, volumeSerde)
                                        .withName("to-volume")), "volume"))
                .branch((key, outcome) -> tierOf(outcome) == Tier.SLM, Branched.withConsumer(slm ->
                        slm.mapValues(o -> (RouteOutcome.Routed) o, Named.as("slm-request"))
                                .to(topics.slmRequests().name(), Produced.with(bytes, routedSerde)
                                        .withName("to-slm")), "slm"))
                .branch((key, outcome) -> tierOf(outcome) == Tier.TIER0, Branched.withConsumer(tier0 ->
                        tier0.mapValues(o -> (RouteOutcome.Routed) o, Named.as("tier0-request"))
                                .to(topics.tier0Requests().name(), Produced.with(bytes, routedSerde)
                                        .withName("to-tier0")), "tier0"))
                .defaultBranch(Branched.withConsumer(gpt ->
                        gpt.mapValues(o -> (RouteOutcome.Routed) o, Named.as("gpt-request"))
                                .to(topics.gptRequests().name(), Produced.with(bytes, routedSerde)
                                        .withName("to-gpt")), "gpt"));
    }

    private static Tier tierOf(final RouteOutcome outcome) {
        return ((RouteOutcome.Routed) outcome).request().getDecision().getTier();
    }
}
