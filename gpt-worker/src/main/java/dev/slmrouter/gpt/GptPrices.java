package dev.slmrouter.gpt;

import dev.slmrouter.worker.cost.TokenPrice;
import java.util.HashMap;
import java.util.Map;

/**
 * USD per million input and output tokens per model. Defaults are OpenAI's list prices (gpt-4o $2.50 /
 * $10.00, gpt-4o-mini $0.15 / $0.60); others come from {@code gpt.price.<model>=<input>/<output>}.
 * A model without a price is charged at gpt-4o's, so spend is never under-counted.
 */
public final class GptPrices {

    static final Map<String, TokenPrice> DEFAULTS = Map.of("gpt-4o", TokenPrice.GPT_4O, "gpt-4o-mini", TokenPrice.GPT_4O_MINI);

    private final Map<String, TokenPrice> prices;

    public GptPrices(final Map<String, TokenPrice> overrides) {
        final HashMap<String, TokenPrice> merged = new HashMap<>(DEFAULTS);
        merged.putAll(overrides);
        this.prices = Map.copyOf(merged);
    }

    /** The cost of a call; dated model names (gpt-4o-2024-08-06) use their family's price. */
    public double costUsd(final String model, final int promptTokens, final int completionTokens) {
        return priceOf(model).costUsd(promptTokens, completionTokens);
    }

    private TokenPrice priceOf(final String model) {
        if (model == null) {
            return TokenPrice.GPT_4O;
        }
        TokenPrice best = null;
        int bestLength = -1;
        for (Map.Entry<String, TokenPrice> entry : prices.entrySet()) {
            if (model.startsWith(entry.getKey()) && entry.getKey().length() > bestLength) {
                best = entry.getValue();
                bestLength = entry.getKey().length();
            }
        }
        return best != null ? best : TokenPrice.GPT_4O;
    }
}
