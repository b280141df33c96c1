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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code POST /v1/completions}: {@code prompt} is a string or a list of strings; each prompt is its own
 * engine sequence and yields {@code n} choices, indexed prompt by prompt ({@code index = prompt * n + j}),
 * as vLLM does; all sequences of the request run in the batch together. {@code max_tokens} defaults to
 * 16 like the OpenAI legacy API. {@code echo} prepends the prompt to the text (prompt logprobs are not
 * simulated). The script runs per prompt, so one prompt of a list can be scripted alone.
 */
final class VllmCompletionsEndpoint implements Endpoint {

    private static final int DEFAULT_MAX_TOKENS = 16;

    private final VllmEngine engine;

    VllmCompletionsEndpoint(final VllmEngine engine) {
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
            final List<SimRequest> prompts = new ArrayList<>();
            for (final String prompt : prompts(body)) {
                prompts.add(SimRequest.fromCompletion(body, prompt));
            }
            final HttpReply rejection = VllmChecks.reject(engine, body, prompts);
            if (rejection != null) {
                return rejection;
            }
            final List<Answer> answers = new ArrayList<>();
            final List<String> echoed = new ArrayList<>();
            final boolean echo = body.path("echo").asBoolean(false);
            int promptTokens = 0;
            for (final SimRequest prompt : prompts) {
                final Directive directive = engine.script().direct(prompt, sequence);
                if (directive.errorStatus() != null) {
                    return engine.errors().scripted(directive.errorStatus());
                }
                engine.generation().hangIfScripted(directive);
                answers.addAll(engine.generation().answers(prompt, directive, DEFAULT_MAX_TOKENS));
                echoed.addAll(Collections.nCopies(prompt.n(), echo ? prompt.promptText() : ""));
                promptTokens += prompt.promptTokens();
            }
            engine.generation().run(answers, promptTokens);
            return VllmJson.completion(engine.model(), answers, echoed, promptTokens);
        } catch (IOException e) {
            return engine.errors().error(400, "Invalid JSON body: " + e.getMessage(), null);
        } catch (BadRequest e) {
            return engine.errors().error(400, e.getMessage(), e.param());
        }
    }

    private static List<String> prompts(final JsonNode body) throws BadRequest {
        final JsonNode prompt = body.get("prompt");
        final List<String> out = new ArrayList<>();
        if (prompt != null && prompt.isTextual()) {
            out.add(prompt.asText());
        } else if (prompt != null && prompt.isArray() && !prompt.isEmpty()) {
            for (final JsonNode p : prompt) {
                if (!p.isTextual()) {
                    throw new BadRequest("the simulator accepts prompt as a string or a list of strings", "prompt");
                }
                out.add(p.asText());
            }
        } else {
            throw new BadRequest("'prompt' must be a string or a non-empty list of strings", "prompt");
        }
        return out;
    }
}
