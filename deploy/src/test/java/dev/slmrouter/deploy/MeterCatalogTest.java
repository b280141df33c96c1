package dev.slmrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog derives the Prometheus names from a real registry, not from a hand-written rule. */
class MeterCatalogTest {

    private static final String SOURCE = """
            class Example {
                static final String BUDGET = "gpt.budget.used.ratio";
                void register(MeterRegistry registry) {
                    Counter.builder("router.requests.routed")
                            .tags("tier", tier.name(), "task_type", taskType.name(), "rule", rule.name())
                            .register(registry);
                    Timer.builder("slm.backend.latency").description("vLLM call latency")
                            .publishPercentileHistogram().register(registry);
                    Timer.builder("router.classification").publishPercentiles(0.5, 0.99).register(registry);
                    DistributionSummary.builder("slm.confidence").serviceLevelObjectives(0.5, 0.9).register(registry);
                    Gauge.builder(BUDGET, state, s -> s.ratio()).tag("scope", "global").tag("tenant", "")
                            .register(registry);
                    Counter.builder("gpt.cost.usd").tag("model", model).tag("tenant", tenant).register(registry);
                    // Counter.builder("commented.out").register(registry);
                    /* Timer.builder("block.commented").register(registry); */
                    String url = "http://vllm:8000/v1"; Counter.builder("after.url").register(registry);
                }
            }
            """;

    private final MeterCatalog catalog = MeterCatalog.of(MeterCatalog.metersIn("Example.java", SOURCE));

    @Test
    void findsEveryDeclaredMeterWithItsTagKeys() {
        assertThat(catalog.meters()).extracting(MeterCatalog.Meter::name).containsExactly(
                "router.requests.routed", "slm.backend.latency", "router.classification", "slm.confidence",
                "gpt.budget.used.ratio", "gpt.cost.usd", "after.url");
        assertThat(catalog.meters().get(0).tagKeys()).containsExactlyInAnyOrder("tier", "task_type", "rule");
    }

    @Test
    void countersGetTotalAndKeepTheirLabels() {
        assertThat(catalog.find("router_requests_routed_total")).get()
                .extracting(MeterCatalog.Series::labels).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.ITERABLE)
                .containsExactlyInAnyOrder("tier", "task_type", "rule");
        assertThat(catalog.find("gpt_cost_usd_total")).isPresent();
        assertThat(catalog.find("router_requests_routed")).isEmpty();
        assertThat(catalog.find("gpt_cost_usd")).isEmpty();
    }

    @Test
    void timersAreInSecondsWithBucketsOnlyWhenAHistogramIsPublished() {
        assertThat(catalog.series().keySet()).contains("slm_backend_latency_seconds_bucket",
                "slm_backend_latency_seconds_count", "slm_backend_latency_seconds_sum", "slm_backend_latency_seconds_max",
                "router_classification_seconds", "router_classification_seconds_count");
        assertThat(catalog.series().keySet()).doesNotContain("router_classification_seconds_bucket");
        assertThat(catalog.find("router_classification_seconds").orElseThrow().labels()).contains("quantile");
        assertThat(catalog.find("slm_backend_latency_seconds_bucket").orElseThrow().labels()).contains("le");
    }

    @Test
    void summariesWithObjectivesHaveBucketsAndGaugesKeepTheirName() {
        assertThat(catalog.series().keySet()).contains("slm_confidence_bucket", "slm_confidence_count");
        assertThat(catalog.find("gpt_budget_used_ratio").orElseThrow().labels())
                .containsExactlyInAnyOrder("scope", "tenant");
    }

    @Test
    void commentedOutMetersAreNotMeters() {
        assertThat(catalog.meters()).extracting(MeterCatalog.Meter::name).doesNotContain("commented.out", "block.commented");
        assertThat(MeterCatalog.of(List.of()).series()).isEmpty();
    }
}
