package dev.slmrouter.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {

    @Test
    void shouldPreferTheFileAndReReadItOnEveryUse(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("key");
        Files.writeString(file, "sk-first\n");
        final var secret = Secret.from(Settings.of(Map.of("gpt.api.key", "sk-env", "gpt.api.key.file",
                file.toString())), "gpt.api.key").orElseThrow();

        assertThat(secret.get()).isEqualTo("sk-first");
        Files.writeString(file, "sk-rotated");
        assertThat(secret.get()).isEqualTo("sk-rotated");
    }

    @Test
    void shouldTakeTheValueWhenThereIsNoFileAndNothingWhenUnset() {
        assertThat(Secret.from(Settings.of(Map.of("gpt.api.key", "sk-env")), "gpt.api.key").orElseThrow().get())
                .isEqualTo("sk-env");
        assertThat(Secret.from(Settings.of(Map.of()), "gpt.api.key")).isEmpty();
    }

    @Test
    void shouldNameTheSettingOfAnUnreadableFile() {
        assertThatThrownBy(() -> Secret.from(Settings.of(Map.of("gpt.api.key.file", "/no/such/key")), "gpt.api.key"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GPT_API_KEY_FILE");
    }
}
