package dev.slmrouter.router.volume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HourlyCountsTest {

    @Test
    void shouldCountTheLast24HoursOnly() {
        final HourlyCounts counts = new HourlyCounts();
        counts.add(100);
        counts.add(100);
        counts.add(110);
        counts.add(123);

        assertThat(counts.total(123)).isEqualTo(4);
        assertThat(counts.total(124)).as("hour 100 has left the window").isEqualTo(2);
        assertThat(counts.total(146)).as("hours 123..146").isEqualTo(1);
        assertThat(counts.total(147)).isZero();
    }

    @Test
    void shouldReuseABucketForTheSameHourOfTheNextDay() {
        final HourlyCounts counts = new HourlyCounts();
        counts.add(5);
        counts.add(5 + 24);

        assertThat(counts.total(5 + 24)).isEqualTo(1);
    }

    @Test
    void shouldSurviveARoundTripThroughItsStoreBytes() {
        final HourlyCounts counts = new HourlyCounts();
        counts.add(7);
        counts.add(8);
        counts.add(8);

        assertThat(HourlyCounts.fromBytes(counts.toBytes()).total(8)).isEqualTo(3);
    }
}
