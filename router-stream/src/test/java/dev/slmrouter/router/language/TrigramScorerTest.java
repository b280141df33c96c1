package dev.slmrouter.router.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trigram scorer: cleaning as Lingua cleans, distinct trigrams, back-off, ranking and margin. */
class TrigramScorerTest {

    private static TrigramScorer scorer;
    private static long all;

    @BeforeAll
    static void load() {
        scorer = TrigramScorer.load(List.of("en", "de", "fr", "zh"));
        all = 0b1111;
    }

    @Test
    void shouldKnowItsLanguages() {
        assertThat(scorer.languages()).containsExactly("en", "de", "fr", "zh");
        assertThat(scorer.indexOf("fr")).isEqualTo(2);
        assertThat(scorer.indexOf("xx")).isEqualTo(-1);
    }

    @Test
    void shouldCountDistinctTrigramsWithinWordsAfterLinguasCleaning() {
        // "the the": one distinct trigram; digits and punctuation vanish inside a word ("do-n't" is "dont").
        assertThat(scorer.score("the the", 600, all).trigrams()).isEqualTo(1);
        assertThat(scorer.score("do-n't", 600, all).trigrams()).isEqualTo(2); // don, ont
        assertThat(scorer.score("ab 12 cd", 600, all).trigrams()).isZero();
        assertThat(scorer.score("Hello", 600, all).trigrams()).isEqualTo(3); // hel, ell, llo (lower case)
        // Cleaned length: digits and punctuation removed, runs of white space collapsed, trimmed.
        assertThat(scorer.score("  Hi,   there 42!  ", 600, all).cleanedLength()).isEqualTo("hi there".length());
        assertThat(scorer.score("a $ b", 600, all).cleanedLength()).isEqualTo("a $ b".length());
        // Only the first maxChars characters count.
        assertThat(scorer.score("hello world", 5, all).trigrams()).isEqualTo(3);
    }

    @Test
    void shouldRankTheLanguageWhoseTrigramsFitBest() {
        final long latin = 0b0111;
        final TrigramScorer.Scores english = scorer.score("the weather is nice today and the children are playing"
                + " outside in the garden with their friends", 600, latin);
        final TrigramScorer.Ranking ranking = TrigramScorer.rank(english, latin);
        assertThat(scorer.languages().get(ranking.best())).isEqualTo("en");
        final float[] s = english.logProbability();
        assertThat(ranking.margin()).isCloseTo(1 - (double) s[ranking.best()] / s[ranking.second()], within(1e-12));
        assertThat(ranking.margin()).isBetween(0.05, 1.0);
        // Chinese has no trigram model (Lingua places it by script): it never scores.
        assertThat(scorer.score("the weather", 600, all).logProbability()[3]).isZero();
    }

    @Test
    void shouldScoreOnlyCandidatesAndReportNoEvidence() {
        final TrigramScorer.Scores onlyGerman = scorer.score("das Wetter ist heute schön", 600, 0b0010);
        assertThat(onlyGerman.logProbability()[0]).isZero();
        assertThat(onlyGerman.logProbability()[1]).isNegative();
        assertThat(TrigramScorer.rank(onlyGerman, 0b0010)).isEqualTo(new TrigramScorer.Ranking(1, -1, 1.0));
        assertThat(TrigramScorer.rank(scorer.score("!!!", 600, all), all).best()).isEqualTo(-1);
    }

    @Test
    void shouldRejectMoreThan64Languages() {
        assertThatThrownBy(() -> TrigramScorer.load(Collections.nCopies(65, "en")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
