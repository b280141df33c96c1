package dev.slmrouter.insights.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.slmrouter.worker.cost.TokenPrice;
import org.junit.jupiter.api.Test;

class CostModelTest {

    private final CostModel model = new CostModel(2.0, 10, 0.5, 1, 20, 100);

    @Test
    void shouldReproduceTheStudysWorkedExample() {
        // 500 input and 50 output tokens on GPT-4o at $2.50 / $10.00 per million tokens.
        final double perCall = TokenPrice.GPT_4O.costUsd(500, 50);
        assertThat(perCall).isCloseTo(0.00175, offset(1e-12));
        assertThat(perCall * 1_000_000).isCloseTo(1_750, offset(1e-6));
        assertThat(model.apiMonthlyUsd(1_000_000 / CostModel.DAYS_PER_MONTH, perCall)).isCloseTo(1_750, offset(1e-6));
    }

    @Test
    void shouldPriceSelfHostingByTheGpuHourAndFindTheBreakEven() {
        // One serving GPU plus one failover: 2 x $2 x 730 h, plus 20 h x $100.
        assertThat(model.selfHostMonthlyUsd(0)).isEqualTo(2 * 2.0 * 730 + 2_000);
        assertThat(model.gpus(432_000)).isEqualTo(2); // one GPU serves 10 x 0.5 x 86,400 = 432,000 a day
        assertThat(model.gpus(432_001)).isEqualTo(3);
        final double breakEven = model.breakEvenPerDay(0.00175);
        assertThat(breakEven).isCloseTo(4_920 / (0.00175 * 730 / 24), offset(1e-6));
        assertThat(model.apiMonthlyUsd(breakEven, 0.00175)).isCloseTo(model.selfHostMonthlyUsd(breakEven), offset(1e-6));
        // A cheap API model is never worth a GPU of this size.
        assertThat(model.breakEvenPerDay(0.00001)).isInfinite();
        assertThatThrownBy(() -> new CostModel(2, 10, 1.5, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
