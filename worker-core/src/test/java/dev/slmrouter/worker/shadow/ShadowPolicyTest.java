package dev.slmrouter.worker.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.events.TaskType;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShadowPolicyTest {

    @Test
    void shouldSampleTheConfiguredShareDeterministically() {
        final ShadowPolicy policy = ShadowPolicy.parse(0.0, "CLASSIFICATION:0.25,tenant/acme:1", "");
        final long sampled = IntStream.range(0, 10_000)
                .filter(i -> policy.sampled("req-" + i, TaskType.CLASSIFICATION, "t")).count();
        assertThat(sampled).isBetween(2_350L, 2_650L);
        assertThat(policy.sampled("req-1", TaskType.CLASSIFICATION, "t"))
                .isEqualTo(policy.sampled("req-1", TaskType.CLASSIFICATION, "t"));
        assertThat(IntStream.range(0, 100).filter(i -> policy.sampled("r" + i, TaskType.EXTRACTION, "t")).count()).isZero();
        assertThat(IntStream.range(0, 100).filter(i -> policy.sampled("r" + i, TaskType.EXTRACTION, "acme")).count())
                .isEqualTo(100);
        assertThat(policy.off()).isFalse();
        assertThat(ShadowPolicy.OFF.off()).isTrue();
    }

    @Test
    void shouldPutListedTaskTypesAndTenantsInTheShadowOnlyStage() {
        final ShadowPolicy policy = ShadowPolicy.parse(0.0, "", "extraction, tenant/globex");
        assertThat(policy.shadowOnly(TaskType.EXTRACTION, "a")).isTrue();
        assertThat(policy.shadowOnly(TaskType.CLASSIFICATION, "globex")).isTrue();
        assertThat(policy.shadowOnly(TaskType.CLASSIFICATION, "a")).isFalse();
        assertThatThrownBy(() -> ShadowPolicy.parse(0, "", "CLASIFICATION"))
                .hasMessageContaining("'CLASIFICATION' is neither a task type nor tenant/NAME");
        assertThatThrownBy(() -> ShadowPolicy.parse(0, "CLASSIFICATION:50", ""))
                .hasMessageContaining("needs a value from 0 to 1");
    }
}
