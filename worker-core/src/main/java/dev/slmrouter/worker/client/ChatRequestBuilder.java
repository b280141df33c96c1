package dev.slmrouter.worker.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mutable builder of a {@link ChatRequest}, made by {@link ChatRequest#builder(String)}. Setting a
 * value to null omits the field; {@link #build()} checks the combination, so an invalid request fails
 * here rather than as a paid-for 400.
 */
public final class ChatRequestBuilder {

    private final String model;
    private List<ChatMessage> messages = List.of();
    private Double temperature;
    private Double topP;
    private Long seed;
    private Integer maxTokens;
    private Integer maxCompletionTokens;
    private boolean logprobs;
    private Integer topLogprobs;
    private ResponseFormat responseFormat;
    private StructuredOutputs structuredOutputs;
    private final Map<String, JsonNode> extra = new LinkedHashMap<>();

    ChatRequestBuilder(final String model) {
        this.model = model;
    }

    public ChatRequestBuilder messages(final List<ChatMessage> value) {
        this.messages = value;
        return this;
    }

    public ChatRequestBuilder messages(final ChatMessage... value) {
        this.messages = List.of(value);
        return this;
    }

    public ChatRequestBuilder temperature(final Double value) {
        this.temperature = value;
        return this;
    }

    public ChatRequestBuilder topP(final Double value) {
        this.topP = value;
        return this;
    }

    public ChatRequestBuilder seed(final Long value) {
        this.seed = value;
        return this;
    }

    public ChatRequestBuilder maxTokens(final Integer value) {
        this.maxTokens = value;
        return this;
    }

    public ChatRequestBuilder maxCompletionTokens(final Integer value) {
        this.maxCompletionTokens = value;
        return this;
    }

    public ChatRequestBuilder responseFormat(final ResponseFormat value) {
        this.responseFormat = value;
        return this;
    }

    public ChatRequestBuilder structuredOutputs(final StructuredOutputs value) {
        this.structuredOutputs = value;
        return this;
    }

    /** Asks for the sampled tokens' log-probabilities and, if {@code top} is not null, that many alternatives. */
    public ChatRequestBuilder logprobs(final boolean value, final Integer top) {
        this.logprobs = value;
        this.topLogprobs = top;
        return this;
    }

    /** A backend-specific top-level field; any Jackson-serializable value. */
    public ChatRequestBuilder extra(final String field, final Object value) {
        extra.put(field, Json.MAPPER.valueToTree(value));
        return this;
    }

    /** The request; throws IllegalArgumentException naming the first value the API would refuse. */
    public ChatRequest build() {
        return new ChatRequest(model, messages, temperature, topP, seed, maxTokens, maxCompletionTokens,
                logprobs, topLogprobs, responseFormat, structuredOutputs, extra);
    }
}
