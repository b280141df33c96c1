package dev.slmrouter.simulators.vllm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slmrouter.simulators.common.ChatJson;
import dev.slmrouter.simulators.common.HttpReply;
import dev.slmrouter.simulators.common.Json;
import dev.slmrouter.simulators.common.SimHttpRequest;
import dev.slmrouter.simulators.common.SimStats;

/**
 * vLLM's small endpoints: the model card list, {@code /health} (200 with an empty body, 503 while the
 * engine is down), {@code /version}, Prometheus {@code /metrics} with the scheduler gauges, and FastAPI's
 * {@code {"detail":"Not Found"}} for unknown routes.
 */
final class VllmInfoEndpoints {

    private final VllmEngine engine;
    private final long created = System.currentTimeMillis() / 1000;

    VllmInfoEndpoints(final VllmEngine engine) {
        this.engine = engine;
    }

    HttpReply models(final SimHttpRequest request) {
        final ObjectNode body = Json.object().put("object", "list");
        final ObjectNode card = body.putArray("data").addObject();
        card.put("id", engine.model()).put("object", "model").put("created", created).put("owned_by", "vllm")
                .put("root", engine.model()).putNull("parent").put("max_model_len", engine.maxModelLen());
        card.putArray("permission").addObject()
                .put("id", ChatJson.hexId("modelperm-", 32)).put("object", "model_permission")
                .put("created", created).put("allow_create_engine", false).put("allow_sampling", true)
                .put("allow_logprobs", true).put("allow_search_indices", false).put("allow_view", true)
                .put("allow_fine_tuning", false).put("organization", "*").putNull("group")
                .put("is_blocking", false);
        return HttpReply.json(200, body);
    }

    HttpReply health(final SimHttpRequest request) {
        return HttpReply.empty(engine.unavailable() ? 503 : 200);
    }

    HttpReply version(final SimHttpRequest request) {
        return HttpReply.json(200, Json.object().put("version", engine.version()));
    }

    HttpReply metrics(final SimHttpRequest request) {
        final SimStats stats = engine.counters().snapshot(engine.generation().load());
        final String labels = "{engine=\"0\",model_name=\"" + engine.model() + "\"}";
        final String text = gauge("vllm:num_requests_running", "Number of requests in model execution batches.",
                labels, stats.running())
                + gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels,
                stats.waiting())
                + "# HELP vllm:request_success_total Count of successfully processed requests.\n"
                + "# TYPE vllm:request_success_total counter\n"
                + "vllm:request_success_total" + labels + " " + (double) stats.requestsServed() + "\n";
        return HttpReply.text(200, "text/plain; version=0.0.4; charset=utf-8", text);
    }

    HttpReply notFound(final SimHttpRequest request) {
        return HttpReply.json(404, "{\"detail\":\"Not Found\"}");
    }

    private static String gauge(final String name, final String help, final String labels, final double value) {
        return "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + labels + " " + value + "\n";
    }
}
