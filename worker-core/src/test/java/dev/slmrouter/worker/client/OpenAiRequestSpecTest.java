package dev.slmrouter.worker.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every request shape the client can send to OpenAI validates against OpenAI's official
 * {@code CreateChatCompletionRequest} (../shared/contracts/openai/subset-chat-batch-errors.yaml; skipped
 * with "SKIPPED: ..." when absent) and against this project's own small spec fixture of the same shape.
 * vLLM's {@code structured_outputs} is not in OpenAI's spec, so it is only used to show the check bites.
 */
class OpenAiRequestSpecTest {

    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"vendor\":{\"type\":\"string\"},"
            + "\"total\":{\"type\":\"number\"}},\"required\":[\"vendor\",\"total\"],\"additionalProperties\":false}";

    /** Every OpenAI-targeted shape: plain, logprobs, strict json_schema, seed, max_completion_tokens, all at once. */
    static Map<String, ChatRequest> shapes() {
        final List<ChatMessage> chat = List.of(ChatMessage.system("Extract the invoice fields."), ChatMessage.user("ACME, 12.50 EUR"));
        return Map.of(
                "plain", ChatRequest.builder("gpt-4o").messages(chat).build(),
                "logprobs", ChatRequest.builder("gpt-4o").messages(chat).logprobs(true, 20).build(),
                "logprobs-only", ChatRequest.builder("gpt-4o").messages(chat).logprobs(true, null).build(),
                "strict-json-schema", ChatRequest.builder("gpt-4o").messages(chat)
                        .responseFormat(ResponseFormat.jsonSchema("invoice", SCHEMA, true)).build(),
                "json-object", ChatRequest.builder("gpt-4o-mini").messages(chat).responseFormat(ResponseFormat.jsonObject()).build(),
                "seed-and-sampling", ChatRequest.builder("gpt-4o").messages(chat).seed(42L).temperature(0.0).topP(1.0)
                        .maxTokens(512).build(),
                "max-completion-tokens", ChatRequest.builder("gpt-4o-mini").messages(chat).maxCompletionTokens(256).build(),
                "everything", ChatRequest.builder("gpt-4o-2024-08-06")
                        .messages(ChatMessage.developer("Be terse."), ChatMessage.system("Classify."),
                                ChatMessage.user("Great product"), ChatMessage.assistant("positive"), ChatMessage.user("Awful"))
                        .seed(-9_000_000_000_000_000_000L).temperature(2.0).topP(0.0).maxCompletionTokens(1)
                        .logprobs(true, 0).responseFormat(ResponseFormat.jsonSchema("label", SCHEMA, false)).build());
    }

    private static void assertEveryShapeValidates(final OpenApiRequestSchema spec) {
        shapes().forEach((name, request) -> assertThat(spec.problems(request.toJson())).as(name).isEmpty());
    }

    private static void assertTheCheckBites(final OpenApiRequestSchema spec) {
        final ChatRequest vllm = ChatRequest.builder("m").messages(ChatMessage.user("x"))
                .structuredOutputs(StructuredOutputs.choice(List.of("a", "b"))).build();
        final ObjectNode tooManyAlternatives = shapes().get("logprobs").toJson().put("top_logprobs", 21);
        final ObjectNode hotTemperature = shapes().get("plain").toJson().put("temperature", 3.5);
        final ObjectNode noMessages = shapes().get("plain").toJson();
        noMessages.putArray("messages");
        final ObjectNode badRole = shapes().get("plain").toJson();
        ((ObjectNode) badRole.get("messages").get(0)).put("role", "robot");
        final ObjectNode typo = shapes().get("strict-json-schema").toJson();
        ((ObjectNode) typo.get("response_format").get("json_schema")).put("strictly", true);

        assertThat(spec.problems(vllm.toJson())).containsExactly("undeclared field: structured_outputs");
        assertThat(spec.problems(tooManyAlternatives)).isNotEmpty().anyMatch(p -> p.contains("top_logprobs"));
        assertThat(spec.problems(hotTemperature)).isNotEmpty().anyMatch(p -> p.contains("temperature"));
        assertThat(spec.problems(noMessages)).isNotEmpty().anyMatch(p -> p.contains("messages"));
        assertThat(spec.problems(badRole)).isNotEmpty();
        assertThat(spec.problems(typo)).containsExactly("undeclared field: response_format.json_schema.strictly");
    }

    @Test
    void everyShapeMatchesOpenAisOfficialSpec() {
        final OpenApiRequestSchema spec = OpenApiRequestSchema.load(
                Fixtures.contractText("openai/subset-chat-batch-errors.yaml"), "CreateChatCompletionRequest");

        assertThat(spec.topLevelFields()).contains("model", "messages", "temperature", "top_p", "seed", "max_tokens",
                "max_completion_tokens", "logprobs", "top_logprobs", "response_format", "n");
        assertEveryShapeValidates(spec);
        assertTheCheckBites(spec);
    }

    @Test
    void everyShapeMatchesTheOwnSpecFixture() {
        final OpenApiRequestSchema spec = OpenApiRequestSchema.load(Fixtures.own("spec/mini-openapi.yaml"),
                "CreateChatCompletionRequest");
        final Map<String, ChatRequest> shapes = shapes();

        // The fixture declares only system and user messages and only json_schema formats.
        shapes.forEach((name, request) -> {
            if (!name.equals("everything") && !name.equals("json-object")) {
                assertThat(spec.problems(request.toJson())).as(name).isEmpty();
            }
        });
        assertTheCheckBites(spec);
    }
}
