package dev.slmrouter.simulators.vllm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slmrouter.simulators.common.Answer;
import dev.slmrouter.simulators.common.ChatJson;
import dev.slmrouter.simulators.common.HttpReply;
import dev.slmrouter.simulators.common.Json;
import dev.slmrouter.simulators.common.TokenLogprob;
import java.util.List;

/**
 * Renders answers in vLLM's response shapes, including the extra fields a client must ignore
 * ({@code stop_reason}, {@code token_ids}, {@code prompt_logprobs}, {@code prompt_token_ids},
 * {@code kv_transfer_params}, {@code reasoning}/{@code reasoning_content}, empty {@code tool_calls}).
 * Legacy completions use {@code {text_offset, token_logprobs, tokens, top_logprobs: [{token: logprob}]}}.
 */
final class VllmJson {

    private static final boolean CHAT = true;

    private VllmJson() {
    }

    static HttpReply chat(final String model, final List<Answer> answers, final int promptTokens) {
        final ObjectNode body = head("chatcmpl-" + ChatJson.hexId("", 32), "chat.completion", model);
        final ArrayNode choices = body.putArray("choices");
        for (int i = 0; i < answers.size(); i++) {
            final Answer a = answers.get(i);
            final ObjectNode choice = choices.addObject().put("index", i);
            final ObjectNode message = choice.putObject("message");
            message.put("role", "assistant").put("content", a.text()).putNull("refusal").putNull("annotations")
                    .putNull("audio").putNull("function_call");
            message.putArray("tool_calls");
            message.putNull("reasoning").putNull("reasoning_content");
            if (a.logprobs().isEmpty()) {
                choice.putNull("logprobs");
            } else {
                choice.putObject("logprobs").set("content", ChatJson.logprobContent(a.logprobs()));
            }
            choice.put("finish_reason", a.finishReason()).putNull("stop_reason").putNull("token_ids");
        }
        return finish(body, answers, promptTokens, CHAT).withHeaders(ChatJson.confidenceHeader(answers));
    }

    static HttpReply completion(final String model, final List<Answer> answers, final List<String> echoed,
                                final int promptTokens) {
        final ObjectNode body = head("cmpl-" + ChatJson.hexId("", 16), "text_completion", model);
        final ArrayNode choices = body.putArray("choices");
        for (int i = 0; i < answers.size(); i++) {
            final Answer a = answers.get(i);
            final String prefix = echoed.get(i);
            final ObjectNode choice = choices.addObject().put("index", i).put("text", prefix + a.text());
            if (a.logprobs().isEmpty()) {
                choice.putNull("logprobs");
            } else {
                choice.set("logprobs", legacyLogprobs(a.logprobs(), prefix.length()));
            }
            choice.put("finish_reason", a.finishReason()).putNull("stop_reason").putNull("prompt_logprobs")
                    .putNull("prompt_token_ids").putNull("token_ids");
        }
        return finish(body, answers, promptTokens, !CHAT).withHeaders(ChatJson.confidenceHeader(answers));
    }

    private static ObjectNode legacyLogprobs(final List<TokenLogprob> logprobs, final int offset0) {
        final ObjectNode out = Json.object();
        final ArrayNode offsets = out.putArray("text_offset");
        final ArrayNode values = out.putArray("token_logprobs");
        final ArrayNode tokens = out.putArray("tokens");
        final ArrayNode tops = out.putArray("top_logprobs");
        int offset = offset0;
        for (final TokenLogprob lp : logprobs) {
            offsets.add(offset);
            offset += lp.token().length();
            values.add(lp.logprob());
            tokens.add(lp.token());
            final ObjectNode top = tops.addObject();
            lp.top().forEach(alt -> top.put(alt.token(), alt.logprob()));
        }
        return out;
    }

    private static ObjectNode head(final String id, final String object, final String model) {
        final ObjectNode body = Json.object();
        body.put("id", id).put("object", object).put("created", System.currentTimeMillis() / 1000)
                .put("model", model);
        return body;
    }

    private static HttpReply finish(final ObjectNode body, final List<Answer> answers, final int promptTokens,
                                    final boolean chat) {
        final int completion = answers.stream().mapToInt(Answer::completionTokens).sum();
        body.putNull("service_tier").putNull("system_fingerprint");
        body.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens + completion)
                .put("completion_tokens", completion).putNull("prompt_tokens_details");
        if (chat) { // legacy completions carry these per choice instead
            body.putNull("prompt_logprobs").putNull("prompt_token_ids");
        }
        body.putNull("kv_transfer_params");
        return HttpReply.json(200, body);
    }
}
