package dev.slmrouter.slm.cost;

/**
 * What an SLM call costs. Either a token price (USD per million input and output tokens, as a hosted
 * SLM bills), or the cost of the GPU behind vLLM spread over the tokens it serves: GPU USD per hour
 * divided by measured throughput (tokens per second x 3600), applied to every token alike.
 */
public final class SlmPriceModel {

    private final double inputPerToken;
    private final double outputPerToken;

    private SlmPriceModel(final double inputPerToken, final double outputPerToken) {
        this.inputPerToken = inputPerToken;
        this.outputPerToken = outputPerToken;
    }

    public static SlmPriceModel perMillionTokens(final double inputUsd, final double outputUsd) {
        return new SlmPriceModel(inputUsd / 1_000_000, outputUsd / 1_000_000);
    }

    /**
     * @param gpuUsdPerHour    what the GPU (lease or amortized) costs per hour
     * @param tokensPerSecond  prompt + completion tokens per second the deployment sustains (measure it)
     */
    public static SlmPriceModel gpuHour(final double gpuUsdPerHour, final double tokensPerSecond) {
        final double perToken = gpuUsdPerHour / (tokensPerSecond * 3600);
        return new SlmPriceModel(perToken, perToken);
    }

    public double costUsd(final int promptTokens, final int completionTokens) {
        return promptTokens * inputPerToken + completionTokens * outputPerToken;
    }
}
