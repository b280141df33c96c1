package dev.slmrouter.slm.call;

import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.slm.SlmWorkerConfig;
import dev.slmrouter.worker.client.ChatMessage;
import dev.slmrouter.worker.client.ChatRequest;
import dev.slmrouter.worker.client.ResponseFormat;
import dev.slmrouter.worker.client.StructuredOutputs;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the vLLM call for a routed request: the strict per-task-type system prompt before the
 * request's messages; the request's seed, temperature and max tokens, else the configured defaults;
 * logprobs for the confidence; and the answer constrained to the request's labels or response schema,
 * through {@code response_format} (every vLLM version) or vLLM's {@code structured_outputs} (v0.12+).
 */
public final class SlmRequestFactory {

    private final SlmWorkerConfig config;

    public SlmRequestFactory(final SlmWorkerConfig config) {
        this.config = config;
    }

    public ChatRequest build(final RoutedRequest routed) {
        final InferenceRequest request = routed.getRequest();
        final List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system(config.prompts().systemPrompt(routed.getDecision().getTaskType(),
                request.getLabels())));
        request.getMessages().forEach(m -> messages.add(new ChatMessage(m.getRole(), m.getContent())));
        final var builder = ChatRequest.builder(config.model())
                .messages(messages)
                .seed(seed(request))
                .temperature(temperature(request))
                .maxTokens(maxTokens(request))
                .logprobs(true, config.topLogprobs());
        if (request.getResponseSchema() != null) {
            if (config.structuredOutputs()) {
                builder.structuredOutputs(StructuredOutputs.json(request.getResponseSchema()));
            } else {
                builder.responseFormat(ResponseFormat.jsonSchema("answer", request.getResponseSchema(), true));
            }
        } else if (request.getLabels() != null && config.structuredOutputs()) {
            builder.structuredOutputs(StructuredOutputs.choice(request.getLabels()));
        }
        return builder.build();
    }

    public long seed(final InferenceRequest request) {
        return request.getSeed() != null ? request.getSeed() : config.defaultSeed();
    }

    public double temperature(final InferenceRequest request) {
        return request.getTemperature() != null ? request.getTemperature() : config.defaultTemperature();
    }

    public int maxTokens(final InferenceRequest request) {
        return request.getMaxOutputTokens() != null ? request.getMaxOutputTokens() : config.defaultMaxTokens();
    }
}
