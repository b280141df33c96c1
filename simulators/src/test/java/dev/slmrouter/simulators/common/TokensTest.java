package dev.slmrouter.simulators.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void shouldSplitIntoPiecesThatConcatenateBackToTheText() {
        final String text = "Invoice #42: total 1,250.00 EUR, due 2024-03-15.\n  Thanks!  ";
        final List<String> tokens = Tokens.split(text);
        assertThat(String.join("", tokens)).isEqualTo(text);
        assertThat(Tokens.count(text)).isEqualTo(tokens.size());
    }

    @Test
    void shouldGiveRoughlyFourCharactersPerTokenOnEnglishText() {
        final String text = "The customer reports that the invoice amount differs from the contract terms agreed";
        final double charsPerToken = (double) text.length() / Tokens.count(text);
        assertThat(charsPerToken).isBetween(3.0, 5.5);
    }

    @Test
    void shouldKeepLeadingWhitespaceWithTheWord() {
        assertThat(Tokens.split("a cat")).containsExactly("a", " cat");
    }
}
