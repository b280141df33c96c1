package dev.slmrouter.worker.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class WorkerLoopConfigTest {

    private static WorkerLoopConfig.Builder valid() {
        return WorkerLoopConfig.builder().bootstrapServers("localhost:9092").groupId("slm-worker")
                .transactionalId("slm-worker-0").topics("llm.requests.slm");
    }

    @Test
    void setsWhatExactlyOnceNeeds() {
        final WorkerLoopConfig config = valid().build();

        assertThat(config.consumerConfig()).containsEntry("enable.auto.commit", "false")
                .containsEntry("isolation.level", "read_committed").containsEntry("group.id", "slm-worker")
                .containsEntry("auto.offset.reset", "earliest").containsEntry("max.poll.records", 32);
        assertThat(config.producerConfig()).containsEntry("transactional.id", "slm-worker-0")
                .containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
                .containsEntry("retry.backoff.ms", 20);
        assertThat(config.name()).isEqualTo("slm-worker-0");
        assertThat(config.maxInFlight()).isEqualTo(32);
    }

    @Test
    void refusesSettingsThatContradictExactlyOnce() {
        assertThatThrownBy(() -> valid().consumerConfig(Map.of("enable.auto.commit", true)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.auto.commit");
        assertThatThrownBy(() -> valid().consumerConfig(Map.of("isolation.level", "read_uncommitted")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("isolation.level");
        assertThatThrownBy(() -> valid().producerConfig(Map.of("acks", "1")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks");
        assertThatThrownBy(() -> valid().producerConfig(Map.of("transactional.id", "other")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transactional.id");
    }

    @Test
    void acceptsEquivalentSpellings() {
        final WorkerLoopConfig config = valid().consumerConfig(Map.of("enable.auto.commit", false, "max.poll.records", 7))
                .producerConfig(Map.of("acks", "-1", "enable.idempotence", true)).build();

        assertThat(config.producerConfig()).containsEntry("acks", "all");
        assertThat(config.consumerConfig()).containsEntry("max.poll.records", 7);
        // A given retry backoff is kept.
        assertThat(valid().producerConfig(Map.of("retry.backoff.ms", "250")).build().producerConfig())
                .containsEntry("retry.backoff.ms", "250");
    }

    @Test
    void checksLimits() {
        assertThatThrownBy(() -> valid().maxInFlight(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().maxInFlight(4).batchSize(5).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().maxInFlight(8).maxBuffered(4).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerLoopConfig.builder().bootstrapServers("x:1").groupId("g").topics("t").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transactional id");
    }
}
