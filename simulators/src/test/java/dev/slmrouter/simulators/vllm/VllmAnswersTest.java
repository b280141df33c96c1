package dev.slmrouter.simulators.vllm;

import static dev.slmrouter.simulators.common.SimClient.chat;
import static dev.slmrouter.simulators.common.SimClient.geometricMeanProbability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slmrouter.simulators.common.Directive;
import dev.slmrouter.simulators.common.Schemas;
import dev.slmrouter.simulators.common.Script;
import dev.slmrouter.simulators.common.SimClient;
import dev.slmrouter.simulators.common.SimClient.Reply;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the vLLM simulator answers: determinism, confidence in logprobs, labels, schemas, truncation, markers. */
class VllmAnswersTest {

    private static final SimClient HTTP = new SimClient();
    private static final String LOGPROBS = "\"logprobs\":true,\"top_logprobs\":2";
    private static VllmSimulator sim;

    @BeforeAll
    static void start() {
        sim = VllmSimulator.builder().timeScale(0.0).build().start();
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

    private static JsonNode choice(final Reply reply) {
        return reply.json().get("choices").get(0);
    }

    @Test
    void shouldGiveTheSameAnswerAndLogprobsForTheSameSeedAndPrompt() throws Exception {
        final String extra = "\"seed\":42," + LOGPROBS;
        final JsonNode first = choice(post("Describe the order.", extra));
        final JsonNode second = choice(post("Describe the order.", extra));
        assertThat(second.get("message")).isEqualTo(first.get("message"));
        assertThat(second.get("logprobs")).isEqualTo(first.get("logprobs"));
        final Set<String> others = new HashSet<>();
        for (int seed = 0; seed < 5; seed++) {
            others.add(choice(post("Describe the order.", "\"seed\":" + seed)).get("message").get("content").asText());
        }
        assertThat(others).hasSizeGreaterThan(1);
    }

    @Test
    void shouldEncodeTheDrawnConfidenceInTheGeometricMeanTokenProbability() throws Exception {
        for (int i = 0; i < 20; i++) {
            final Reply reply = post("Write a note about order " + i, "\"seed\":7," + LOGPROBS);
            assertThat(geometricMeanProbability(choice(reply)))
                    .isCloseTo(reply.confidences().get(0), within(1e-6));
        }
    }

    @Test
    void shouldEncodeAScriptedConfidenceExactly() throws Exception {
        final Reply reply = post("[sim:confidence=0.4] Write a short note.", "\"seed\":3," + LOGPROBS);
        assertThat(geometricMeanProbability(choice(reply))).isCloseTo(0.4, within(1e-6));
        final JsonNode first = choice(reply).get("logprobs").get("content").get(0);
        assertThat(first.get("bytes").isArray()).isTrue();
        assertThat(first.get("top_logprobs")).hasSize(2);
    }

    @Test
    void shouldAnswerOneOfTheStructuredChoicesWithItsProbabilityAsConfidence() throws Exception {
        for (int i = 0; i < 10; i++) {
            final Reply reply = post("Classify sentiment " + i + ": vLLM is wonderful!",
                    "\"structured_outputs\":{\"choice\":[\"positive\",\"negative\"]}," + LOGPROBS);
            final JsonNode choice = choice(reply);
            assertThat(choice.get("message").get("content").asText()).isIn("positive", "negative");
            final JsonNode token = choice.get("logprobs").get("content").get(0);
            assertThat(choice.get("logprobs").get("content")).hasSize(1);
            assertThat(Math.exp(token.get("logprob").asDouble())).isCloseTo(reply.confidences().get(0), within(1e-6));
        }
    }

    @Test
    void shouldAnswerOneOfTheLabelsListedInThePrompt() throws Exception {
        final String prompt = "Ticket: I was charged twice.\nAnswer with one of: billing, technical, other";
        for (int seed = 0; seed < 10; seed++) {
            assertThat(choice(post(prompt, "\"seed\":" + seed)).get("message").get("content").asText())
                    .isIn("billing", "technical", "other");
        }
        assertThat(choice(post(prompt + " [sim:label=other]", "")).get("message").get("content").asText())
                .isEqualTo("other");
    }

    @Test
    void shouldAnswerJsonThatSatisfiesTheSchemaInBothRequestForms() throws Exception {
        final String schema = Schemas.CAR;
        final String viaFormat = "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"car\","
                + "\"schema\":" + schema + "}}";
        final String viaStructured = "\"structured_outputs\":{\"json\":" + schema + "}";
        for (final String extra : List.of(viaFormat, viaStructured)) {
            final String content = choice(post("The most iconic car of the 90s", extra)).get("message")
                    .get("content").asText();
            assertThat(Schemas.valid(schema, content)).as(content).isTrue();
        }
        final String broken = choice(post("[sim:schema-break] The most iconic car", viaFormat))
                .get("message").get("content").asText();
        assertThat(Schemas.valid(schema, broken)).as(broken).isFalse();
    }

    @Test
    void shouldStopAtMaxTokensWithFinishReasonLength() throws Exception {
        final Reply reply = post("[sim:tokens=50] Write a long story.", "\"max_tokens\":5," + LOGPROBS);
        final JsonNode choice = choice(reply);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(reply.json().get("usage").get("completion_tokens").asInt()).isEqualTo(5);
        assertThat(choice.get("logprobs").get("content")).hasSize(5);
    }

    @Test
    void shouldFollowTheTruncateRefuseAndErrorMarkers() throws Exception {
        final String schemaFormat = "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"car\","
                + "\"schema\":" + Schemas.CAR + "}}";
        final JsonNode truncated = choice(post("[sim:truncate] Extract the car", schemaFormat));
        assertThat(truncated.get("finish_reason").asText()).isEqualTo("length");
        assertThat(truncated.get("message").get("content").asText()).doesNotEndWith("}");
        assertThat(choice(post("[sim:refuse] Do something bad", "")).get("message").get("content").asText())
                .startsWith("I'm sorry");
        final Reply error = HTTP.post(sim.baseUrl() + "/chat/completions", chat("[sim:error=503] hi", ""));
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.json().get("error").get("code").asInt()).isEqualTo(503);
    }

    @Test
    void shouldFollowAScriptByArrivalOrder() throws Exception {
        try (VllmSimulator scripted = VllmSimulator.builder().timeScale(0)
                .script(Script.cycle(List.of(Directive.confidence(0.95),
                        Directive.confidence(0.3), Directive.truncated(), Directive.error(500))))
                .build().start()) {
            final String url = scripted.baseUrl() + "/chat/completions";
            final String body = chat("Write a note.", LOGPROBS);
            assertThat(geometricMeanProbability(HTTP.post(url, body).json().get("choices").get(0)))
                    .isCloseTo(0.95, within(1e-6));
            assertThat(geometricMeanProbability(HTTP.post(url, body).json().get("choices").get(0)))
                    .isCloseTo(0.3, within(1e-6));
            assertThat(HTTP.post(url, body).json().get("choices").get(0).get("finish_reason").asText())
                    .isEqualTo("length");
            assertThat(HTTP.post(url, body).status()).isEqualTo(500);
            assertThat(scripted.stats().requestsServed()).isEqualTo(3);
            assertThat(scripted.stats().errorsReturned()).isEqualTo(1);
            assertThat(scripted.recentRequests()).hasSize(4);
        }
    }

    @Test
    void shouldBreakSchemasAndTruncateAtTheConfiguredRatesOnlyForUnscriptedRequests() throws Exception {
        try (VllmSimulator noisy = VllmSimulator.builder().timeScale(0).schemaBreakRate(0.5).truncateRate(0.2)
                .build().start()) {
            final String format = "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"car\","
                    + "\"schema\":" + Schemas.CAR + "},\"seed\":9}";
            int invalid = 0;
            int truncated = 0;
            for (int i = 0; i < 40; i++) {
                final JsonNode choice = HTTP.post(noisy.baseUrl() + "/chat/completions",
                        chat("Car number " + i, format)).json().get("choices").get(0);
                invalid += Schemas.valid(Schemas.CAR, choice.get("message").get("content").asText()) ? 0 : 1;
                truncated += "length".equals(choice.get("finish_reason").asText()) ? 1 : 0;
            }
            assertThat(invalid).isBetween(8, 32);
            assertThat(truncated).isBetween(1, 20);
            for (int i = 0; i < 10; i++) {
                final JsonNode scripted = HTTP.post(noisy.baseUrl() + "/chat/completions",
                        chat("[sim:confidence=0.9] Car number " + i, format)).json().get("choices").get(0);
                assertThat(Schemas.valid(Schemas.CAR, scripted.get("message").get("content").asText())).isTrue();
            }
        }
    }
}
