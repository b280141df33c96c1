package dev.slmrouter.router.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdFingerprintsTest {

    private static final long HOUR = 3_600_000L;

    @Test
    void anIdIsSeenWithinTheWindowAndNotAfterIt() {
        final IdFingerprints ids = new IdFingerprints(HOUR, 1_000);
        final long id = IdFingerprints.fingerprint("req-1");
        ids.add(id, 10 * HOUR);

        assertThat(ids.seenSince(id, 10 * HOUR)).isTrue();
        assertThat(ids.seenSince(id, 10 * HOUR + 1)).as("routed before the window started").isFalse();
        assertThat(ids.seenSince(IdFingerprints.fingerprint("req-2"), 0)).isFalse();

        ids.add(id, 11 * HOUR);
        assertThat(ids.seenSince(id, 10 * HOUR + 1)).as("a later time replaces the earlier one").isTrue();
    }

    @Test
    void growingKeepsEveryIdOfTheWindow() {
        final IdFingerprints ids = new IdFingerprints(HOUR, 1_000_000);
        for (int i = 0; i < 200_000; i++) {
            ids.add(IdFingerprints.fingerprint("id-" + i), HOUR + i);
        }
        int seen = 0;
        for (int i = 0; i < 200_000; i++) {
            if (ids.seenSince(IdFingerprints.fingerprint("id-" + i), 0)) {
                seen++;
            }
        }
        assertThat(seen).isEqualTo(200_000);
        assertThat(ids.size()).isEqualTo(200_000);
        assertThat(ids.forgottenEarly()).isZero();
        assertThat(ids.seenSince(IdFingerprints.fingerprint("id-200000"), 0)).isFalse();
    }

    @Test
    void expiredIdsAreDroppedWhenTheTableIsRebuilt() {
        final IdFingerprints ids = new IdFingerprints(HOUR, 1_000);
        // 10 hours of ids, 500 an hour: never more than 1,000 within the window, so none is forgotten early.
        for (int i = 0; i < 5_000; i++) {
            ids.add(IdFingerprints.fingerprint("id-" + i), i * (HOUR / 500));
        }
        assertThat(ids.forgottenEarly()).isZero();
        assertThat(ids.size()).isEqualTo(501);
        assertThat(ids.seenSince(IdFingerprints.fingerprint("id-4999"), 9 * HOUR)).isTrue();
        assertThat(ids.seenSince(IdFingerprints.fingerprint("id-4500"), 9 * HOUR - 1)).isTrue();
    }

    @Test
    void pastMaxIdsTheOldestAreForgottenFirst() {
        final IdFingerprints ids = new IdFingerprints(HOUR, 1_000);
        for (int i = 0; i < 10_000; i++) {
            ids.add(IdFingerprints.fingerprint("id-" + i), HOUR + i);
        }
        assertThat(ids.forgottenEarly()).isPositive();
        assertThat(ids.size()).as("at most the table's capacity").isLessThanOrEqualTo(1_024);
        assertThat(ids.size() + ids.forgottenEarly()).isEqualTo(10_000);
        assertThat(ids.forgottenBefore()).isGreaterThan(HOUR);
        // The newest are kept, the oldest forgotten.
        assertThat(ids.seenSince(IdFingerprints.fingerprint("id-9999"), 0)).isTrue();
        assertThat(ids.seenSince(IdFingerprints.fingerprint("id-9500"), 0)).isTrue();
        assertThat(ids.seenSince(IdFingerprints.fingerprint("id-0"), 0)).isFalse();
    }

    @Test
    void manyIdsWithOneTimeDoNotFillTheTable() {
        final IdFingerprints ids = new IdFingerprints(HOUR, 1_000);
        for (int i = 0; i < 20_000; i++) {
            ids.add(IdFingerprints.fingerprint("same-time-" + i), HOUR);
        }
        assertThat(ids.seenSince(IdFingerprints.fingerprint("same-time-19999"), 0)).isTrue();
        assertThat(ids.size() + ids.forgottenEarly()).isEqualTo(20_000);
    }

    @Test
    void fingerprintsOfAMillionIdsAreDistinct() {
        final Set<Long> fingerprints = new HashSet<>();
        for (int i = 0; i < 500_000; i++) {
            fingerprints.add(IdFingerprints.fingerprint(UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8),
                    (byte) (i >> 16)}).toString()));
            fingerprints.add(IdFingerprints.fingerprint("ticket-" + i));
        }
        assertThat(fingerprints).hasSize(1_000_000);
    }
}
