package dev.slmrouter.gpt;

import java.util.Map;

/**
 * USD per million input and output tokens per model. Defaults are OpenAI's list prices (gpt-4o $2.50 /
 * $10.00, gpt-4o-mini $0.15 / $0.60); others come from {@code gpt.price.<model>=<input>/<output>}.
 * A model without a price is charged at gpt-4o's, so spend is never under-counted.
 */
public final class GptPrices {

    /** Input and output price per million tokens. */
    public record Price(double inputPerMillion, double outputPerMillion) {
    }

    static final Price GPT_4O = new Price(2.50, 10.00);
    static final Map<String, Price> DEFAULTS = Map.of("gpt-4o", GPT_4O, "gpt-4o-mini", new Price(0.15, 0.60));

    private final Map<String, Price> prices;

    public GptPrices(final Map<String, Price> overrides) {
        final java.util.HashMap<String, Price> merged = new java.util.HashMap<>(DEFAULTS);
        merged.putAll(overrides);
        this.prices = Map.copyOf(merged);
    }

    /** The cost of a call; dated model names (gpt-4o-2024-08-06) use their family's price. */
    public double costUsd(final String model, final int promptTokens, final int completionTokens) {
        final Price price = priceOf(model);
        return (promptTokens * price.inputPerMillion() + completionTokens * price.outputPerMillion()) / 1_000_000;
    }

    private Price priceOf(final String model) {
        if (model == null) {
            return GPT_4O;
        }
        Price best = null;
        int bestLength = -1;
        for (Map.Entry<String, Price> entry : prices.entrySet()) {
            if (model.startsWith(entry.getKey()) && entry.getKey().length() > bestLength) {
                best = entry.getValue();
                bestLength = entry.getKey().length();
            }
        }
        return best != null ? best : GPT_4O;
    }
}
