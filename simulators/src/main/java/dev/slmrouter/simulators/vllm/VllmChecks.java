package dev.slmrouter.simulators.vllm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slmrouter.simulators.common.HttpReply;
import dev.slmrouter.simulators.common.SimRequest;
import java.util.List;

/**
 * The request checks vLLM makes before scheduling, with its messages: an unknown model is a 404, a
 * request longer than the context is a 400. Streaming is not simulated and says so with a 400.
 */
final class VllmChecks {

    private VllmChecks() {
    }

    /** The error to answer, or {@code null} when the request may run. */
    static HttpReply reject(final VllmEngine engine, final JsonNode body, final List<SimRequest> requests) {
        if (body.path("stream").asBoolean(false)) {
            return engine.errors().error(400, "stream=true is not supported by the vLLM simulator", "stream");
        }
        final String model = requests.get(0).model();
        if (model != null && !model.equals(engine.model())) {
            return engine.errors().error(404, "The model `" + model + "` does not exist.", "model");
        }
        final int limit = engine.maxModelLen();
        for (final SimRequest r : requests) {
            final int prompt = r.promptTokens();
            if (r.maxTokens() == null && prompt >= limit) {
                return engine.errors().error(400, "This model's maximum context length is " + limit
                        + " tokens. However, you requested " + prompt + " tokens in the messages, Please reduce"
                        + " the length of the messages.", null);
            }
            if (r.maxTokens() != null && prompt + r.maxTokens() > limit) {
                return engine.errors().error(400, "This model's maximum context length is " + limit
                        + " tokens. However, you requested " + (prompt + r.maxTokens()) + " tokens (" + prompt
                        + " in the messages, " + r.maxTokens() + " in the completion). Please reduce the length"
                        + " of the messages or completion.", null);
            }
        }
        return null;
    }
}
