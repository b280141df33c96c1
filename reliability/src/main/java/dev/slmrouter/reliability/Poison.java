package dev.slmrouter.reliability;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.events.TaskType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The bad inputs the suite mixes into its traffic: bytes that are not a request at all, requests the
 * router must refuse, requests that are odd but valid, and a request id sent twice. Each must end as a
 * dead letter with its reason or as one correct answer, and the services must keep running.
 */
final class Poison {

    /** One bad input: raw bytes, or a request to serialize, with what it is. */
    record Input(String kind, String requestId, byte[] bytes, InferenceRequest request) {
    }

    /** A value just under the broker's default 1 MB message limit. */
    static final int NEAR_MAX_MESSAGE_BYTES = 1_000_000;

    private Poison() {
    }

    /** Every kind once; {@code serialize} turns a request into Confluent wire-format bytes. */
    static List<Input> all(final Random random, final Function<InferenceRequest, byte[]> serialize) {
        final List<Input> inputs = new ArrayList<>();
        final byte[] noise = new byte[64];
        random.nextBytes(noise);
        inputs.add(raw("random bytes", noise));
        final byte[] valid = serialize.apply(request("poison-truncated", "Is this cut short?"));
        inputs.add(raw("truncated Avro", Arrays.copyOf(valid, valid.length / 2)));
        final byte[] unknownId = valid.clone();
        unknownId[1] = 0x7f;
        unknownId[2] = 0x7f;
        inputs.add(raw("unknown schema id", unknownId));
        final byte[] wrongMagic = serialize.apply(request("poison-magic", "Wrong magic byte"));
        wrongMagic[0] = 7;
        inputs.add(raw("wrong magic byte", wrongMagic));
        inputs.add(raw("empty value", new byte[0]));
        inputs.add(new Input("value near the broker's maximum size", "poison-huge", null,
                request("poison-huge", "x".repeat(NEAR_MAX_MESSAGE_BYTES - 2_000))));
        inputs.add(new Input("invalid JSON Schema", "poison-bad-schema", null, InferenceRequest.newBuilder(
                request("poison-bad-schema", "Extract the total of 12.50")).setTaskType(TaskType.EXTRACTION)
                .setResponseSchema("{\"type\": 12, \"properties\": [}").build()));
        inputs.add(new Input("a schema no answer can satisfy", "poison-unsatisfiable", null, InferenceRequest.newBuilder(
                request("poison-unsatisfiable", "Extract the total of 12.50")).setTaskType(TaskType.EXTRACTION)
                .setResponseSchema("{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"}},"
                        + "\"required\":[\"total\"],\"not\":{}}").build()));
        inputs.add(new Input("unicode edge cases", "poison-unicode", null, request("poison-unicode",
                "Summarize: lone surrogate \uD800 end; RTL \u202Eمرحبا بالعالم\u202C; zero-width a\u200Bb\u200Dc\uFEFF; "
                        + "emoji 👩‍👩‍👧 and combining e\u0301")));
        inputs.add(new Input("empty message list", "poison-no-messages", null, InferenceRequest.newBuilder(
                request("poison-no-messages", "unused")).setMessages(List.of()).build()));
        final InferenceRequest twice = request("poison-twice", "Summarize: this request id is sent twice.");
        inputs.add(new Input("request id sent twice (first)", twice.getRequestId(), null, twice));
        inputs.add(new Input("request id sent twice (second)", twice.getRequestId(), null, twice));
        return inputs;
    }

    private static Input raw(final String kind, final byte[] bytes) {
        return new Input(kind, null, bytes, null);
    }

    private static InferenceRequest request(final String id, final String text) {
        return InferenceRequest.newBuilder().setRequestId(id).setTenant("fault-suite")
                .setTaskType(TaskType.SUMMARIZATION).setLanguage("en").setLatencyClass(LatencyClass.BATCH)
                .setMessages(List.of(new ChatMessage("user", text))).setCreatedAt(Instant.now()).build();
    }
}
