package dev.slmrouter.worker.answer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slmrouter.worker.client.TokenLogprob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Test helper: the first choice's {@code logprobs.content} of a chat completion body, as TokenLogprobs. */
final class Tokens {

    private Tokens() {
    }

    static List<TokenLogprob> of(final String chatCompletionBody) {
        try {
            final JsonNode content = new ObjectMapper().readTree(chatCompletionBody)
                    .path("choices").get(0).path("logprobs").path("content");
            final List<TokenLogprob> tokens = new ArrayList<>();
            content.forEach(t -> tokens.add(new TokenLogprob(t.path("token").asText(), t.path("logprob").asDouble(),
                    null, List.of())));
            return tokens;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<TokenLogprob> of(final Object... tokenThenLogprob) {
        final List<TokenLogprob> tokens = new ArrayList<>();
        for (int i = 0; i < tokenThenLogprob.length; i += 2) {
            tokens.add(TokenLogprob.of((String) tokenThenLogprob[i], ((Number) tokenThenLogprob[i + 1]).doubleValue()));
        }
        return tokens;
    }
}
