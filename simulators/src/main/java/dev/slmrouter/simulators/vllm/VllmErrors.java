package dev.slmrouter.simulators.vllm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slmrouter.simulators.common.HttpReply;
import dev.slmrouter.simulators.common.Json;

/**
 * vLLM's error bodies in either envelope. The {@code type} is the HTTP status phrase plus "Error", as
 * vLLM's {@code create_error_response} names them ({@code BadRequestError}, {@code NotFoundError}...).
 */
final class VllmErrors {

    private final ErrorStyle style;

    VllmErrors(final ErrorStyle style) {
        this.style = style;
    }

    HttpReply error(final int status, final String message, final String param) {
        final ObjectNode fields = Json.object();
        if (style == ErrorStyle.FLAT) {
            fields.put("object", "error");
        }
        fields.put("message", message);
        fields.put("type", type(status));
        fields.put("param", param);
        fields.put("code", status);
        if (style == ErrorStyle.FLAT) {
            return HttpReply.json(status, fields);
        }
        final ObjectNode body = Json.object();
        body.set("error", fields);
        return HttpReply.json(status, body);
    }

    HttpReply scripted(final int status) {
        return error(status, "Simulated error (status " + status + ") requested by the script.", null);
    }

    HttpReply engineDown() {
        return error(503, "The engine is not running (simulated outage).", null);
    }

    private static String type(final int status) {
        switch (status) {
            case 400: return "BadRequestError";
            case 401: return "UnauthorizedError";
            case 404: return "NotFoundError";
            case 408: return "RequestTimeoutError";
            case 422: return "UnprocessableEntityError";
            case 429: return "TooManyRequestsError";
            case 500: return "InternalServerError";
            case 501: return "NotImplementedError";
            case 502: return "BadGatewayError";
            case 503: return "ServiceUnavailableError";
            case 504: return "GatewayTimeoutError";
            default: return "Error";
        }
    }
}
