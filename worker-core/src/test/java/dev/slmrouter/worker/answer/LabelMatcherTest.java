package dev.slmrouter.worker.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelMatcherTest {

    private static final LabelMatcher LABELS = new LabelMatcher(List.of("positive", "negative", "Needs Review"));

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "positive|positive",
        "Positive|positive",
        "'  NEGATIVE\n'|negative",
        "'\"positive\"'|positive",
        "'`negative`'|negative",
        "'“positive”'|positive",
        "'positive.'|positive",
        "'\"positive.\"'|positive",
        "'\"positive\".'|positive",
        "'needs   review'|Needs Review",
        "'Needs Review'|Needs Review"})
    void matches(final String answer, final String label) {
        assertThat(LABELS.match(answer)).contains(label);
    }

    @ParameterizedTest(name = "[{0}] -> none")
    @CsvSource(delimiter = '|', value = {"neutral", "positively", "'positive, mostly'", "''", "'\"'", "'not positive'"})
    void noMatch(final String answer) {
        assertThat(LABELS.match(answer)).isEmpty();
    }

    @Test
    void nullIsNoMatch() {
        assertThat(LABELS.match(null)).isEmpty();
    }

    @Test
    void labelsThatDifferOnlyInCaseMatchExactlyOrNotAtAll() {
        final LabelMatcher matcher = new LabelMatcher(List.of("Yes", "yes", "no"));

        assertThat(matcher.match("Yes")).contains("Yes");
        assertThat(matcher.match("yes")).contains("yes");
        assertThat(matcher.match("YES")).isEmpty();
        assertThat(matcher.match(" No ")).contains("no");
    }
}
