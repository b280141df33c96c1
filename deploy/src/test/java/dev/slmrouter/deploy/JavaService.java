package dev.slmrouter.deploy;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.gpt.GptWorkerConfig;
import dev.slmrouter.insights.drift.DriftMonitorConfig;
import dev.slmrouter.router.RouterConfig;
import dev.slmrouter.slm.SlmWorkerConfig;
import dev.slmrouter.tier0.worker.Tier0WorkerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The project's own services in docker-compose.yml, the modules their code comes from, and their config. */
enum JavaService {

    ROUTER("router", "router-stream", List.of("router-stream", "common", "schemas")),
    SLM_WORKER("slm-worker", "slm-worker", List.of("slm-worker", "worker-core", "common", "schemas")),
    GPT_WORKER("gpt-worker", "gpt-worker", List.of("gpt-worker", "worker-core", "common", "schemas")),
    DRIFT_MONITOR("drift-monitor", "insights", List.of("insights", "worker-core", "common", "schemas")),
    TIER0_WORKER("tier0-worker", "tier0", List.of("tier0", "worker-core", "common", "schemas"));

    private final String composeName;
    private final String module;
    private final List<String> modules;

    JavaService(final String composeName, final String module, final List<String> modules) {
        this.composeName = composeName;
        this.module = module;
        this.modules = modules;
    }

    String composeName() {
        return composeName;
    }

    /** The module holding the service's main class (what bin/slm-router builds for it). */
    String module() {
        return module;
    }

    List<Path> sourceRoots() {
        return modules.stream().map(m -> Repo.path(m + "/src/main/java")).toList();
    }

    static Settings settings(final Map<String, String> env) {
        return Settings.from(env, new Properties());
    }

    /** The metrics port the service's own configuration code reads from this environment. */
    int metricsPort(final Map<String, String> env) {
        return switch (this) {
            case ROUTER -> RouterConfig.from(settings(env)).metricsPort();
            case SLM_WORKER -> SlmWorkerConfig.from(settings(env)).metricsPort();
            case GPT_WORKER -> GptWorkerConfig.from(settings(env)).metricsPort();
            case DRIFT_MONITOR -> DriftMonitorConfig.from(settings(env)).metricsPort();
            case TIER0_WORKER -> Tier0WorkerConfig.from(settings(env)).metricsPort();
        };
    }

    static JavaService byComposeName(final String name) {
        for (JavaService s : values()) {
            if (s.composeName.equals(name)) {
                return s;
            }
        }
        return null;
    }
}
