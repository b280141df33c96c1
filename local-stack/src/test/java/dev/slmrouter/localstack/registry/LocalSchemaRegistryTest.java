package dev.slmrouter.localstack.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * The process lifecycle, on a registry of its own (not the shared one, which must outlive this class):
 * started means ready, closed means the process is gone and its port free.
 */
class LocalSchemaRegistryTest {

    @Test
    void shouldBeReadyWhenStartedAndLeaveNoProcessBehindWhenClosed() {
        LocalSchemaRegistry registry = LocalSchemaRegistry.start();
        long pid = registry.pid();
        int port = registry.port();
        try {
            assertThat(registry.confluentApiUrl()).isEqualTo("http://127.0.0.1:" + port + "/apis/ccompat/v7");
            assertThat(new RegistryHttp(registry.confluentApiUrl()).get("/subjects").status()).isEqualTo(200);
            assertThat(registry.logFile()).content().contains("Listening on: http://127.0.0.1:" + port);
        } finally {
            registry.close();
        }

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).isInstanceOf(IOException.class);
        registry.close(); // closing twice is a no-op
    }
}
