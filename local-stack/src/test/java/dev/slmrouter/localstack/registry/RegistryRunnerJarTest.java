package dev.slmrouter.localstack.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryRunnerJarTest {

    @TempDir
    Path repo;

    @Test
    void shouldFindTheRunnerJarAboveTheWorkingDirectory() throws IOException {
        Path jar = Files.createDirectories(repo.resolve("schema-registry/target"))
                .resolve("schema-registry-1.0-runner.jar");
        Files.writeString(jar, "");
        Path module = Files.createDirectories(repo.resolve("router-stream/src"));

        assertThat(RegistryRunnerJar.locate(null, " ", module)).isEqualTo(jar);
    }

    @Test
    void shouldPreferTheSystemPropertyOverTheEnvironmentAndTheSearch() throws IOException {
        Path fromProperty = Files.writeString(repo.resolve("a-runner.jar"), "");
        Path fromEnv = Files.writeString(repo.resolve("b-runner.jar"), "");

        assertThat(RegistryRunnerJar.locate(fromProperty.toString(), fromEnv.toString(), repo)).isEqualTo(fromProperty);
        assertThat(RegistryRunnerJar.locate(null, fromEnv.toString(), repo)).isEqualTo(fromEnv);
    }

    @Test
    void shouldSayHowToBuildTheJarWhenTheSettingNamesNoFile() {
        String missing = repo.resolve("schema-registry/target/schema-registry-1.0-runner.jar").toString();

        assertThatThrownBy(() -> RegistryRunnerJar.locate(missing, null, repo))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing)
                .hasMessageContaining("system property registry.runner.jar")
                .hasMessageContaining("./mvnw -pl schema-registry package");
    }

    @Test
    void shouldSayHowToBuildTheJarWhenNothingIsFound() {
        assertThatThrownBy(() -> RegistryRunnerJar.locate(null, null, repo))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("./mvnw -pl schema-registry package");
    }
}
