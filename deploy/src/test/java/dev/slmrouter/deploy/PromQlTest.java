package dev.slmrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void aggregationOverRateReadsOneMetricAndItsGroupingLabel() {
        final PromQl.Usage usage = PromQl.parse("sum by (tier) (rate(router_requests_routed_total[$__rate_interval]))");
        assertThat(usage.metrics()).containsExactly("router_requests_routed_total");
        assertThat(usage.labels()).containsExactly("tier");
    }

    @Test
    void selectorLabelsAreLabelsAndTheirValuesAreIgnored() {
        final PromQl.Usage usage = PromQl.parse(
                "sum(rate(router_requests_routed_total{tier=\"SLM\", rule!~\"MATRIX_.*\"}[5m])) / sum(rate(other_total[5m]))");
        assertThat(usage.metrics()).containsExactly("other_total", "router_requests_routed_total");
        assertThat(usage.labels()).containsExactly("rule", "tier");
    }

    @Test
    void functionsKeywordsNumbersAndVariablesAreNotMetrics() {
        final PromQl.Usage usage = PromQl.parse("histogram_quantile(0.99, sum without (instance) "
                + "(rate(slm_backend_latency_seconds_bucket[$__rate_interval]))) * 3600 > bool 1e+3 "
                + "or on (job) scalar(up offset 5m)");
        assertThat(usage.metrics()).containsExactly("slm_backend_latency_seconds_bucket", "up");
        assertThat(usage.labels()).containsExactly("instance", "job");
    }

    @Test
    void aBareMetricIsAMetric() {
        assertThat(PromQl.parse("gpt_budget_used_ratio").metrics()).containsExactly("gpt_budget_used_ratio");
        assertThat(PromQl.parse("max by (scope, tenant) (gpt_budget_used_ratio)").labels())
                .containsExactly("scope", "tenant");
    }
}
