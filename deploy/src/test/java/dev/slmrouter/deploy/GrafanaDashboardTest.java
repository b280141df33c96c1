package dev.slmrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard: it parses, its datasource is the provisioned one, and every metric a panel
 * queries is a meter the services' code declares, under the name Prometheus really gives it.
 */
class GrafanaDashboardTest {

    private static final String DASHBOARDS_DIR = "./deploy/grafana/dashboards";
    private static final String PROVISIONING_DIR = "./deploy/grafana/provisioning";
    /** Series Prometheus makes itself, per scrape target. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");

    private static MeterCatalog catalog;
    private final Compose compose = Compose.load();

    /** A query of a panel. */
    record Query(String panel, String expr, String legend, JsonNode datasource) {
    }

    @BeforeAll
    static void scanSources() {
        final Set<Path> roots = new LinkedHashSet<>();
        for (JavaService service : JavaService.values()) {
            roots.addAll(service.sourceRoots());
        }
        catalog = MeterCatalog.scan(roots);
    }

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Repo.path(DASHBOARDS_DIR + "/slm-router.json").toFile());
    }

    private static List<JsonNode> panels(final JsonNode dashboard) {
        final List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add); // collapsed rows hold their panels
        });
        return panels;
    }

    private static List<Query> queries() throws IOException {
        final List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard())) {
            panel.path("targets").forEach(t -> queries.add(new Query(panel.path("title").asText(),
                    t.path("expr").asText(), t.path("legendFormat").asText(""),
                    t.has("datasource") ? t.path("datasource") : panel.path("datasource"))));
        }
        return queries;
    }

    private static JsonNode provisionedDatasource() throws IOException {
        final JsonNode file = Compose.YAML.readTree(
                Repo.read(PROVISIONING_DIR.substring(2) + "/datasources/prometheus.yml"));
        assertThat(file.path("datasources").size()).isEqualTo(1);
        return file.path("datasources").get(0);
    }

    @Test
    void theDashboardParsesAndEveryPanelHasQueries() throws IOException {
        final JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("slm-router");
        final List<JsonNode> panels = panels(dashboard);
        final Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : panels) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s is unique", panel.path("id")).isTrue();
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("targets").size()).as("queries of panel '%s'", panel.path("title").asText())
                        .isPositive();
                panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
            }
        }
        assertThat(queries()).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void everyQueryUsesTheProvisionedPrometheusDatasource() throws IOException {
        final JsonNode datasource = provisionedDatasource();
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        final String uid = datasource.path("uid").asText();
        assertThat(uid).isNotBlank();
        for (Query query : queries()) {
            assertThat(query.datasource().path("uid").asText()).as("datasource of '%s'", query.panel()).isEqualTo(uid);
            assertThat(query.datasource().path("type").asText()).isEqualTo("prometheus");
        }
        // The datasource points at the compose service, on Prometheus' port.
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(compose.serviceNames()).contains("prometheus");
        assertThat(compose.stringList(compose.service("prometheus").path("command")))
                .noneMatch(a -> a.startsWith("--web.listen-address"));
        assertThat(compose.service("prometheus").path("ports").get(0).asText()).endsWith(":9090");
    }

    @Test
    void grafanaMountsTheProvisioningAndTheDashboardFolder() throws IOException {
        final Map<String, String> mounts = compose.mounts("grafana");
        assertThat(mounts).containsEntry(PROVISIONING_DIR, "/etc/grafana/provisioning");
        final JsonNode providers = Compose.YAML.readTree(
                Repo.read(PROVISIONING_DIR.substring(2) + "/dashboards/slm-router.yml")).path("providers");
        assertThat(providers.size()).isEqualTo(1);
        final String path = providers.get(0).path("options").path("path").asText();
        assertThat(mounts).containsEntry(DASHBOARDS_DIR, path);
        final String home = compose.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(home).startsWith(path + "/");
        assertThat(Files.isRegularFile(Repo.path(DASHBOARDS_DIR + home.substring(path.length())))).isTrue();
        try (Stream<Path> files = Files.list(Repo.path(DASHBOARDS_DIR))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("slm-router.json");
        }
    }

    @Test
    void everyQueriedMetricIsAMeterOfTheServicesUnderItsPrometheusName() throws IOException {
        final List<String> problems = new ArrayList<>();
        for (Query query : queries()) {
            final PromQl.Usage usage = PromQl.parse(query.expr());
            assertThat(usage.metrics()).as("metrics of '%s'", query.expr()).isNotEmpty();
            for (String metric : usage.metrics()) {
                if (!PROMETHEUS_SERIES.contains(metric) && catalog.find(metric).isEmpty()) {
                    problems.add("'" + query.panel() + "' queries " + metric + ", which no meter exports");
                }
            }
        }
        assertThat(problems).as("known series: %s", catalog.series().keySet()).isEmpty();
    }

    @Test
    void everyLabelAQueryNamesIsALabelOfTheMetricsItReads() throws IOException {
        final List<String> problems = new ArrayList<>();
        for (Query query : queries()) {
            final PromQl.Usage usage = PromQl.parse(query.expr());
            final Set<String> available = new TreeSet<>(TARGET_LABELS);
            boolean unknownTags = false;
            for (String metric : usage.metrics()) {
                final var series = catalog.find(metric);
                if (series.isPresent()) {
                    available.addAll(series.get().labels());
                    unknownTags |= !series.get().meter().tagsResolved();
                }
            }
            if (unknownTags) {
                continue; // tags built from a variable in the source: cannot be checked
            }
            final Set<String> used = new TreeSet<>(usage.labels());
            final Matcher legend = LEGEND_LABEL.matcher(query.legend());
            while (legend.find()) {
                used.add(legend.group(1));
            }
            used.removeAll(available);
            if (!used.isEmpty()) {
                problems.add("'" + query.panel() + "' uses labels " + used + " that " + usage.metrics()
                        + " do not have (they have " + available + ")");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theDashboardCoversRoutingEscalationLatencyThroughputCostAndBudget() throws IOException {
        final Set<String> queried = new TreeSet<>();
        for (Query query : queries()) {
            queried.addAll(PromQl.parse(query.expr()).metrics());
        }
        assertThat(queried).contains(
                "router_requests_routed_total",         // routing split
                "slm_escalations_total",                // escalation rate by reason
                "slm_results_total",
                "slm_backend_latency_seconds_bucket",   // latency
                "gpt_call_latency_seconds_sum",
                "worker_loop_outcomes_committed_total", // throughput
                "gpt_cost_usd_total",                   // cost
                "gpt_budget_used_ratio");               // budget used ratio
        final boolean escalationsByReason = queries().stream().anyMatch(q ->
                PromQl.parse(q.expr()).metrics().contains("slm_escalations_total")
                        && PromQl.parse(q.expr()).labels().contains("reason"));
        assertThat(escalationsByReason).isTrue();
    }

    @Test
    void aMisspelledMetricWouldBeCaught() {
        assertThat(catalog.find("router_requests_routed_total")).isPresent();
        assertThat(catalog.find("router_requests_total")).isEmpty();
        assertThat(catalog.find("slm_escalations")).isEmpty();
        assertThat(catalog.find("gpt_call_latency_seconds_bucket")).as("gpt.call.latency has no histogram").isEmpty();
        assertThat(catalog.find("worker_loop_in_flight").orElseThrow().labels()).contains("loop");
    }
}
