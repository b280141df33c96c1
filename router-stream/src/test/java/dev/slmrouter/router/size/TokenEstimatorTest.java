package dev.slmrouter.router.size;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.router.TestRequests;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    private final TokenEstimator estimator = new TokenEstimator();

    @Test
    void shouldCountPromptTokensWithChatFramingAndRequestedOutput() {
        final int prompt = estimator.estimate(TestRequests.hinted("a", TaskType.CLASSIFICATION, "en")
                .setMessages(List.of(new ChatMessage("user", "hello world"))).build());
        // "hello world" is 2 tokens in o200k_base; 3 per message and 3 to prime the reply.
        assertThat(prompt).isEqualTo(2 + 3 + 3);

        final int withOutput = estimator.estimate(TestRequests.hinted("a", TaskType.CLASSIFICATION, "en")
                .setMessages(List.of(new ChatMessage("user", "hello world"))).setMaxOutputTokens(100).build());
        assertThat(withOutput).isEqualTo(prompt + 100);
    }

    @Test
    void shouldCountChineseFarAboveCharsOverFour() {
        final String chinese = "我的信用卡被扣了两次款，请帮我退款。".repeat(20);
        final int tokens = estimator.estimate(TestRequests.hinted("a", TaskType.CLASSIFICATION, "zh")
                .setMessages(List.of(new ChatMessage("user", chinese))).build());

        assertThat(tokens).isGreaterThan(chinese.length() / 4 * 2);
    }
}
