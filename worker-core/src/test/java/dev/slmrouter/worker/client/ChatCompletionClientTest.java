package dev.slmrouter.worker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request the client sends, and how it reads successful answers (own fixtures). */
class ChatCompletionClientTest {

    private final MockBackend backend = new MockBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    private static ChatRequest request() {
        return ChatRequest.builder("gpt-4o").messages(ChatMessage.user("Grüße 👋")).seed(7L).logprobs(true, 2).build();
    }

    @Test
    void postsTheJsonBodyWithTheConfiguredHeaders() {
        backend.answer(200, Fixtures.own("openai/chat-logprobs.json"));
        final ChatCompletionClient client = ChatCompletionClient.builder(backend.baseUrl())
                .apiKey(() -> "sk-test-0123456789").organization("org-abc").project("proj_xyz").build();

        client.complete(request());

        final RecordedRequest sent = backend.take();
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-0123456789");
        assertThat(sent.getHeaders().get("OpenAI-Organization")).isEqualTo("org-abc");
        assertThat(sent.getHeaders().get("OpenAI-Project")).isEqualTo("proj_xyz");
        assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(sent.getBody().utf8()).isEqualTo("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Grüße 👋\"}],\"seed\":7,\"logprobs\":true,\"top_logprobs\":2}");
    }

    @Test
    void sendsNoAuthorizationWithoutAKeyAndKeepsAzureQueryAndApiKeyHeader() {
        backend.answer(200, Fixtures.own("openai/chat-refusal.json"));
        backend.answer(200, Fixtures.own("openai/chat-refusal.json"));
        final String azure = backend.server.url("/openai/deployments/gpt4o").toString() + "?api-version=2024-10-21";

        backend.client().complete(request());
        ChatCompletionClient.builder(azure).header("api-key", "azure-secret-42").build().complete(request());

        final RecordedRequest vllm = backend.take();
        assertThat(vllm.getHeaders().get("Authorization")).isNull();
        final RecordedRequest viaAzure = backend.take();
        assertThat(viaAzure.getTarget()).isEqualTo("/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21");
        assertThat(viaAzure.getHeaders().get("api-key")).isEqualTo("azure-secret-42");
        assertThat(viaAzure.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void theKeyIsReadOnEveryCallSoARotatedKeyIsUsed() {
        backend.answer(200, Fixtures.own("openai/chat-refusal.json"));
        backend.answer(200, Fixtures.own("openai/chat-refusal.json"));
        final AtomicInteger version = new AtomicInteger();
        final ChatCompletionClient client = ChatCompletionClient.builder(backend.baseUrl())
                .apiKey(() -> "sk-v" + version.incrementAndGet()).build();

        client.complete(request());
        client.complete(request());

        assertThat(backend.take().getHeaders().get("Authorization")).isEqualTo("Bearer sk-v1");
        assertThat(backend.take().getHeaders().get("Authorization")).isEqualTo("Bearer sk-v2");
    }

    @Test
    void readsContentUsageLogprobsAndRateLimits() {
        backend.answer(200, Fixtures.own("openai/chat-logprobs.json"),
                "x-ratelimit-limit-requests: 5000", "x-ratelimit-limit-tokens: 800000",
                "x-ratelimit-remaining-requests: 4999", "x-ratelimit-remaining-tokens: 799939",
                "x-ratelimit-reset-requests: 12ms", "x-ratelimit-reset-tokens: 6m0s");

        final ChatResponse response = backend.client().complete(request());

        assertThat(response.id()).isEqualTo("chatcmpl-fixture-logprobs");
        assertThat(response.model()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(response.systemFingerprint()).isEqualTo("fp_fixture01");
        assertThat(response.content()).isEqualTo("\"positive\"");
        assertThat(response.refusal()).isNull();
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.first().stopped()).isTrue();
        assertThat(response.usage()).contains(new Usage(57, 4, 61, 32));
        assertThat(response.logprobs()).extracting(TokenLogprob::token, TokenLogprob::logprob)
                .containsExactly(tuple("\"", -0.0001), tuple("pos", -0.1), tuple("itive", -0.05), tuple("\"", 0.0));
        assertThat(response.logprobs().get(1).bytes()).containsExactly(112, 111, 115);
        assertThat(response.logprobs().get(1).topLogprobs()).extracting(TokenLogprob::token, TokenLogprob::logprob)
                .containsExactly(tuple("pos", -0.1), tuple("neg", -2.4));
        final TokenLogprob notInTop = response.logprobs().get(2).topLogprobs().get(1);
        assertThat(notInTop.logprob()).isEqualTo(TokenLogprob.NOT_IN_TOP);
        assertThat(notInTop.bytes()).isNull();
        final RateLimits limits = response.rateLimits();
        assertThat(limits.limitRequests()).hasValue(5000);
        assertThat(limits.limitTokens()).hasValue(800000);
        assertThat(limits.remainingRequests()).hasValue(4999);
        assertThat(limits.remainingTokens()).hasValue(799939);
        assertThat(limits.resetRequests()).contains(Duration.ofMillis(12));
        assertThat(limits.resetTokens()).contains(Duration.ofMinutes(6));
        assertThat(limits.retryAfter()).isEmpty();
        assertThat(response.latency()).isPositive();
    }

    @Test
    void ignoresEveryFieldVllmAdds() {
        backend.answer(200, Fixtures.own("vllm/chat-extra-fields.json"));

        final ChatResponse response = backend.client().complete(request());

        assertThat(response.content()).isEqualTo("negative");
        assertThat(response.systemFingerprint()).isNull();
        assertThat(response.usage()).contains(new Usage(31, 2, 33, 0));
        assertThat(response.logprobs()).hasSize(2);
        final TokenLogprob end = response.logprobs().get(1);
        assertThat(end.token()).isEmpty();
        assertThat(end.logprob()).isEqualTo(-9999.0);
        assertThat(end.bytes()).isEmpty();
        assertThat(end.isEmpty()).isTrue();
        assertThat(response.rateLimits()).isEqualTo(RateLimits.NONE);
    }

    @Test
    void truncatedRefusedAndMultiChoiceAnswersAreResponsesNotFailures() {
        backend.answer(200, Fixtures.own("openai/chat-truncated.json"));
        backend.answer(200, Fixtures.own("openai/chat-refusal.json"));
        backend.answer(200, Fixtures.own("openai/chat-n3.json"));
        final ChatCompletionClient client = backend.client();

        final ChatResponse truncated = client.complete(request());
        final ChatResponse refusal = client.complete(request());
        final ChatResponse three = client.complete(request());

        assertThat(truncated.finishReason()).isEqualTo("length");
        assertThat(truncated.first().truncated()).isTrue();
        assertThat(truncated.content()).isEqualTo("{\"vendor\":\"Acme Gmb");
        assertThat(truncated.logprobs()).isNull();
        assertThat(refusal.content()).isNull();
        assertThat(refusal.refusal()).isEqualTo("I can't help with that request.");
        assertThat(refusal.usage()).contains(new Usage(40, 9, 49, 0));
        assertThat(three.choices()).extracting(Choice::index).containsExactly(0, 1, 2);
        assertThat(three.content()).isEqualTo("{\"total\":10}");
    }

    @Test
    void aMissingUsageIsEmptyNotZero() {
        backend.answer(200, "{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}");

        final ChatResponse response = backend.client().complete(request());

        assertThat(response.usage()).isEmpty();
        assertThat(response.content()).isEqualTo("ok");
    }

    @Test
    void healthProbesTheServerRootAndTreatsAnythingButOkAsDown() {
        backend.answer(200, "");
        backend.answer(503, "");
        backend.answer(500, "");
        final ChatCompletionClient client = backend.client();

        assertThat(List.of(client.health(), client.health(), client.health())).containsExactly(true, false, false);
        assertThat(backend.take().getTarget()).isEqualTo("/health");
        assertThat(backend.take().getMethod()).isEqualTo("GET");
    }

    @Test
    void healthFromABaseUrlWithTrailingSlashOrWithoutV1() {
        backend.answer(200, "");
        backend.answer(200, "");

        ChatCompletionClient.builder(backend.server.url("/v1/").toString()).build().health();
        ChatCompletionClient.builder(backend.server.url("/").toString()).build().health();

        assertThat(backend.take().getTarget()).isEqualTo("/health");
        assertThat(backend.take().getTarget()).isEqualTo("/health");
    }

    @Test
    void healthOfAnUnreachableServerIsDownWithoutThrowing() {
        final String url = backend.baseUrl();
        backend.close();

        assertThat(ChatCompletionClient.builder(url).healthTimeout(Duration.ofMillis(500)).build().health()).isFalse();
    }

    @Test
    void listsModels() {
        backend.answer(200, "{\"object\":\"list\",\"data\":[{\"id\":\"Qwen/Qwen2.5-7B-Instruct\",\"object\":\"model\","
                + "\"owned_by\":\"vllm\",\"root\":\"Qwen/Qwen2.5-7B-Instruct\",\"parent\":null,\"max_model_len\":32768}]}");

        assertThat(backend.client().models()).containsExactly("Qwen/Qwen2.5-7B-Instruct");
        assertThat(backend.take().getTarget()).isEqualTo("/v1/models");
    }

    @Test
    void toStringShowsWhereButNoCredentials() {
        final ChatCompletionClient client = ChatCompletionClient.builder("https://user:pw@api.example.com/v1?key=q")
                .apiKey(() -> "sk-secret").header("api-key", "hdr-secret").build();

        assertThat(client.toString())
                .isEqualTo("ChatCompletionClient[https://api.example.com:443/v1, apiKey=supplied, headers=[api-key]]");
        assertThat(Optional.of(client.toString())).get().asString().doesNotContain("pw", "sk-secret", "hdr-secret", "key=q");
    }
}
