package dev.slmrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** deploy/prometheus/prometheus.yml scrapes the ports the services really serve /metrics on. */
class PrometheusScrapeTest {

    private final Compose compose = Compose.load();

    private static JsonNode config() throws IOException {
        return Compose.YAML.readTree(Repo.read("deploy/prometheus/prometheus.yml"));
    }

    /** job name -> its static targets. */
    private static Map<String, List<String>> targetsByJob() throws IOException {
        final Map<String, List<String>> jobs = new LinkedHashMap<>();
        for (JsonNode job : config().path("scrape_configs")) {
            final List<String> targets = new ArrayList<>();
            job.path("static_configs").forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));
            assertThat(jobs.put(job.path("job_name").asText(), targets)).as("duplicate job").isNull();
            assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
        }
        return jobs;
    }

    @Test
    void everyTargetIsAComposeServiceOnThePortItsConfigurationUses() throws IOException {
        final Map<String, List<String>> jobs = targetsByJob();
        assertThat(jobs).isNotEmpty();
        jobs.forEach((job, targets) -> {
            assertThat(targets).as("targets of job %s", job).isNotEmpty();
            for (String target : targets) {
                final String host = target.substring(0, target.lastIndexOf(':'));
                final int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
                assertThat(compose.serviceNames()).as("job %s target %s", job, target).contains(host);
                final JavaService service = JavaService.byComposeName(host);
                if (service != null) {
                    // The port the service's own configuration code will open with compose's environment.
                    assertThat(port).as("job %s target %s", job, target)
                            .isEqualTo(service.metricsPort(compose.environment(host)));
                    assertThat(compose.stringList(compose.service(host).path("expose"))).contains(String.valueOf(port));
                    assertThat(compose.stringList(compose.service(host).path("healthcheck").path("test")))
                            .anySatisfy(part -> assertThat(part).contains("/dev/tcp/127.0.0.1/" + port + " "));
                } else {
                    assertThat(host).as("only the Java services and vLLM export metrics").isEqualTo("vllm");
                    assertThat(port).isEqualTo(Integer.parseInt(compose.commandOption("vllm", "--port").orElseThrow()));
                }
            }
        });
    }

    @Test
    void eachJavaServiceIsScrapedExactlyOnceUnderItsOwnJobName() throws IOException {
        final Map<String, List<String>> jobs = targetsByJob();
        for (JavaService service : JavaService.values()) {
            assertThat(jobs.get(service.composeName())).as("job %s", service.composeName()).hasSize(1);
            final long scraped = jobs.values().stream().flatMap(List::stream)
                    .filter(t -> t.startsWith(service.composeName() + ":")).count();
            assertThat(scraped).as(service.composeName()).isEqualTo(1);
        }
    }

    @Test
    void prometheusLoadsThisFile() {
        final String configPath = compose.stringList(compose.service("prometheus").path("command")).stream()
                .filter(a -> a.startsWith("--config.file=")).map(a -> a.substring("--config.file=".length()))
                .findFirst().orElse("/etc/prometheus/prometheus.yml");
        assertThat(compose.mounts("prometheus")).containsEntry("./deploy/prometheus/prometheus.yml", configPath);
    }
}
