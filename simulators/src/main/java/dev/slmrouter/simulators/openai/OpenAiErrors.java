package dev.slmrouter.simulators.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slmrouter.simulators.common.HttpReply;
import dev.slmrouter.simulators.common.Json;

/**
 * OpenAI's error bodies, {@code {"error":{"message","type","param","code"}}} with {@code code} a string
 * or null, worded like the real ones (rate limits name the limit, the usage and the wait).
 */
final class OpenAiErrors {

    static final String QUOTA_2024 = "You exceeded your current quota, please check your plan and billing details. "
            + "For more information on this error, read the docs: "
            + "https://platform.openai.com/docs/guides/error-codes/api-errors.";
    static final String QUOTA_2023 = "You exceeded your current quota, please check your plan and billing details.";

    private OpenAiErrors() {
    }

    static HttpReply error(final int status, final String message, final String type, final String param,
                           final String code) {
        final ObjectNode body = Json.object();
        body.putObject("error").put("message", message).put("type", type).put("param", param).put("code", code);
        return HttpReply.json(status, body);
    }

    static HttpReply invalidJson() {
        return error(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                + "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was "
                + "not valid JSON.)", "invalid_request_error", null, null);
    }

    static HttpReply badRequest(final String message, final String param) {
        return error(400, message, "invalid_request_error", param, null);
    }

    static HttpReply invalidApiKey() {
        return error(401, "Incorrect API key provided. You can find your API key at "
                + "https://platform.openai.com/account/api-keys.", "invalid_request_error", null, "invalid_api_key");
    }

    static HttpReply quota(final QuotaCode code) {
        return code == QuotaCode.NULL ? error(429, QUOTA_2023, "insufficient_quota", null, null)
                : error(429, QUOTA_2024, "insufficient_quota", null, "insufficient_quota");
    }

    /** {@code kind} is "requests" (RPM) or "tokens" (TPM); OpenAI uses it as the error type. */
    static HttpReply rateLimited(final String model, final String kind, final long limit, final long used,
                                 final long requested, final String wait) {
        final String unit = "requests".equals(kind) ? "requests per min (RPM)" : "tokens per min (TPM)";
        return error(429, "Rate limit reached for " + model + " in organization org-sim on " + unit + ": Limit "
                + limit + ", Used " + used + ", Requested " + requested + ". Please try again in " + wait
                + ". Visit https://platform.openai.com/account/rate-limits to learn more.", kind, null,
                "rate_limit_exceeded");
    }

    static HttpReply serverError() {
        return error(500, "The server had an error while processing your request. Sorry about that!",
                "server_error", null, null);
    }

    /** The body a scripted {@code [sim:error=N]} gets: the usual one for that status. */
    static HttpReply scripted(final int status, final String model) {
        switch (status) {
            case 400: return badRequest("Simulated invalid request.", null);
            case 401: return invalidApiKey();
            case 429: return rateLimited(model, "requests", 1, 1, 1, "1s");
            case 500: return serverError();
            case 503: return error(503, "The engine is currently overloaded, please try again later.",
                    "server_error", null, null);
            default: return error(status, "Simulated error (status " + status + ").",
                    status >= 500 ? "server_error" : "invalid_request_error", null, null);
        }
    }

    static HttpReply notFound(final String method, final String path) {
        return error(404, "Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null);
    }
}
