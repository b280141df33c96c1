package dev.slmrouter.localstack.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

/** Remembers the first broker any test class received, so every class can check it got the same one. */
final class SharedBrokerProbe {

    private static final AtomicReference<KafkaBroker> FIRST = new AtomicReference<>();
    private static final AtomicReference<String> FIRST_BOOTSTRAP = new AtomicReference<>();

    private SharedBrokerProbe() {
    }

    static void assertShared(KafkaBroker broker) {
        FIRST.compareAndSet(null, broker);
        FIRST_BOOTSTRAP.compareAndSet(null, broker.bootstrapServers());
        assertThat(broker).isSameAs(FIRST.get());
        assertThat(broker.bootstrapServers()).isEqualTo(FIRST_BOOTSTRAP.get());
    }
}
