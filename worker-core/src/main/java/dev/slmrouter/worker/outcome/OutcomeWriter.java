package dev.slmrouter.worker.outcome;

import dev.slmrouter.events.Alert;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.ShadowRequest;
import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Turns a worker's outcome into the record the loop commits: a result on the results topic, an
 * escalation on the escalation topic (both keyed by request id), a dead letter keyed by the original key,
 * or an alert keyed by its id. One place for them, so both workers write them the same way.
 */
public final class OutcomeWriter {

    private final Topics topics;
    private final Serializer<InferenceResult> results;
    private final Serializer<Escalation> escalations;
    private final Serializer<DeadLetter> deadLetters;
    private final Serializer<Alert> alerts;
    private final Serializer<ShadowRequest> shadowRequests;
    private final Serializer<ShadowComparison> comparisons;

    public OutcomeWriter(final Topics topics, final SchemaRegistryClient registry) {
        this.topics = topics;
        this.results = ConfluentAvroSerde.forValue(InferenceResult.class, registry).serializer();
        this.escalations = ConfluentAvroSerde.forValue(Escalation.class, registry).serializer();
        this.deadLetters = ConfluentAvroSerde.forValue(DeadLetter.class, registry).serializer();
        this.alerts = ConfluentAvroSerde.forValue(Alert.class, registry).serializer();
        this.shadowRequests = ConfluentAvroSerde.forValue(ShadowRequest.class, registry).serializer();
        this.comparisons = ConfluentAvroSerde.forValue(ShadowComparison.class, registry).serializer();
    }

    public List<ProducerRecord<byte[], byte[]>> result(final InferenceResult result) {
        final String topic = topics.results().name();
        return List.of(new ProducerRecord<>(topic, key(result.getRequestId()), results.serialize(topic, result)));
    }

    public List<ProducerRecord<byte[], byte[]>> escalation(final Escalation escalation) {
        final String topic = topics.escalations().name();
        return List.of(new ProducerRecord<>(topic, key(escalation.getRouted().getRequest().getRequestId()),
                escalations.serialize(topic, escalation)));
    }

    /** A request handed to the GPT worker for shadowing, keyed by request id. */
    public List<ProducerRecord<byte[], byte[]>> shadowRequest(final ShadowRequest request) {
        final String topic = topics.shadowRequests().name();
        return List.of(new ProducerRecord<>(topic, key(request.getRouted().getRequest().getRequestId()),
                shadowRequests.serialize(topic, request)));
    }

    /** A shadow comparison, keyed by request id. */
    public List<ProducerRecord<byte[], byte[]>> comparison(final ShadowComparison comparison) {
        final String topic = topics.shadowComparisons().name();
        return List.of(new ProducerRecord<>(topic, key(comparison.getRequestId()), comparisons.serialize(topic, comparison)));
    }

    /** An alert, keyed by its id. */
    public List<ProducerRecord<byte[], byte[]>> alert(final Alert alert) {
        final String topic = topics.alerts().name();
        return List.of(new ProducerRecord<>(topic, key(alert.getAlertId()), alerts.serialize(topic, alert)));
    }

    /** A dead letter for a consumed record that cannot be handled, keeping its original bytes. */
    public List<ProducerRecord<byte[], byte[]>> deadLetter(final ConsumerRecord<byte[], byte[]> source,
                                                           final String stage, final String reason,
                                                           final Throwable error, final Instant now) {
        final DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setOriginalKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
                .setOriginalValue(source.value() == null ? null : ByteBuffer.wrap(source.value()))
                .setStage(stage)
                .setReason(reason)
                .setErrorClass(error.getClass().getName())
                .setMessage(String.valueOf(error.getMessage()))
                .setRejectedAt(now)
                .build();
        final String topic = topics.deadLetters().name();
        return List.of(new ProducerRecord<>(topic, source.key(), deadLetters.serialize(topic, letter)));
    }

    private static byte[] key(final String requestId) {
        return requestId.getBytes(StandardCharsets.UTF_8);
    }
}
