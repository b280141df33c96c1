package dev.slmrouter.simulators.vllm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slmrouter.simulators.common.Answer;
import dev.slmrouter.simulators.common.BadRequest;
import dev.slmrouter.simulators.common.Directive;
import dev.slmrouter.simulators.common.Endpoint;
import dev.slmrouter.simulators.common.HttpReply;
import dev.slmrouter.simulators.common.Json;
import dev.slmrouter.simulators.common.SimHttpRequest;
import dev.slmrouter.simulators.common.SimRequest;
import java.io.IOException;
import java.util.List;

/**
 * {@code POST /v1/chat/completions}: checks the request like vLLM (model name, context length, outage),
 * applies the script, waits for the engine, and answers in vLLM's chat shape. Without {@code max_tokens}
 * the answer may use the rest of the context, as in vLLM.
 */
final class VllmChatEndpoint implements Endpoint {

    private final VllmEngine engine;

    VllmChatEndpoint(final VllmEngine engine) {
        this.engine = engine;
    }

    @Override
    public HttpReply handle(final SimHttpRequest http) throws InterruptedException {
        return engine.counters().finished(serve(http));
    }

    private HttpReply serve(final SimHttpRequest http) throws InterruptedException {
        final long sequence = engine.counters().arrived();
        if (engine.unavailable()) {
            return engine.errors().engineDown();
        }
        try {
            final JsonNode body = Json.parse(http.body());
            engine.counters().record(body);
            final SimRequest request = SimRequest.fromChat(body);
            final HttpReply rejection = VllmChecks.reject(engine, body, List.of(request));
            if (rejection != null) {
                return rejection;
            }
            final Directive directive = engine.script().direct(request, sequence);
            if (directive.errorStatus() != null) {
                return engine.errors().scripted(directive.errorStatus());
            }
            final List<Answer> answers = engine.generation().generate(request, directive,
                    engine.maxModelLen() - request.promptTokens());
            return VllmJson.chat(engine.model(), answers, request.promptTokens());
        } catch (IOException e) {
            return engine.errors().error(400, "Invalid JSON body: " + e.getMessage(), null);
        } catch (BadRequest e) {
            return engine.errors().error(400, e.getMessage(), e.param());
        }
    }
}
