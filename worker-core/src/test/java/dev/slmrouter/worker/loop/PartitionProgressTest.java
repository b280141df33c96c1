package dev.slmrouter.worker.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private final PartitionProgress<String> progress = new PartitionProgress<>();

    @Test
    void nothingIsCommittableBeforeAnythingIsDone() {
        progress.track(0);
        progress.track(1);

        assertThat(progress.takeCommittable().isEmpty()).isTrue();
        assertThat(progress.takeCommittable().nextOffset()).isEqualTo(-1);
        assertThat(progress.tracked()).isEqualTo(2);
        assertThat(progress.committedUpTo()).isEqualTo(-1);
    }

    @Test
    void aGapHoldsBackLaterCompletionsUntilItIsDone() {
        for (long offset = 10; offset <= 13; offset++) {
            progress.track(offset);
        }
        progress.complete(10, "a");
        progress.complete(11, "b");
        progress.complete(13, "d");

        final PartitionProgress.Committable<String> first = progress.takeCommittable();
        assertThat(first.outcomes()).containsExactly("a", "b");
        assertThat(first.nextOffset()).isEqualTo(12);
        assertThat(progress.held()).isEqualTo(1);
        assertThat(progress.takeCommittable().isEmpty()).isTrue();

        progress.complete(12, "c");
        final PartitionProgress.Committable<String> second = progress.takeCommittable();
        assertThat(second.outcomes()).containsExactly("c", "d");
        assertThat(second.nextOffset()).isEqualTo(14);
        assertThat(progress.tracked()).isZero();
        assertThat(progress.held()).isZero();
        assertThat(progress.committedUpTo()).isEqualTo(14);
    }

    @Test
    void offsetGapsFromMarkersAreContiguousInFetchOrder() {
        // 5 and 8 are transaction markers: never fetched, never tracked.
        progress.track(4);
        progress.track(6);
        progress.track(7);
        progress.track(9);
        progress.complete(9, "9");
        progress.complete(6, "6");
        progress.complete(4, "4");

        final PartitionProgress.Committable<String> committable = progress.takeCommittable();
        assertThat(committable.outcomes()).containsExactly("4", "6");
        assertThat(committable.nextOffset()).isEqualTo(7);
        progress.complete(7, "7");
        assertThat(progress.takeCommittable().nextOffset()).isEqualTo(10);
    }

    @Test
    void randomCompletionOrderCommitsEveryOutcomeOnceInOffsetOrder() {
        final Random random = new Random(42);
        final List<Long> offsets = new ArrayList<>();
        for (long offset = 0; offset < 500; offset++) {
            progress.track(offset * 2);
            offsets.add(offset * 2);
        }
        Collections.shuffle(offsets, random);
        final List<String> committed = new ArrayList<>();
        long lastNext = -1;
        for (final long offset : offsets) {
            assertThat(progress.complete(offset, Long.toString(offset))).isTrue();
            if (random.nextInt(10) == 0) {
                final PartitionProgress.Committable<String> c = progress.takeCommittable();
                if (!c.isEmpty()) {
                    assertThat(c.nextOffset()).isGreaterThan(lastNext);
                    lastNext = c.nextOffset();
                    committed.addAll(c.outcomes());
                }
            }
        }
        committed.addAll(progress.takeCommittable().outcomes());

        final List<String> expected = new ArrayList<>();
        for (long offset = 0; offset < 500; offset++) {
            expected.add(Long.toString(offset * 2));
        }
        assertThat(committed).containsExactlyElementsOf(expected);
        assertThat(progress.committedUpTo()).isEqualTo(999);
        assertThat(progress.tracked()).isZero();
    }

    @Test
    void completingTwiceOrAnUnknownOffsetChangesNothing() {
        progress.track(1);
        assertThat(progress.complete(1, "first")).isTrue();
        assertThat(progress.complete(1, "second")).isFalse();
        assertThat(progress.complete(2, "never tracked")).isFalse();
        assertThat(progress.held()).isEqualTo(1);

        assertThat(progress.takeCommittable().outcomes()).containsExactly("first");
        assertThat(progress.complete(1, "after take")).isFalse();
    }

    @Test
    void revocationDropsEverythingAndRefusesLateCompletions() {
        progress.track(0);
        progress.track(1);
        progress.track(2);
        progress.complete(1, "held");

        assertThat(progress.revoke()).isEqualTo(3);

        assertThat(progress.isRevoked()).isTrue();
        assertThat(progress.complete(0, "late")).isFalse();
        assertThat(progress.complete(1, "late")).isFalse();
        assertThat(progress.takeCommittable().isEmpty()).isTrue();
        assertThat(progress.tracked()).isZero();
        assertThat(progress.held()).isZero();
        assertThatThrownBy(() -> progress.track(3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNewAssignmentIsANewInstanceThatIgnoresTheOldOnesCompletions() {
        final PartitionProgress<String> old = progress;
        old.track(5);
        old.revoke();
        final PartitionProgress<String> current = new PartitionProgress<>();
        current.track(5);

        // The old assignment's late completion goes to the old instance and is refused there.
        assertThat(old.complete(5, "stale")).isFalse();
        assertThat(current.takeCommittable().isEmpty()).isTrue();
        assertThat(current.complete(5, "fresh")).isTrue();
        assertThat(current.takeCommittable().outcomes()).containsExactly("fresh");
    }

    @Test
    void offsetsMustIncrease() {
        progress.track(3);
        assertThatThrownBy(() -> progress.track(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> progress.track(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void advancingOverAMarkerIsOnlyAllowedWhenIdle() {
        progress.track(0);
        assertThatThrownBy(() -> progress.advanceTo(2)).isInstanceOf(IllegalStateException.class);
        progress.complete(0, "a");
        assertThat(progress.takeCommittable().nextOffset()).isEqualTo(1);

        assertThat(progress.advanceTo(1)).isFalse();
        assertThat(progress.advanceTo(2)).isTrue();
        assertThat(progress.committedUpTo()).isEqualTo(2);
        assertThatThrownBy(() -> progress.track(1)).isInstanceOf(IllegalArgumentException.class);
        progress.track(2);
        assertThat(progress.tracked()).isEqualTo(1);
    }
}
