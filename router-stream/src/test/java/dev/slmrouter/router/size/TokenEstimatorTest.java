package dev.slmrouter.router.size;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.router.TestRequests;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    private final TokenEstimator estimator = new TokenEstimator();

    private static InferenceRequest prompt(final String text, final Integer maxOutput) {
        return TestRequests.hinted("a", TaskType.CLASSIFICATION, "en")
                .setMessages(List.of(new ChatMessage("user", text))).setMaxOutputTokens(maxOutput).build();
    }

    @Test
    void shouldCountExactlyWithChatFramingAndRequestedOutput() {
        // "hello world" is 2 tokens in o200k_base; 3 per message and 3 to prime the reply.
        assertThat(estimator.exact(prompt("hello world", null))).isEqualTo(2 + 3 + 3);
        assertThat(estimator.exact(prompt("hello world", 100))).isEqualTo(2 + 3 + 3 + 100);
    }

    @Test
    void shouldEstimateCheaplyWhenTheRequestCannotReachTheBudget() {
        // 11 bytes -> 3 estimated tokens; far below a budget of 8,000, so no exact count is needed.
        assertThat(estimator.estimate(prompt("hello world", 100), 8_000)).isEqualTo(3 + 3 + 3 + 100);
    }

    @Test
    void shouldCountExactlyWhenTheRequestCouldExceedTheBudget() {
        final InferenceRequest request = prompt("word ".repeat(300), null);

        assertThat(estimator.estimate(request, 200)).isEqualTo(estimator.exact(request)).isGreaterThan(200);
    }

    @Test
    void shouldNeverCallABudgetBreakingRequestSafe() {
        // Chinese: 3 UTF-8 bytes per character and often more than one token per 4 bytes.
        final InferenceRequest chinese = prompt("我的信用卡被扣了两次款，请帮我退款。".repeat(20), null);
        final int exact = estimator.exact(chinese);

        assertThat(exact).isGreaterThan(18 * 20 / 4 * 2);
        assertThat(estimator.estimate(chinese, exact - 1)).isEqualTo(exact);
    }
}
