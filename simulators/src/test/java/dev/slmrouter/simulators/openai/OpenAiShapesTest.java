package dev.slmrouter.simulators.openai;

import static dev.slmrouter.simulators.common.SimClient.chat;
import static dev.slmrouter.simulators.common.SimClient.geometricMeanProbability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slmrouter.simulators.common.Schemas;
import dev.slmrouter.simulators.common.SimClient;
import dev.slmrouter.simulators.common.SimClient.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAI simulator answers in the shapes recorded from gpt-4o (compare ../shared/contracts/openai). */
class OpenAiShapesTest {

    private static final SimClient HTTP = new SimClient();
    private static OpenAiSimulator sim;

    @BeforeAll
    static void start() {
        sim = OpenAiSimulator.builder().timeScale(0).build().start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static Reply post(final String content, final String extra) throws Exception {
        final Reply reply = HTTP.post(sim.baseUrl() + "/chat/completions", chat(content, extra));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply;
    }

    @Test
    void shouldAnswerWithOpenAiFieldsUsageFingerprintAndRateLimitHeaders() throws Exception {
        final Reply reply = post("Say hello.", "\"model\":\"gpt-4o\",\"seed\":1");
        final JsonNode body = reply.json();
        assertThat(body.get("id").asText()).matches("chatcmpl-[A-Za-z0-9]{29}");
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(body.get("system_fingerprint").asText()).startsWith("fp_");
        final JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("message").get("content").asText()).isNotBlank();
        assertThat(choice.get("message").get("refusal").isNull()).isTrue();
        assertThat(choice.get("logprobs").isNull()).isTrue();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        final JsonNode usage = body.get("usage");
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
        assertThat(usage.get("completion_tokens_details").get("reasoning_tokens").asInt()).isZero();
        assertThat(reply.header("x-ratelimit-limit-requests")).isEqualTo("5000");
        assertThat(reply.header("x-ratelimit-remaining-requests")).matches("\\d+");
        assertThat(reply.header("x-ratelimit-reset-requests")).matches("\\d+(\\.\\d+)?(ms|s)|\\d+m\\d+(\\.\\d+)?s");
        assertThat(reply.header("x-ratelimit-limit-tokens")).isEqualTo("800000");
        assertThat(reply.header("x-ratelimit-remaining-tokens")).matches("\\d+");
        assertThat(reply.header("x-ratelimit-reset-tokens")).isNotBlank();
        assertThat(reply.header("x-request-id")).startsWith("req_");
    }

    @Test
    void shouldGiveNChoicesIndexedFromZero() throws Exception {
        final JsonNode choices = post("Give a city.", "\"n\":3,\"seed\":4").json().get("choices");
        assertThat(choices).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(choices.get(i).get("index").asInt()).isEqualTo(i);
        }
    }

    @Test
    void shouldRefuseWithNullContentAndARefusal() throws Exception {
        final JsonNode message = post("[sim:refuse] Help me do harm.", "").json().get("choices").get(0).get("message");
        assertThat(message.get("content").isNull()).isTrue();
        assertThat(message.get("refusal").asText()).isNotBlank();
    }

    @Test
    void shouldTruncateWithFinishReasonLength() throws Exception {
        final String format = "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"car\","
                + "\"strict\":true,\"schema\":" + Schemas.CAR + "}}";
        final JsonNode choice = post("[sim:truncate] Extract", format).json().get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(Schemas.valid(Schemas.CAR, choice.get("message").get("content").asText())).isFalse();
    }

    @Test
    void shouldAnswerValidJsonForTheSchemaInEveryChoice() throws Exception {
        final String format = "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"invoice\","
                + "\"strict\":true,\"schema\":" + Schemas.INVOICE + "}},\"n\":3";
        for (final JsonNode choice : post("Extract the invoice.", format).json().get("choices")) {
            final String content = choice.get("message").get("content").asText();
            assertThat(Schemas.valid(Schemas.INVOICE, content)).as(content).isTrue();
        }
    }

    @Test
    void shouldReportLogprobsInTheChatShapeEncodingTheConfidence() throws Exception {
        final Reply reply = post("[sim:confidence=0.75] Write a line.", "\"logprobs\":true,\"top_logprobs\":3");
        final JsonNode logprobs = reply.json().get("choices").get(0).get("logprobs");
        assertThat(logprobs.get("refusal").isNull()).isTrue();
        assertThat(logprobs.get("content").get(0).get("top_logprobs")).hasSize(3);
        assertThat(geometricMeanProbability(reply.json().get("choices").get(0))).isCloseTo(0.75, within(1e-6));
    }

    @Test
    void shouldAnswerErrorsInOpenAisShape() throws Exception {
        final Reply notFound = HTTP.post(sim.baseUrl() + "/chat/completion", chat("hi", ""));
        assertThat(notFound.status()).isEqualTo(404);
        final JsonNode error = notFound.json().get("error");
        assertThat(error.fieldNames()).toIterable().containsExactly("message", "type", "param", "code");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        final Reply bad = HTTP.post(sim.baseUrl() + "/chat/completions", "{\"messages\":[]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").get("param").asText()).isEqualTo("messages");
        assertThat(HTTP.get(sim.baseUrl() + "/models").json().get("data")).isNotEmpty();
    }

    @Test
    void shouldRequireTheConfiguredApiKey() throws Exception {
        try (OpenAiSimulator keyed = OpenAiSimulator.builder().timeScale(0).apiKey("sk-test").build().start()) {
            final URI uri = URI.create(keyed.baseUrl() + "/chat/completions");
            final Reply without = HTTP.post(uri.toString(), chat("hi", ""));
            assertThat(without.status()).isEqualTo(401);
            assertThat(without.json().get("error").get("code").asText()).isEqualTo("invalid_api_key");
            final Reply with = HTTP.send(HttpRequest.newBuilder(uri).header("authorization", "Bearer sk-test")
                    .POST(HttpRequest.BodyPublishers.ofString(chat("hi", ""))).build());
            assertThat(with.status()).isEqualTo(200);
        }
    }
}
