package dev.slmrouter.worker.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The error envelopes of OpenAI and of both vLLM generations (own fixtures). */
class BackendErrorTest {

    private static final String CONTEXT = "This model's maximum context length is 4096 tokens. However, you requested"
            + " 5120 tokens (4096 in the messages, 1024 in the completion). Please reduce the length of the messages"
            + " or completion.";

    @Test
    void openAiCodeIsAStringOrNull() {
        assertThat(BackendError.parse(Fixtures.own("openai/error-429-quota-code.json"))).contains(new BackendError(
                "You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota", null, "insufficient_quota"));
        assertThat(BackendError.parse(Fixtures.own("openai/error-429-quota-null.json")).orElseThrow().code()).isNull();
    }

    @Test
    void vllmFlatAndNestedShapesReadTheSameWithTheIntegerCodeAsText() {
        final BackendError expected = new BackendError(CONTEXT, "BadRequestError", null, "400");

        assertThat(BackendError.parse(Fixtures.own("vllm/error-flat.json"))).contains(expected);
        assertThat(BackendError.parse(Fixtures.own("vllm/error-nested.json"))).contains(expected);
    }

    @Test
    void quotaIsRecognisedByTypeOrCode() {
        assertThat(new BackendError("m", "insufficient_quota", null, null).insufficientQuota()).isTrue();
        assertThat(new BackendError("m", null, null, "insufficient_quota").insufficientQuota()).isTrue();
        assertThat(new BackendError("m", "requests", null, "rate_limit_exceeded").insufficientQuota()).isFalse();
    }

    @Test
    void otherShapesAndNonJson() {
        assertThat(BackendError.parse("{\"error\":\"model not loaded\"}"))
                .contains(new BackendError("model not loaded", null, null, null));
        assertThat(BackendError.parse("{\"detail\":\"Not Found\"}"))
                .contains(new BackendError("Not Found", null, null, null));
        assertThat(BackendError.parse("{\"error\":{\"message\":\"m\",\"code\":{\"x\":1}}}").orElseThrow().code())
                .isEqualTo("{\"x\":1}");
        assertThat(BackendError.parse("Internal Server Error")).isEmpty();
        assertThat(BackendError.parse("")).isEmpty();
        assertThat(BackendError.parse(null)).isEmpty();
        assertThat(BackendError.parse("[1,2]")).isEmpty();
        assertThat(BackendError.parse("{\"id\":\"chatcmpl-1\"}")).isEmpty();
    }
}
