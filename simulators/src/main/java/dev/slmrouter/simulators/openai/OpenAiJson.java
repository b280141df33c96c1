package dev.slmrouter.simulators.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slmrouter.simulators.common.Answer;
import dev.slmrouter.simulators.common.ChatJson;
import dev.slmrouter.simulators.common.Json;
import java.util.List;

/**
 * Renders answers in OpenAI's Chat Completions shape as recorded from gpt-4o: {@code refusal} and
 * {@code annotations} on every message, a refusal as {@code content: null} with the text in
 * {@code refusal} (and its logprobs under {@code logprobs.refusal}), detailed {@code usage},
 * {@code service_tier} and {@code system_fingerprint}. The model is reported as its dated snapshot.
 */
final class OpenAiJson {

    private OpenAiJson() {
    }

    static ObjectNode chat(final String model, final String fingerprint, final List<Answer> answers,
                           final int promptTokens) {
        final ObjectNode body = Json.object();
        body.put("id", ChatJson.alnumId("chatcmpl-", 29)).put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
        final ArrayNode choices = body.putArray("choices");
        for (int i = 0; i < answers.size(); i++) {
            final Answer a = answers.get(i);
            final ObjectNode choice = choices.addObject().put("index", i);
            final ObjectNode message = choice.putObject("message").put("role", "assistant");
            message.put("content", a.refusal() ? null : a.text()).put("refusal", a.refusal() ? a.text() : null);
            message.putArray("annotations");
            if (a.logprobs().isEmpty()) {
                choice.putNull("logprobs");
            } else {
                final ObjectNode logprobs = choice.putObject("logprobs");
                final ArrayNode content = ChatJson.logprobContent(a.logprobs());
                logprobs.set("content", a.refusal() ? Json.MAPPER.nullNode() : content);
                logprobs.set("refusal", a.refusal() ? content : Json.MAPPER.nullNode());
            }
            choice.put("finish_reason", a.finishReason());
        }
        final int completion = answers.stream().mapToInt(Answer::completionTokens).sum();
        final ObjectNode usage = body.putObject("usage").put("prompt_tokens", promptTokens)
                .put("completion_tokens", completion).put("total_tokens", promptTokens + completion);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        body.put("service_tier", "default").put("system_fingerprint", fingerprint);
        return body;
    }

    static ObjectNode models(final List<String> ids) {
        final ObjectNode body = Json.object().put("object", "list");
        final ArrayNode data = body.putArray("data");
        ids.forEach(id -> data.addObject().put("id", id).put("object", "model").put("created", 1715367049L)
                .put("owned_by", "system"));
        return body;
    }
}
