package dev.slmrouter.simulators.vllm;

import static dev.slmrouter.simulators.common.SimClient.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slmrouter.simulators.common.SimClient;
import dev.slmrouter.simulators.common.SimClient.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The vLLM simulator answers in vLLM's real shapes (compare ../shared/contracts/vllm). */
class VllmShapesTest {

    private static VllmSimulator sim;
    private static final SimClient HTTP = new SimClient();

    @BeforeAll
    static void start() {
        sim = VllmSimulator.builder().model("test/model-7b").maxModelLen(2048).timeScale(0.0)
                .timeToFirstToken(Duration.ofMillis(1)).build().start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerChatWithVllmFieldsIncludingTheExtrasClientsMustIgnore() throws Exception {
        final Reply reply = HTTP.post(sim.baseUrl() + "/chat/completions",
                chat("Summarize: the parcel arrived late.", "\"model\":\"test/model-7b\",\"seed\":1"));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("content-type")).isEqualTo("application/json");
        final JsonNode body = reply.json();
        assertThat(body.get("id").asText()).matches("chatcmpl-[0-9a-f]{32}");
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("created").isIntegralNumber()).isTrue();
        assertThat(body.get("model").asText()).isEqualTo("test/model-7b");
        final JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isNotBlank();
        assertThat(choice.get("message").get("tool_calls").isArray()).isTrue();
        assertThat(choice.get("message").has("reasoning_content")).isTrue();
        assertThat(choice.get("logprobs").isNull()).isTrue();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.get("stop_reason").isNull()).isTrue();
        assertThat(body.get("prompt_logprobs").isNull()).isTrue();
        assertThat(body.get("kv_transfer_params").isNull()).isTrue();
        final JsonNode usage = body.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isPositive();
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
    }

    @Test
    void shouldAnswerEachPromptOfAListWithItsOwnIndexedChoice() throws Exception {
        final Reply reply = HTTP.post(sim.baseUrl() + "/completions", "{\"model\":\"test/model-7b\","
                + "\"prompt\":[\"A robot may not injure a human being\",\"My name is\"],\"logprobs\":3,\"seed\":5}");
        assertThat(reply.status()).isEqualTo(200);
        final JsonNode body = reply.json();
        assertThat(body.get("object").asText()).isEqualTo("text_completion");
        assertThat(body.get("choices")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            final JsonNode choice = body.get("choices").get(i);
            assertThat(choice.get("index").asInt()).isEqualTo(i);
            final JsonNode lp = choice.get("logprobs");
            final int n = lp.get("tokens").size();
            assertThat(n).isBetween(1, 16); // the legacy default max_tokens
            assertThat(lp.get("token_logprobs")).hasSize(n);
            assertThat(lp.get("text_offset")).hasSize(n);
            assertThat(lp.get("top_logprobs").get(0).size()).isEqualTo(4); // sampled token + 3
            assertThat(choice.has("stop_reason")).isTrue();
        }
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(
                body.get("choices").get(0).get("logprobs").get("tokens").size()
                        + body.get("choices").get(1).get("logprobs").get("tokens").size());
    }

    @Test
    void shouldIndexChoicesPromptByPromptWhenEachPromptHasNChoices() throws Exception {
        final JsonNode choices = HTTP.post(sim.baseUrl() + "/completions",
                "{\"prompt\":[\"one\",\"two\"],\"n\":2,\"seed\":1}").json().get("choices");
        assertThat(choices).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(choices.get(i).get("index").asInt()).isEqualTo(i);
        }
        assertThat(choices.get(0).get("text").asText()).isNotEqualTo(choices.get(1).get("text").asText());
    }

    @Test
    void shouldServeModelCardHealthVersionAndMetrics() throws Exception {
        final JsonNode card = HTTP.get(sim.baseUrl() + "/models").json().get("data").get(0);
        assertThat(card.get("id").asText()).isEqualTo("test/model-7b");
        assertThat(card.get("root").asText()).isEqualTo("test/model-7b");
        assertThat(card.get("parent").isNull()).isTrue();
        assertThat(card.get("max_model_len").asInt()).isEqualTo(2048);
        final Reply health = HTTP.get(sim.rootUrl() + "/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEmpty();
        assertThat(HTTP.get(sim.rootUrl() + "/version").json().get("version").asText()).isNotBlank();
        final String metrics = HTTP.get(sim.rootUrl() + "/metrics").body();
        assertThat(metrics).contains("# TYPE vllm:num_requests_running gauge")
                .containsPattern("vllm:num_requests_running\\{[^}]*} \\d+\\.\\d")
                .containsPattern("vllm:num_requests_waiting\\{[^}]*} \\d+\\.\\d");
    }

    @Test
    void shouldRejectLikeVllmWithTheNestedErrorShapeAndIntegerCodes() throws Exception {
        final Reply unknownModel = HTTP.post(sim.baseUrl() + "/chat/completions", chat("hi", "\"model\":\"gpt-9\""));
        assertThat(unknownModel.status()).isEqualTo(404);
        final JsonNode error = unknownModel.json().get("error");
        assertThat(error.get("type").asText()).isEqualTo("NotFoundError");
        assertThat(error.get("code").isInt()).isTrue();
        assertThat(error.get("code").asInt()).isEqualTo(404);

        final Reply tooLong = HTTP.post(sim.baseUrl() + "/chat/completions", chat("hi", "\"max_tokens\":5000"));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("error").get("message").asText())
                .startsWith("This model's maximum context length is 2048 tokens.");
        assertThat(tooLong.json().get("error").get("type").asText()).isEqualTo("BadRequestError");

        assertThat(HTTP.post(sim.baseUrl() + "/chat/completions", "{not json").status()).isEqualTo(400);
        assertThat(HTTP.post(sim.baseUrl() + "/chat/completions", chat("hi", "\"top_logprobs\":2")).status())
                .isEqualTo(400);
        assertThat(HTTP.get(sim.rootUrl() + "/nope").json().get("detail").asText()).isEqualTo("Not Found");
    }

    @Test
    void shouldUseTheFlatPre0101ErrorShapeWhenAsked() throws Exception {
        try (VllmSimulator flat = VllmSimulator.builder().errorStyle(ErrorStyle.FLAT).timeScale(0).build().start()) {
            final Reply reply = HTTP.post(flat.baseUrl() + "/chat/completions", chat("[sim:error=500] hi", ""));
            assertThat(reply.status()).isEqualTo(500);
            final JsonNode body = reply.json();
            assertThat(body.get("object").asText()).isEqualTo("error");
            assertThat(body.get("code").asInt()).isEqualTo(500);
            assertThat(body.get("type").asText()).isEqualTo("InternalServerError");
            assertThat(body.has("message")).isTrue();
            assertThat(body.get("param").isNull()).isTrue();
        }
    }
}
