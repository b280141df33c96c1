package dev.slmrouter.router.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The language detector on sentences written for this test and, where ../shared is present (here
 * and in CI), on the xSID test set (short voice commands in 8 languages).
 */
class LinguaLanguageDetectorTest {

    private static LinguaLanguageDetector detector;

    @BeforeAll
    static void loadModels() {
        // Low accuracy mode: a few MB of models instead of ~350 MB, so the test JVM stays small.
        detector = LinguaLanguageDetector.forLanguages(LinguaLanguageDetector.DEFAULT_LANGUAGES, false);
    }

    @Test
    void shouldDetectSupportedAndLowResourceLanguages() {
        final Map<String, String> samples = Map.of(
                "My card was charged twice for the same purchase, please refund the second payment", "en",
                "Meine Karte wurde zweimal für denselben Einkauf belastet, bitte erstatten Sie den Betrag", "de",
                "Mi tarjeta fue cobrada dos veces por la misma compra, por favor devuelvan el dinero", "es",
                "我的信用卡被扣了两次款，请帮我退款", "zh",
                "Kadi yangu imetozwa mara mbili kwa ununuzi mmoja, tafadhali nirudishie pesa", "sw",
                "Bana tüm hatırlatıcıları göster ve yarın sabah için bir alarm kur", "tr");
        samples.forEach((text, language) -> {
            final LanguageDetector.LanguageGuess guess = detector.detect(text);
            assertThat(guess.isoCode()).as(text).isEqualTo(language);
            assertThat(guess.confidence()).as(text).isBetween(0.05, 1.0);
        });
    }

    @Test
    void shouldGiveLowConfidenceOrNothingForTextWithoutEvidence() {
        assertThat(detector.detect("12345 !!!")).isEqualTo(LanguageDetector.LanguageGuess.UNDETECTED);
        assertThat(detector.detect("ok").confidence()).isLessThan(0.05);
    }

    @Test
    void shouldRejectAnUnknownLanguageCode() {
        assertThatThrownBy(() -> LinguaLanguageDetector.forLanguages(java.util.List.of("en", "xx"), false))
                .hasMessageContaining("'xx'");
    }

    @Test
    void shouldPlaceMostXsidCommandsItIsConfidentAbout() throws Exception {
        final Path xsid = Path.of(System.getProperty("shared.dir", "../../shared"), "data/xsid/xsid-0.7-test.jsonl");
        Assumptions.assumeTrue(Files.exists(xsid), "SKIPPED: " + xsid + " not present (../shared is absent)");
        final ObjectMapper json = new ObjectMapper();
        final Map<String, int[]> perLanguage = new TreeMap<>();
        try (BufferedReader reader = Files.newBufferedReader(xsid)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                final JsonNode row = json.readTree(line);
                final String language = row.get("lang").asText();
                final LanguageDetector.LanguageGuess guess = detector.detect(row.get("text").asText());
                final int[] counts = perLanguage.computeIfAbsent(language, k -> new int[3]);
                counts[0]++;
                if (guess.isoCode() != null && guess.confidence() >= 0.05) {
                    counts[1]++;
                    if (language.equals(guess.isoCode())) {
                        counts[2]++;
                    }
                }
            }
        }
        perLanguage.forEach((language, c) -> System.out.printf("xSID %s: %d texts, %d accepted (%.0f%%), %.1f%% of"
                + " accepted correct%n", language, c[0], c[1], 100.0 * c[1] / c[0], 100.0 * c[2] / c[1]));
        assertThat(perLanguage).hasSize(8);
        perLanguage.forEach((language, c) -> {
            assertThat((double) c[2] / c[1]).as(language + " accuracy on accepted").isGreaterThan(0.9);
            assertThat((double) c[1] / c[0]).as(language + " share accepted").isGreaterThan(0.6);
        });
    }
}
