package dev.slmrouter.router.topology;

import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.VolumeCount;
import dev.slmrouter.router.dedupe.RoutedIds;
import dev.slmrouter.router.dedupe.UnloggedTail;
import dev.slmrouter.router.validation.Rejection;
import dev.slmrouter.router.validation.RejectionReason;
import dev.slmrouter.router.volume.VolumeCounter;
import dev.slmrouter.router.volume.VolumeTable;
import dev.slmrouter.serde.SchemaRegistryUnavailableException;
import dev.slmrouter.serde.UnknownSchemaIdException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's one processor: decode, validate, decide, count. Raw bytes come in so that anything
 * undecodable can be dead-lettered with its original bytes; a routed request goes out keyed by its
 * request id. A request id routed within the dedupe window is dead-lettered as a duplicate, so a
 * producer's resend never gets a second result. Every few seconds (wall clock) it publishes this task's volume counts and re-reads the
 * fleet's totals from the volume global table.
 */
final class RouteProcessor implements Processor<byte[], byte[], byte[], RouteOutcome> {

    private static final Logger LOG = LoggerFactory.getLogger(RouteProcessor.class);

    static final String DECODE_STAGE = "router.decode";
    static final String VALIDATE_STAGE = "router.validate";
    static final String ROUTE_STAGE = "router.route";

    private final RouteStep step;
    private final VolumeTable volumes = new VolumeTable();
    private ProcessorContext<byte[], RouteOutcome> context;
    private VolumeCounter counter;
    private ReadOnlyKeyValueStore<String, ValueAndTimestamp<VolumeCount>> volumeStore;
    /** Null when the dedupe window is zero. */
    private RoutedIds routedIds;
    /** Until the first record: the input processed before this start but not in the dedupe log is still to read. */
    private boolean unloggedTailPending;

    RouteProcessor(final RouteStep step) {
        this.step = step;
    }

    @Override
    public void init(final ProcessorContext<byte[], RouteOutcome> context) {
        this.context = context;
        final KeyValueStore<String, byte[]> counts = context.getStateStore(RouterTopology.COUNTS_STORE);
        this.counter = new VolumeCounter(context.taskId().toString(), counts);
        this.volumeStore = context.getStateStore(RouterTopology.VOLUME_STORE);
        if (!step.dedupe().off()) {
            this.routedIds = new RoutedIds(context.getStateStore(RouterTopology.DEDUPE_STORE), step.dedupe().window(),
                    step.dedupe().maxIds(), step.metrics()::dedupeForgotten, context.taskId().toString());
            this.unloggedTailPending = true;
            context.schedule(step.dedupe().logFlush(), PunctuationType.WALL_CLOCK_TIME, time -> routedIds.flush());
        }
        volumes.refresh(volumeStore, step.clock().instant());
        context.schedule(step.volumeEmitInterval(), PunctuationType.WALL_CLOCK_TIME, this::publishVolume);
    }

    private void publishVolume(final long wallClockMillis) {
        final Instant now = Instant.ofEpochMilli(wallClockMillis);
        for (VolumeCount count : counter.flush(now)) {
            context.forward(new Record<>(VolumeCounter.key(count).getBytes(StandardCharsets.UTF_8),
                    new RouteOutcome.VolumeReport(count), wallClockMillis));
        }
        volumes.refresh(volumeStore, now);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        if (routedIds != null) {
            final RecordMetadata source = context.recordMetadata().orElseThrow();
            if (unloggedTailPending) {
                unloggedTailPending = false;
                readUnloggedTail(source);
            }
            routedIds.handled(source.offset(), record.timestamp());
        }
        final Instant now = step.clock().instant();
        if (record.value() == null) {
            reject(record, null, new Rejection(RejectionReason.EMPTY_VALUE, "the value is null"), DECODE_STAGE,
                    "NullValue", now);
            return;
        }
        final InferenceRequest request;
        try {
            request = step.requestDeserializer().deserialize(topic(), record.headers(), record.value());
        } catch (SchemaRegistryUnavailableException e) {
            // Not the record's fault: fail the task so it is retried from the last commit, never dead-lettered.
            throw e;
        } catch (UnknownSchemaIdException e) {
            reject(record, null, new Rejection(RejectionReason.UNKNOWN_SCHEMA_ID, e.getMessage()), DECODE_STAGE,
                    e.getClass().getName(), now);
            return;
        } catch (RuntimeException e) {
            reject(record, null, new Rejection(RejectionReason.UNDECODABLE, String.valueOf(e.getMessage())),
                    DECODE_STAGE, e.getClass().getName(), now);
            return;
        }
        final Optional<Rejection> invalid = step.validator().validate(request);
        if (invalid.isPresent()) {
            reject(record, request.getRequestId(), invalid.get(), VALIDATE_STAGE, "InvalidRequest", now);
            return;
        }
        if (routedIds != null && routedIds.routedBefore(request.getRequestId(), record.timestamp())) {
            reject(record, request.getRequestId(), new Rejection(RejectionReason.DUPLICATE_REQUEST_ID,
                    "request id " + request.getRequestId() + " was already routed within the last "
                            + step.dedupe().window()), VALIDATE_STAGE, "DuplicateRequest", now);
            return;
        }
        final RoutingDecision decision;
        try {
            final long start = request.getTaskType() == null || request.getLanguage() == null ? System.nanoTime() : 0;
            decision = step.decider().decide(request, volumes, now);
            if (start != 0) {
                step.metrics().classificationTook(System.nanoTime() - start);
            }
        } catch (RuntimeException e) {
            reject(record, request.getRequestId(), new Rejection(RejectionReason.ROUTING_FAILED,
                    String.valueOf(e.getMessage())), ROUTE_STAGE, e.getClass().getName(), now);
            return;
        }
        if (routedIds != null) {
            routedIds.add(request.getRequestId(), record.timestamp());
        }
        counter.count(decision.getTaskType(), now);
        step.metrics().routed(decision);
        // One new record (each copies the headers), not withKey(..).withValue(..).
        context.forward(new Record<byte[], RouteOutcome>(request.getRequestId().getBytes(StandardCharsets.UTF_8),
                new RouteOutcome.Routed(new RoutedRequest(request, decision), record.value()), record.timestamp(),
                record.headers()));
    }

    /**
     * Adds the ids of the requests this task routed and committed before it restarted but had not logged yet
     * ({@link RoutedIds}): the input from the log's last covered offset up to {@code first}, the record this
     * start begins with. A request counts as routed when it decodes and is valid, as on the live path (a
     * request that then failed in the decide step, a bug, would be counted too).
     */
    private void readUnloggedTail(final RecordMetadata first) {
        final long from = routedIds.unloggedFrom();
        if (from < 0 || from >= first.offset()) {
            return;
        }
        final int[] added = {0};
        final int read = UnloggedTail.read(context.appConfigs(), new TopicPartition(first.topic(), first.partition()),
                from, first.offset(), tail -> {
                    routedIds.handled(tail.offset(), tail.timestamp());
                    final InferenceRequest request = routable(tail);
                    if (request != null && !routedIds.routedBefore(request.getRequestId(), tail.timestamp())) {
                        routedIds.add(request.getRequestId(), tail.timestamp());
                        added[0]++;
                    }
                });
        LOG.info("Stream task {}: read {} input records (offsets {} to {}) routed before the restart but not in the"
                + " dedupe log yet; added {} request ids", context.taskId(), read, from, first.offset() - 1, added[0]);
    }

    /** The request in {@code record} when it decodes and is valid, else null. */
    private InferenceRequest routable(final ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        final InferenceRequest request;
        try {
            request = step.requestDeserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            return null;
        }
        return step.validator().validate(request).isPresent() ? null : request;
    }

    private void reject(final Record<byte[], byte[]> record, final String requestId, final Rejection rejection,
                        final String stage, final String errorClass, final Instant now) {
        final Optional<RecordMetadata> source = context.recordMetadata();
        final DeadLetter deadLetter = DeadLetter.newBuilder()
                .setSourceTopic(source.map(RecordMetadata::topic).orElse("unknown"))
                .setSourcePartition(source.map(RecordMetadata::partition).orElse(-1))
                .setSourceOffset(source.map(RecordMetadata::offset).orElse(-1L))
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setRequestId(requestId)
                .setStage(stage)
                .setReason(rejection.reason().name())
                .setErrorClass(errorClass)
                .setMessage(rejection.message())
                .setRejectedAt(now)
                .build();
        step.metrics().deadLettered(rejection.reason());
        context.forward(record.withValue(new RouteOutcome.Rejected(deadLetter)));
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
    }
}
