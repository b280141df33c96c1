package dev.slmrouter.router.language;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.router.language.Scripts.Script;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptsTest {

    @Test
    void shouldKnowWhichScriptALanguageIsWrittenIn() {
        assertThat(Scripts.scriptOf("en")).isEqualTo(Script.LATIN);
        assertThat(Scripts.scriptOf("TR")).isEqualTo(Script.LATIN);
        assertThat(Scripts.scriptOf("ru")).isEqualTo(Script.CYRILLIC);
        assertThat(Scripts.scriptOf("ja")).isEqualTo(Script.KANA);
        assertThat(Scripts.scriptOf("zh")).isEqualTo(Script.HAN);
        assertThat(Scripts.scriptOf("ko")).isEqualTo(Script.HANGUL);
        assertThat(Scripts.writtenIn(Script.CYRILLIC, List.of("en", "ru", "uk", "ar"))).containsExactly("ru", "uk");
        assertThat(Scripts.mainLanguage(Script.GREEK)).isEqualTo("el");
        assertThat(Scripts.mainLanguage(Script.LATIN)).isNull();
    }

    @Test
    void shouldCountWordsPerScriptAndEveryHanOrKanaCharacterAsAWord() {
        final int[] counts = Scripts.wordCounts("Order 42: 東京 へ ship it, Иван", 600);
        assertThat(counts[Script.LATIN.ordinal()]).isEqualTo(3);
        assertThat(counts[Script.HAN.ordinal()]).isEqualTo(2);
        assertThat(counts[Script.KANA.ordinal()]).isEqualTo(1);
        assertThat(counts[Script.CYRILLIC.ordinal()]).isEqualTo(1);
        assertThat(Scripts.wordCounts("12 + 3 = 15", 600)).containsOnly(0);
        assertThat(Scripts.wordCounts("hello мир", 5)[Script.CYRILLIC.ordinal()]).isZero();
    }
}
