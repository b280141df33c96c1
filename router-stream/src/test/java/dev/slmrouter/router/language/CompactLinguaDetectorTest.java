package dev.slmrouter.router.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import com.github.pemistahl.lingua.internal.Alphabet;
import dev.slmrouter.router.language.LanguageDetector.LanguageGuess;
import java.io.BufferedReader;
import java.lang.Character.UnicodeScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compact detector against Lingua 1.2.2 itself (high accuracy, the router's 16 languages): each step against
 * Lingua's own internal function, then whole answers on sentences written for this test and, where ../shared is
 * present, on the xSID test set (short voice commands in 8 languages, as they are and joined 2 and 3 at a time).
 */
class CompactLinguaDetectorTest {

    private static final List<String> LANGUAGES = LinguaLanguageDetector.DEFAULT_LANGUAGES;

    /** Short texts written for this test: commands and questions in several languages, and awkward cases. */
    private static final List<String> FIXTURE = List.of(
            "show all my reminders", "Do I need an umbrella tomorrow?", "ok", "taxi", "hello there", "yes please",
            "Zeig mir das Wetter für morgen", "Wie spät ist es?", "Stell einen Wecker auf 7 Uhr",
            "Quiero cancelar mi pedido de ayer", "¿Qué tiempo hará mañana?", "pon una alarma a las siete",
            "Quel temps fera-t-il demain ?", "Annule mon rappel", "Mets de la musique",
            "Che tempo fa domani?", "Imposta una sveglia alle 7", "cancella il promemoria",
            "Qual é a previsão do tempo?", "Cancele meu lembrete", "Não sei",
            "Hoe laat is het?", "Zet een wekker om zeven uur", "Ik wil graag betalen",
            "Yarın hava nasıl olacak?", "Tüm hatırlatıcıları göster", "alarm kur",
            "Tampilkan semua pengingat saya", "Bagaimana cuaca besok?", "setel alarm jam 7",
            "Nionyeshe hali ya hewa ya kesho", "Weka kengele saa moja", "Ẹ jọ̀ọ́ fi orin sílẹ̀", "Báwo ni ojú ọjọ́?",
            "Ipakita ang lahat ng paalala ko", "Ano ang panahon bukas?",
            "Покажи все напоминания", "Какая погода завтра?", "إعرض كل التذكيرات", "هل أحتاج إلى سترة ؟",
            "显示所有提醒", "明天天气怎么样", "すべてのリマインダーを表示", "明日の天気は？",
            "hello 世界", "ok Google, привет", "Straße", "naïve café", "don't stop", "A-B-C 123", "!!!", "", "   ",
            "Ñandú", "ÇA VA", "İstanbul'da hava", "Ωμέγα", "안녕하세요 여러분", "emoji 😀 text", "x", "ab", "abc");

    private static CompactLinguaDetector compact;
    private static LinguaLanguageDetector lingua;
    /** Lingua's detector without models, for its rule functions. */
    private static com.github.pemistahl.lingua.api.LanguageDetector linguaRules;

    @BeforeAll
    static void load() {
        compact = CompactLinguaDetector.forLanguages(LANGUAGES, true);
        lingua = LinguaLanguageDetector.forLanguages(LANGUAGES, true);
        linguaRules = LanguageDetectorBuilder.fromIsoCodes639_1(LANGUAGES.stream()
                .map(c -> IsoCode639_1.valueOf(c.toUpperCase(Locale.ROOT))).toArray(IsoCode639_1[]::new)).build();
    }

    @AfterAll
    static void unload() {
        lingua.unloadLanguageModels(); // Lingua's models are static: free ~360 MB for the rest of the suite
        lingua = null;
        compact = null;
    }

    @Test
    void shouldReadLinguasAlphabetsAsUnicodeScripts() {
        for (Alphabet alphabet : Alphabet.values()) {
            final UnicodeScript script = LinguaRules.scriptOf(alphabet);
            for (char c = 0; c < Character.MAX_VALUE; c++) {
                if (alphabet.matches(c) != (UnicodeScript.of(c) == script)) {
                    throw new AssertionError(alphabet + " at U+" + Integer.toHexString(c));
                }
            }
        }
    }

    @Test
    void shouldIterateNgramsInTheOrderOfAHashSet() {
        final Random random = new Random(7);
        for (int size : new int[] {1, 5, 12, 13, 40, 97, 200}) {
            final List<String> inserted = new ArrayList<>();
            final Set<String> set = new HashSet<>();
            while (inserted.size() < size) {
                final char[] chars = new char[1 + random.nextInt(5)];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = (char) ('a' + random.nextInt(26) + (random.nextInt(8) == 0 ? 0x400 : 0));
                }
                final String s = new String(chars);
                if (set.add(s)) {
                    inserted.add(s);
                }
            }
            final int[] hashes = inserted.stream().mapToInt(String::hashCode).toArray();
            final int[] order = LinguaNgrams.hashSetOrder(hashes, size);
            final List<String> ours = new ArrayList<>();
            for (int i : order) {
                ours.add(inserted.get(i));
            }
            assertThat(ours).as("size " + size).containsExactlyElementsOf(set);
        }
    }

    @Test
    void shouldCleanSplitAndApplyRulesAsLingua() {
        final List<String> texts = new ArrayList<>(FIXTURE);
        texts.addAll(List.of("\u00a0trim\u2003me\u00a0", "tab\tand\nnewline", "a - b", "l'été", "x1y2z3",
                "東京 へ ship it, Иван", "東京都庁", "日本語のテキスト", "ğüşıöç", "Ünïcödé ß", "ÿ ŵ ŷ"));
        for (String text : texts) {
            final String cleaned = LinguaText.cleanUp(text);
            assertThat(cleaned).as(text).isEqualTo(linguaRules.cleanUpInputText$lingua(text));
            if (cleaned.isEmpty()) {
                continue;
            }
            final List<String> words = LinguaText.splitIntoWords(cleaned);
            assertThat(words).as(text).isEqualTo(linguaRules.splitTextIntoWords$lingua(cleaned));
            final int byRules = compact.rules().detectWithRules(words);
            final Language linguaByRules = linguaRules.detectLanguageWithRules$lingua(words);
            assertThat(byRules < 0 ? "UNKNOWN" : compact.languages().get(byRules)).as(text)
                    .isEqualTo(linguaByRules == Language.UNKNOWN ? "UNKNOWN"
                            : linguaByRules.getIsoCode639_1().name().toLowerCase(Locale.ROOT));
            final long mask = compact.rules().filterByRules(words);
            final List<String> ours = new ArrayList<>();
            for (int l = 0; l < compact.languages().size(); l++) {
                if ((mask & (1L << l)) != 0) {
                    ours.add(compact.languages().get(l));
                }
            }
            assertThat(ours).as(text).containsExactlyInAnyOrderElementsOf(
                    linguaRules.filterLanguagesByRules$lingua(words).stream()
                            .map(l -> l.getIsoCode639_1().name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    @Test
    void shouldGiveLinguasAnswersOnShortSentencesInSeveralLanguages() {
        final Agreement agreement = agreement("fixture", FIXTURE);
        assertThat(agreement.sameLanguage).isEqualTo(FIXTURE.size());
        assertThat(agreement.maxConfidenceDifference).isLessThan(1e-3);
        // The fixture does reach the n-gram orders: most answers are not 1.0 (rules) and not undetected.
        assertThat(agreement.scored).isGreaterThan(FIXTURE.size() / 2);
    }

    @Test
    void shouldGiveLinguasAnswersOnXsidCommands() throws Exception {
        final Path xsid = Path.of(System.getProperty("shared.dir", "../../shared"), "data/xsid/xsid-0.7-test.jsonl");
        Assumptions.assumeTrue(Files.exists(xsid), "SKIPPED: " + xsid + " not present (../shared is absent)");
        final ObjectMapper json = new ObjectMapper();
        final Map<String, List<String>> byLanguage = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(xsid)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                final JsonNode row = json.readTree(line);
                byLanguage.computeIfAbsent(row.get("lang").asText(), k -> new ArrayList<>()).add(row.get("text").asText());
            }
        }
        assertThat(byLanguage).hasSize(8);
        for (int join : new int[] {1, 2, 3}) {
            final List<String> texts = new ArrayList<>();
            byLanguage.values().forEach(list -> {
                for (int i = 0; i + join <= list.size(); i += join) {
                    texts.add(String.join(". ", list.subList(i, i + join)));
                }
            });
            final Agreement agreement = agreement("xSID joined by " + join, texts);
            assertThat((double) agreement.sameLanguage / texts.size()).as("share with Lingua's language, joined by " + join)
                    .isGreaterThanOrEqualTo(0.995);
            assertThat(agreement.maxConfidenceDifference).as("confidence difference, joined by " + join).isLessThan(1e-3);
        }
    }

    @Test
    void shouldGiveLinguasLowAccuracyAnswersToo() {
        final CompactLinguaDetector low = new CompactLinguaDetector(compact.models(), false);
        final LinguaLanguageDetector linguaLow = LinguaLanguageDetector.forLanguages(LANGUAGES, false);
        for (String text : FIXTURE) {
            final LanguageGuess ours = low.detect(text);
            final LanguageGuess theirs = linguaLow.detect(text);
            assertThat(ours.isoCode()).as(text).isEqualTo(theirs.isoCode());
            assertThat(ours.confidence()).as(text).isCloseTo(theirs.confidence(), within(1e-3));
        }
    }

    @Test
    void shouldServeAsTheRoutersLastStageInLowAccuracyMode() {
        // router.language.accuracy=low: trigrams at every length, the compact detector in low accuracy mode last.
        final TieredLanguageDetector router = TieredLanguageDetector.forLanguages(LANGUAGES, false);
        final LinguaLanguageDetector linguaLow = LinguaLanguageDetector.forLanguages(LANGUAGES, false);
        assertThat(router.detect("taxi").isoCode()).isEqualTo("yo"); // as Lingua's trigrams say
        final String mixed = "hello world привет мир 你好"; // no script holds a majority: the last stage decides
        assertThat(router.detect(mixed)).isEqualTo(linguaLow.detect(mixed));
        assertThat(router.decidedByStage()).containsEntry(TieredLanguageDetector.Stage.LINGUA, 1L);
    }

    private record Agreement(int sameLanguage, int scored, double maxConfidenceDifference) {
    }

    private static Agreement agreement(final String name, final List<String> texts) {
        int same = 0;
        int exact = 0;
        int scored = 0;
        double maxDifference = 0;
        final List<String> differences = new ArrayList<>();
        for (String text : texts) {
            final LanguageGuess ours = compact.detect(text);
            final LanguageGuess theirs = lingua.detect(text);
            if (Objects.equals(ours.isoCode(), theirs.isoCode())) {
                same++;
                final double difference = Math.abs(ours.confidence() - theirs.confidence());
                maxDifference = Math.max(maxDifference, difference);
                if (difference == 0) {
                    exact++;
                } else if (differences.size() < 10) {
                    differences.add(text + " -> " + ours + " vs Lingua " + theirs);
                }
            } else if (differences.size() < 10) {
                differences.add(text + " -> " + ours + " vs Lingua " + theirs);
            }
            if (theirs.isoCode() != null && theirs.confidence() < 1.0) {
                scored++;
            }
        }
        System.out.printf("%s: %d texts, same language as Lingua for %d, bit-identical confidence for %d,"
                + " %d scored by n-grams, largest confidence difference %.3g%s%n", name, texts.size(), same, exact,
                scored, maxDifference, differences.isEmpty() ? "" : "; first differences: " + differences);
        return new Agreement(same, scored, maxDifference);
    }
}
