package dev.slmrouter.simulators.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slmrouter.simulators.common.Answer;
import dev.slmrouter.simulators.common.BadRequest;
import dev.slmrouter.simulators.common.ChatJson;
import dev.slmrouter.simulators.common.Directive;
import dev.slmrouter.simulators.common.Endpoint;
import dev.slmrouter.simulators.common.HttpReply;
import dev.slmrouter.simulators.common.Json;
import dev.slmrouter.simulators.common.SimHttpRequest;
import dev.slmrouter.simulators.common.SimRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/chat/completions} as OpenAI serves it: API key check, armed fault bursts, request
 * validation, rate limits, the script, then the answer after a realistic delay. Every reply carries the
 * rate-limit headers, {@code x-request-id}, {@code openai-version} and {@code openai-processing-ms};
 * 429s add {@code retry-after-ms} and {@code retry-after}.
 */
final class OpenAiChatEndpoint implements Endpoint {

    private static final int DEFAULT_MAX_TOKENS = 16_384;

    private final OpenAiState state;

    OpenAiChatEndpoint(final OpenAiState state) {
        this.state = state;
    }

    @Override
    public HttpReply handle(final SimHttpRequest http) throws InterruptedException {
        final long start = System.nanoTime();
        final HttpReply reply = serve(http);
        final Map<String, String> headers = new HashMap<>(state.limits().headers());
        headers.put("x-request-id", ChatJson.hexId("req_", 32));
        headers.put("openai-version", "2020-10-01");
        headers.put("openai-organization", "org-sim");
        headers.put("openai-processing-ms", Long.toString((System.nanoTime() - start) / 1_000_000));
        return state.counters().finished(headers(reply, headers));
    }

    private HttpReply serve(final SimHttpRequest http) throws InterruptedException {
        final long sequence = state.counters().arrived();
        final JsonNode body;
        try {
            body = Json.parse(http.body());
        } catch (IOException e) {
            return OpenAiErrors.invalidJson();
        }
        state.counters().record(body);
        if (state.apiKey() != null && !("Bearer " + state.apiKey()).equals(http.header("authorization"))) {
            return OpenAiErrors.invalidApiKey();
        }
        // Error messages name the model as requested; answers report the dated snapshot.
        final String model = Json.text(body, "model") == null ? state.defaultModel() : Json.text(body, "model");
        switch (state.faults().next()) {
            case QUOTA:
                return OpenAiErrors.quota(state.faults().quota());
            case RATE_LIMIT:
                return burst429(model);
            case SERVER_ERROR:
                return OpenAiErrors.serverError();
            case TIMEOUT:
                state.generation().hang();
                break;
            default:
                break;
        }
        try {
            return answer(body, model, sequence);
        } catch (BadRequest e) {
            return OpenAiErrors.badRequest(e.getMessage(), e.param());
        }
    }

    private HttpReply answer(final JsonNode body, final String model, final long sequence)
            throws BadRequest, InterruptedException {
        if (body.path("stream").asBoolean(false)) {
            throw new BadRequest("stream=true is not supported by the OpenAI simulator", "stream");
        }
        final SimRequest request = SimRequest.fromChat(body);
        final long estimate = request.promptTokens() + (request.maxTokens() == null ? 0 : request.maxTokens());
        final RateLimits.Admission admission = state.limits().admit(estimate);
        if (!admission.admitted()) {
            return OpenAiErrors.rateLimited(model, admission.kind(), admission.limit(), admission.used(),
                    admission.requested(), GoDuration.format(admission.retryAfter()))
                    .withHeaders(retryAfter(admission.retryAfter()));
        }
        final Directive directive = state.script().direct(request, sequence);
        if (directive.errorStatus() != null) {
            return OpenAiErrors.scripted(directive.errorStatus(), model);
        }
        final List<Answer> answers = state.generation().generate(request, directive, DEFAULT_MAX_TOKENS);
        if (request.maxTokens() == null) {
            state.limits().charge(answers.stream().mapToInt(Answer::completionTokens).sum());
        }
        return HttpReply.json(200, OpenAiJson.chat(state.snapshot(model), state.fingerprint(), answers,
                request.promptTokens()))
                .withHeaders(ChatJson.confidenceHeader(answers));
    }

    private HttpReply burst429(final String model) {
        final Duration wait = state.faults().retryAfter();
        final Map<String, String> h = new HashMap<>(retryAfter(wait));
        h.put("x-ratelimit-remaining-requests", "0");
        h.put("x-ratelimit-reset-requests", GoDuration.format(wait));
        final String limit = state.limits().headers().get("x-ratelimit-limit-requests");
        return OpenAiErrors.rateLimited(model, "requests", Long.parseLong(limit), Long.parseLong(limit), 1,
                GoDuration.format(wait)).withHeaders(h);
    }

    private static Map<String, String> retryAfter(final Duration wait) {
        final long ms = Math.max(1, wait.toMillis());
        return Map.of("retry-after-ms", Long.toString(ms), "retry-after", Long.toString((ms + 999) / 1000));
    }

    /** Scripted or rate-limit headers set on the reply win over the general ones. */
    private static HttpReply headers(final HttpReply reply, final Map<String, String> general) {
        final Map<String, String> merged = new HashMap<>(general);
        merged.putAll(reply.headers());
        return reply.withHeaders(merged);
    }
}
