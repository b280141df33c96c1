package dev.slmrouter.router.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.localstack.kafka.KafkaBroker;
import dev.slmrouter.localstack.kafka.KafkaBrokerExtension;
import dev.slmrouter.localstack.kafka.KafkaTestClients;
import dev.slmrouter.router.RouterConfig;
import dev.slmrouter.router.TestPolicies;
import dev.slmrouter.router.TestRequests;
import dev.slmrouter.router.metrics.RouterMetrics;
import dev.slmrouter.router.policy.PolicyLoader;
import dev.slmrouter.router.routing.RoutingDecider;
import dev.slmrouter.router.size.TokenEstimator;
import dev.slmrouter.router.topology.RouteStep;
import dev.slmrouter.router.topology.RouterTopology;
import dev.slmrouter.router.validation.RequestValidator;
import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.InMemorySchemaRegistry;
import dev.slmrouter.serde.SchemaRegistryUnavailableException;
import dev.slmrouter.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request-id dedupe on a real broker across the two things that can lose it: a stream thread that dies
 * mid-transaction (exactly-once wipes the task's state; it is restored from the changelog and the
 * uncommitted records are processed again) and a task that moves to an instance with no local state.
 * Ids routed before either must be recognised afterwards, and ids whose routing was aborted must not be.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DedupeRecoveryTest {

    private static final int FIRST = 150;
    private static final int SECOND = 150;
    private static final int CRASH_AT = FIRST + 50;
    private static final int NEW_AFTER_MOVE = 50;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void routedIdsSurviveACrashAndAMoveAndAbortedOnesAreNotRemembered(final KafkaBroker broker,
            @TempDir final Path firstState, @TempDir final Path secondState) throws Exception {
        final String prefix = KafkaTestClients.uniqueName("dedupe");
        final Topics topics = Topics.from((key, name) -> prefix + "." + name);
        final Map<String, Integer> partitions = new HashMap<>();
        topics.allNames().forEach(name -> partitions.put(name, 2));
        partitions.remove(topics.volume().name());
        broker.createTopics(partitions);
        broker.createCompactedTopics(Map.of(topics.volume().name(), 1));
        final String appId = prefix + "-router";

        final AtomicInteger decoded = new AtomicInteger();
        final AtomicInteger crashes = new AtomicInteger();
        try (KafkaStreams first = start(broker, topics, appId, firstState, decoded, crashes)) {
            produce(broker, topics, "id-", 0, FIRST);
            awaitRouted(broker, topics, FIRST);
            // The thread dies on the 50th request of this batch; its replacement routes them all once.
            produce(broker, topics, "id-", FIRST, SECOND);
            awaitRouted(broker, topics, FIRST + SECOND);
            assertThat(crashes.get()).as("the injected crash happened").isEqualTo(1);
            first.close(Duration.ofSeconds(30));
        }
        assertThat(routedIds(broker, topics, FIRST + SECOND)).as("nothing routed twice, nothing flagged wrongly")
                .hasSize(FIRST + SECOND);
        assertThat(deadLetters(broker, topics, 0)).isEmpty();

        // Another instance, no local state: everything it knows comes from the changelog.
        try (KafkaStreams second = start(broker, topics, appId, secondState, new AtomicInteger(Integer.MIN_VALUE),
                crashes)) {
            produce(broker, topics, "id-", 0, FIRST + SECOND);
            produce(broker, topics, "new-", 0, NEW_AFTER_MOVE);
            final List<DeadLetter> duplicates = deadLetters(broker, topics, FIRST + SECOND);
            assertThat(duplicates).hasSize(FIRST + SECOND);
            assertThat(duplicates).allSatisfy(d -> assertThat(d.getReason()).isEqualTo("DUPLICATE_REQUEST_ID"));
            assertThat(duplicates.stream().map(DeadLetter::getRequestId).collect(Collectors.toSet()))
                    .hasSize(FIRST + SECOND);
            final List<String> routed = routedIds(broker, topics, FIRST + SECOND + NEW_AFTER_MOVE);
            assertThat(routed).hasSize(FIRST + SECOND + NEW_AFTER_MOVE);
            assertThat(new HashSet<>(routed)).hasSize(FIRST + SECOND + NEW_AFTER_MOVE);
            second.close(Duration.ofSeconds(30));
        }
    }

    /** The router's topology; its request decoder fails once (a registry outage) when {@code decoded} hits CRASH_AT. */
    private KafkaStreams start(final KafkaBroker broker, final Topics topics, final String appId, final Path state,
                               final AtomicInteger decoded, final AtomicInteger crashes) {
        final Deserializer<InferenceRequest> requests = topics.requests().valueSerde(registry).deserializer();
        final Deserializer<InferenceRequest> crashingOnce = (topic, data) -> {
            if (decoded.incrementAndGet() == CRASH_AT) {
                crashes.incrementAndGet();
                throw new SchemaRegistryUnavailableException("injected: the registry is down");
            }
            return requests.deserialize(topic, data);
        };
        final RouteStep step = new RouteStep(crashingOnce, new RequestValidator(2_000),
                new RoutingDecider(PolicyLoader.parse(TestPolicies.SMALL_BANDS, "test"), request -> {
                    throw new AssertionError("hinted requests are not classified");
                }, text -> {
                    throw new AssertionError("hinted requests are not language-detected");
                }, new TokenEstimator()),
                new RouterMetrics(new SimpleMeterRegistry()), Duration.ofSeconds(10),
                // Only full chunks are logged, so every restart must read the input after the last one again.
                new DedupeSettings(Duration.ofHours(1), 10_000, Duration.ofDays(1)), Clock.systemUTC());
        final Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put(RouterConfig.APPLICATION_ID, appId);
        settings.put("schema.registry.url", "http://in-memory.invalid");
        settings.put(RouterConfig.STATE_DIR, state.toString());
        // A dead thread's or closed instance's partitions move once its session times out (Streams does not
        // leave the group on close): the broker's minimum instead of 45 s.
        settings.put("kafka.session.timeout.ms", "6000");
        final KafkaStreams streams = new KafkaStreams(RouterTopology.build(topics, registry, step),
                RouterConfig.from(Settings.of(settings)).streamsProperties());
        streams.setUncaughtExceptionHandler(e ->
                StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD);
        streams.start();
        return streams;
    }

    private void produce(final KafkaBroker broker, final Topics topics, final String idPrefix, final int from,
                         final int count) {
        final ConfluentAvroSerde<InferenceRequest> serde = topics.requests().valueSerde(registry);
        try (KafkaProducer<String, InferenceRequest> producer = new KafkaProducer<>(
                KafkaTestClients.producerConfig(broker.bootstrapServers()), new StringSerializer(),
                serde.serializer())) {
            for (int i = from; i < from + count; i++) {
                final InferenceRequest request = TestRequests.hinted(idPrefix + i, TaskType.CLASSIFICATION, "en").build();
                producer.send(new ProducerRecord<>(topics.requests().name(), request.getRequestId(), request));
            }
        }
    }

    private void awaitRouted(final KafkaBroker broker, final Topics topics, final int expected) {
        assertThat(routedIds(broker, topics, expected)).hasSize(expected);
    }

    /** The request ids on the slm and gpt topics (read_committed, each topic read to its end). */
    private List<String> routedIds(final KafkaBroker broker, final Topics topics, final int expected) {
        final Deserializer<RoutedRequest> routed = topics.slmRequests().valueSerde(registry).deserializer();
        final List<String> ids = new ArrayList<>();
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            ids.clear();
            for (String topic : List.of(topics.slmRequests().name(), topics.gptRequests().name())) {
                for (ConsumerRecord<byte[], RoutedRequest> record : KafkaTestClients.drain(broker.bootstrapServers(),
                        topic, 0, Duration.ofSeconds(2), new ByteArrayDeserializer(), routed)) {
                    ids.add(record.value().getRequest().getRequestId());
                }
            }
        } while (ids.size() < expected && System.nanoTime() < deadline);
        return ids;
    }

    private List<DeadLetter> deadLetters(final KafkaBroker broker, final Topics topics, final int expected) {
        return KafkaTestClients.drain(broker.bootstrapServers(), topics.deadLetters().name(), expected,
                        Duration.ofSeconds(expected == 0 ? 3 : 60), new ByteArrayDeserializer(),
                        topics.deadLetters().valueSerde(registry).deserializer())
                .stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }
}
