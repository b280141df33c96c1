package dev.slmrouter.worker.cost;

/**
 * What a call costs: USD per million input (prompt) and output (completion) tokens. One price model for
 * both tiers: OpenAI's list prices for GPT, and for the SLM either a hosted model's token price or the GPU
 * behind vLLM spread over the tokens it serves ({@link #gpuHour}).
 */
public record TokenPrice(double inputPerMillion, double outputPerMillion) {

    /** OpenAI's list price for gpt-4o: also the "all on GPT-4o" baseline of the demo report. */
    public static final TokenPrice GPT_4O = new TokenPrice(2.50, 10.00);
    public static final TokenPrice GPT_4O_MINI = new TokenPrice(0.15, 0.60);

    public TokenPrice {
        if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0)) {
            throw new IllegalArgumentException("prices must be >= 0");
        }
    }

    /**
     * A GPU's hourly cost (lease or amortized) divided by the tokens per second the deployment sustains
     * (prompt plus completion; measure it), applied to every token alike.
     */
    public static TokenPrice gpuHour(final double gpuUsdPerHour, final double tokensPerSecond) {
        final double perMillion = gpuUsdPerHour / (tokensPerSecond * 3600) * 1_000_000;
        return new TokenPrice(perMillion, perMillion);
    }

    public double costUsd(final long promptTokens, final long completionTokens) {
        return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1_000_000;
    }
}
