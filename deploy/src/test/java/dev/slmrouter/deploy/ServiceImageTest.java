package dev.slmrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/Dockerfile and its entrypoint start the same main classes as bin/slm-router. */
class ServiceImageTest {

    private static final Pattern CASE = Pattern.compile("(?ms)^\\s*([a-z0-9-]+)\\)\\s*$(.*?);;");
    private static final Pattern MAIN_CLASS = Pattern.compile("\\b(dev\\.slmrouter\\.[a-z0-9.]+\\.[A-Z][A-Za-z0-9]+)\\b");

    /** command -> case body. */
    private static Map<String, String> cases(final String script) {
        final Map<String, String> cases = new LinkedHashMap<>();
        final Matcher m = CASE.matcher(script);
        while (m.find()) {
            cases.put(m.group(1), m.group(2));
        }
        return cases;
    }

    private static String mainClass(final String body) {
        final Matcher m = MAIN_CLASS.matcher(body);
        assertThat(m.find()).as("a main class in %s", body).isTrue();
        return m.group(1);
    }

    @Test
    void eachServiceRunsTheMainClassBinSlmRouterRuns() {
        final Map<String, String> entrypoint = cases(Repo.read("deploy/docker/entrypoint.sh"));
        final Map<String, String> bin = cases(Repo.read("bin/slm-router"));
        for (JavaService service : JavaService.values()) {
            final String command = service.composeName();
            assertThat(entrypoint).as("entrypoint.sh handles %s", command).containsKey(command);
            assertThat(bin).as("bin/slm-router handles %s", command).containsKey(command);
            final String main = mainClass(entrypoint.get(command));
            assertThat(main).isEqualTo(mainClass(bin.get(command)));
            assertThat(bin.get(command)).contains("ensure_built " + service.module());
            assertThat(entrypoint.get(command)).contains("-cp \"/app/" + service.module() + "/*\"");
            assertThat(Files.isRegularFile(Repo.path(service.module() + "/src/main/java/"
                    + main.replace('.', '/') + ".java"))).as(main).isTrue();
        }
    }

    @Test
    void theImageBuildsAndShipsEachServiceModule() {
        final String dockerfile = Repo.read("deploy/Dockerfile");
        final Matcher pl = Pattern.compile("-pl ([a-z0-9,-]+) -am").matcher(dockerfile);
        assertThat(pl.find()).isTrue();
        final Matcher loop = Pattern.compile("for module in ([a-z0-9 -]+); do").matcher(dockerfile);
        assertThat(loop.find()).isTrue();
        for (JavaService service : JavaService.values()) {
            assertThat(pl.group(1).split(",")).contains(service.module());
            assertThat(loop.group(1).trim().split(" ")).contains(service.module());
        }
        assertThat(dockerfile).contains("COPY deploy/docker/entrypoint.sh /app/entrypoint.sh");
        assertThat(dockerfile).containsPattern("(?m)^USER (?!root)\\S+");
    }

    @Test
    void composeBuildsTheImageOnceAndStartsEachServiceByName() {
        final Compose compose = Compose.load();
        final String image = compose.service("router").path("image").asText();
        assertThat(image).isNotBlank();
        for (JavaService service : JavaService.values()) {
            final var node = compose.service(service.composeName());
            assertThat(node.path("image").asText()).isEqualTo(image);
            assertThat(node.path("build").path("context").asText()).isEqualTo(".");
            assertThat(node.path("build").path("dockerfile").asText()).isEqualTo("deploy/Dockerfile");
            assertThat(compose.command(service.composeName())).containsExactly(service.composeName());
        }
        assertThat(Files.isRegularFile(Repo.path("deploy/Dockerfile.dockerignore"))).isTrue();
    }
}
