package dev.slmrouter.worker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"}},"
            + "\"required\":[\"total\"],\"additionalProperties\":false}";

    @Test
    void plainRequestSendsOnlyModelAndMessages() {
        final ChatRequest request = ChatRequest.builder("gpt-4o")
                .messages(ChatMessage.system("Answer briefly."), ChatMessage.user("Hi"))
                .build();

        assertThat(request.toJson().toString()).isEqualTo("{\"model\":\"gpt-4o\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Answer briefly.\"},{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    @Test
    void everyFieldIsSpelledAsTheApiSpellsIt() {
        final ChatRequest request = ChatRequest.builder("Qwen/Qwen2.5-7B-Instruct")
                .messages(ChatMessage.user("Classify: great product"))
                .temperature(0.0).topP(1.0).seed(42L).maxTokens(16).logprobs(true, 5)
                .responseFormat(ResponseFormat.jsonSchema("invoice", SCHEMA, true))
                .structuredOutputs(StructuredOutputs.choice(List.of("positive", "negative")))
                .extra("top_k", 1)
                .build();

        assertThat(request.toJson().toString()).isEqualTo("{\"model\":\"Qwen/Qwen2.5-7B-Instruct\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Classify: great product\"}],\"temperature\":0.0,\"top_p\":1.0,"
                + "\"seed\":42,\"max_tokens\":16,\"logprobs\":true,\"top_logprobs\":5,"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"invoice\",\"schema\":"
                + SCHEMA + ",\"strict\":true}},"
                + "\"structured_outputs\":{\"choice\":[\"positive\",\"negative\"]},\"top_k\":1}");
    }

    @Test
    void maxCompletionTokensAndJsonConstraintsAndOmittedStrict() {
        final ChatRequest request = ChatRequest.builder("gpt-4o-mini")
                .messages(ChatMessage.user("x"))
                .maxCompletionTokens(256)
                .responseFormat(ResponseFormat.jsonSchema("answer", SCHEMA, null))
                .structuredOutputs(StructuredOutputs.json(SCHEMA))
                .build();

        assertThat(request.toJson().toString()).isEqualTo("{\"model\":\"gpt-4o-mini\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"x\"}],\"max_completion_tokens\":256,"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"schema\":"
                + SCHEMA + "}},\"structured_outputs\":{\"json\":" + SCHEMA + "}}");
        assertThat(ResponseFormat.jsonObject().toJson().toString()).isEqualTo("{\"type\":\"json_object\"}");
    }

    @Test
    void toBuilderKeepsEverythingSoARetryCanChangeOneValue() {
        final ChatRequest first = ChatRequest.builder("m").messages(ChatMessage.user("x")).seed(42L)
                .logprobs(true, 2).maxTokens(10).extra("top_k", 1).build();

        final ChatRequest retry = first.toBuilder().seed(43L).build();

        assertThat(retry.toJson().toString())
                .isEqualTo(first.toJson().toString().replace("\"seed\":42", "\"seed\":43"));
    }

    @Test
    void requestsTheApiWouldRefuseAreRefusedBeforeSending() {
        final ChatRequestBuilder base = ChatRequest.builder("m").messages(ChatMessage.user("x"));

        assertThatThrownBy(() -> ChatRequest.builder("m").build()).hasMessage("messages must not be empty");
        assertThatThrownBy(() -> ChatRequest.builder(" ").messages(ChatMessage.user("x")).build())
                .hasMessage("model must not be blank");
        assertThatThrownBy(() -> base.logprobs(false, 3).build()).hasMessage("top_logprobs requires logprobs=true");
        assertThatThrownBy(() -> base.logprobs(true, 21).build()).hasMessage("top_logprobs must be in [0, 20]");
        assertThatThrownBy(() -> base.logprobs(false, null).temperature(2.5).build())
                .hasMessage("temperature must be in [0, 2]");
        assertThatThrownBy(() -> base.temperature(null).topP(1.5).build()).hasMessage("top_p must be in [0, 1]");
        assertThatThrownBy(() -> base.topP(null).maxTokens(0).build()).hasMessage("max_tokens must be >= 1");
        assertThatThrownBy(() -> base.maxTokens(5).maxCompletionTokens(5).build())
                .hasMessage("give max_tokens or max_completion_tokens, not both");
        assertThatThrownBy(() -> base.maxCompletionTokens(null).extra("seed", 1).build())
                .hasMessage("extra field 'seed' shadows a known field");
    }

    @Test
    void brokenSchemasAndNamesFailWhenTheFormatIsMade() {
        assertThatThrownBy(() -> ResponseFormat.jsonSchema("a", "{\"type\":", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the response_format schema is not valid JSON: ");
        assertThatThrownBy(() -> ResponseFormat.jsonSchema("a", "[1]", true))
                .hasMessage("the response_format schema must be a JSON object");
        assertThatThrownBy(() -> ResponseFormat.jsonSchema("has space", SCHEMA, true))
                .hasMessage("json_schema name must match [A-Za-z0-9_-]{1,64}: has space");
        assertThatThrownBy(() -> StructuredOutputs.choice(List.of()))
                .hasMessage("structured_outputs.choice needs at least one label");
    }

    @Test
    void theRequestIsImmutable() {
        final java.util.ArrayList<ChatMessage> messages = new java.util.ArrayList<>(List.of(ChatMessage.user("a")));
        final ChatRequest request = new ChatRequest("m", messages, null, null, null, null, null, false, null, null,
                null, Map.of());
        messages.add(ChatMessage.user("b"));

        assertThat(request.messages()).containsExactly(ChatMessage.user("a"));
        assertThatThrownBy(() -> request.messages().add(ChatMessage.user("c")))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
