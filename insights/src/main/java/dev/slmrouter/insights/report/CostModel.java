package dev.slmrouter.insights.report;

/**
 * The total-cost model of the migration study: calling the API costs its price per token on every request;
 * self-hosting costs the GPUs by the hour whatever the traffic (one per {@code capacity x utilization} of
 * traffic, plus failover replicas), plus engineering hours a month, and almost nothing per request. The
 * break-even is the daily volume at which both cost the same: below it the API is cheaper.
 *
 * @param gpuUsdPerHour          lease (or amortized cost) of one GPU
 * @param gpuRequestsPerSecond   requests one GPU serves per second at full load (measure it)
 * @param utilization            share of that capacity traffic really uses (peaks, idle nights)
 * @param failoverReplicas       GPUs kept beside the serving ones for failover
 * @param engineeringHours       engineering hours a month to run the deployment
 * @param engineeringUsdPerHour  what an engineering hour costs
 */
public record CostModel(double gpuUsdPerHour, double gpuRequestsPerSecond, double utilization, int failoverReplicas,
                        double engineeringHours, double engineeringUsdPerHour) {

    /** The defaults of {@code insights report}: one $2/h GPU at 10 req/s, half used, one failover, 20 h at $100. */
    public static final CostModel DEFAULT = new CostModel(2.0, 10, 0.5, 1, 20, 100);

    static final double HOURS_PER_MONTH = 730;
    static final double DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

    public CostModel {
        if (!(gpuUsdPerHour >= 0) || !(gpuRequestsPerSecond > 0) || !(utilization > 0 && utilization <= 1)
                || failoverReplicas < 0 || !(engineeringHours >= 0) || !(engineeringUsdPerHour >= 0)) {
            throw new IllegalArgumentException("cost model: prices and hours >= 0, capacity > 0, utilization in (0, 1]");
        }
    }

    /** The API's monthly cost at {@code perDay} requests of {@code usdPerRequest} each. */
    public double apiMonthlyUsd(final double perDay, final double usdPerRequest) {
        return perDay * DAYS_PER_MONTH * usdPerRequest;
    }

    /** GPUs needed to serve {@code perDay} requests: at least one, plus the failover replicas. */
    public int gpus(final double perDay) {
        final double perGpuPerDay = gpuRequestsPerSecond * utilization * 86_400;
        return Math.max(1, (int) Math.ceil(perDay / perGpuPerDay)) + failoverReplicas;
    }

    /** Self-hosting's monthly cost at {@code perDay} requests. */
    public double selfHostMonthlyUsd(final double perDay) {
        return gpus(perDay) * gpuUsdPerHour * HOURS_PER_MONTH + engineeringHours * engineeringUsdPerHour;
    }

    /**
     * The daily volume from which self-hosting costs no more than the API at {@code usdPerRequest}, within
     * the first GPU's capacity; infinite when the API is cheaper at any volume one GPU serves.
     */
    public double breakEvenPerDay(final double usdPerRequest) {
        if (usdPerRequest <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        final double fixed = selfHostMonthlyUsd(0);
        final double perDay = fixed / (usdPerRequest * DAYS_PER_MONTH);
        return perDay <= gpuRequestsPerSecond * utilization * 86_400 ? perDay : Double.POSITIVE_INFINITY;
    }
}
