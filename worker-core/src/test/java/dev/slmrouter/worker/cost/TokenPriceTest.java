package dev.slmrouter.worker.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class TokenPriceTest {

    @Test
    void pricesPromptAndCompletionTokensPerMillion() {
        assertThat(TokenPrice.GPT_4O.costUsd(1_000_000, 0)).isEqualTo(2.50);
        assertThat(TokenPrice.GPT_4O.costUsd(0, 1_000_000)).isEqualTo(10.00);
        assertThat(TokenPrice.GPT_4O_MINI.costUsd(2_000, 500)).isCloseTo((2_000 * 0.15 + 500 * 0.60) / 1e6, offset(1e-15));
    }

    @Test
    void spreadsAGpuHourOverTheTokensItServes() {
        // $2/hour at 2,500 tokens/s = 9 million tokens an hour: $0.2222 per million, in and out alike.
        final TokenPrice gpu = TokenPrice.gpuHour(2.0, 2_500);
        assertThat(gpu.inputPerMillion()).isCloseTo(2.0 / 9.0, offset(1e-12));
        assertThat(gpu.costUsd(9_000_000, 0)).isCloseTo(2.0, offset(1e-9));
    }

    @Test
    void refusesNegativeOrMissingPrices() {
        assertThatThrownBy(() -> new TokenPrice(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenPrice(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
