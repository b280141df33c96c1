package dev.slmrouter.router.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slmrouter.router.language.LanguageDetector.LanguageGuess;
import dev.slmrouter.router.language.TieredLanguageDetector.Stage;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tiered detector: which stage places which text (a stand-in for Lingua counts the calls that reach
 * it), the answers themselves, agreement with Lingua alone, and, where ../shared is present, accuracy on
 * the xSID test set (short commands as they are, and joined five at a time into prompt-sized texts).
 */
class TieredLanguageDetectorTest {

    private static final List<String> LANGUAGES = LinguaLanguageDetector.DEFAULT_LANGUAGES;
    /** What the stand-in for Lingua answers: a code no real stage gives, so its answers are unmistakable. */
    private static final LanguageGuess FROM_LINGUA = new LanguageGuess("xx", 0.42);

    /** Long texts (120+ cleaned characters), one per language, written for this test. */
    private static final Map<String, String> LONG_TEXTS = Map.of(
            "en", "My card was charged twice for the same purchase last week, and the second payment still shows"
                    + " on my statement. Please refund it and tell me why this happened.",
            "de", "Meine Karte wurde letzte Woche zweimal für denselben Einkauf belastet, und die zweite Zahlung"
                    + " steht immer noch auf meinem Kontoauszug. Bitte erstatten Sie den Betrag.",
            "es", "Mi tarjeta fue cobrada dos veces por la misma compra la semana pasada y el segundo pago todavía"
                    + " aparece en mi estado de cuenta. Por favor devuélvanme el dinero.",
            "fr", "Ma carte a été débitée deux fois pour le même achat la semaine dernière, et le deuxième paiement"
                    + " apparaît toujours sur mon relevé. Merci de me rembourser rapidement.",
            "it", "La mia carta è stata addebitata due volte per lo stesso acquisto la settimana scorsa e il secondo"
                    + " pagamento compare ancora sul mio estratto conto. Vi prego di rimborsarmi.",
            "pt", "O meu cartão foi cobrado duas vezes pela mesma compra na semana passada e o segundo pagamento"
                    + " ainda aparece no meu extrato. Por favor, devolvam o dinheiro o quanto antes.",
            "nl", "Mijn kaart is vorige week twee keer belast voor dezelfde aankoop en de tweede betaling staat nog"
                    + " steeds op mijn afschrift. Wilt u het bedrag alstublieft terugstorten?",
            "tr", "Kartımdan geçen hafta aynı alışveriş için iki kez ödeme alındı ve ikinci ödeme hâlâ hesap"
                    + " özetimde görünüyor. Lütfen parayı iade edin ve bunun neden olduğunu açıklayın.",
            "id", "Kartu saya ditagih dua kali untuk pembelian yang sama minggu lalu, dan pembayaran kedua masih"
                    + " muncul di laporan rekening saya. Tolong kembalikan uangnya secepatnya.",
            "sw", "Kadi yangu imetozwa mara mbili kwa ununuzi mmoja wiki iliyopita, na malipo ya pili bado"
                    + " yanaonekana kwenye taarifa yangu ya benki. Tafadhali nirudishie pesa zangu haraka.");

    private static TieredLanguageDetector withRealLingua;
    private static LinguaLanguageDetector lingua;

    @BeforeAll
    static void loadModels() {
        // Low accuracy Lingua keeps the test JVM small (a few MB of models instead of ~350 MB).
        lingua = LinguaLanguageDetector.forLanguages(LANGUAGES, false);
        withRealLingua = new TieredLanguageDetector(LANGUAGES, lingua, true);
    }

    /** A tiered detector whose last stage only counts calls and answers {@link #FROM_LINGUA}. */
    private static TieredLanguageDetector withCountingLingua(final AtomicInteger calls) {
        return new TieredLanguageDetector(LANGUAGES, text -> {
            calls.incrementAndGet();
            return FROM_LINGUA;
        }, false);
    }

    @Test
    void shouldPlaceJapaneseChineseRussianAndArabicByScriptWithoutLingua() {
        final AtomicInteger calls = new AtomicInteger();
        final TieredLanguageDetector detector = withCountingLingua(calls);
        assertThat(detector.detect("すべて の リマインダー を 表示")).isEqualTo(new LanguageGuess("ja", 1.0));
        assertThat(detector.detect("次の文章を三行で要約してください。当社は来年四月から在宅勤務制度を拡充する。"))
                .isEqualTo(new LanguageGuess("ja", 1.0));
        assertThat(detector.detect("我的信用卡被扣了两次款，请帮我退款")).isEqualTo(new LanguageGuess("zh", 1.0));
        assertThat(detector.detect("请把这个 JSON 文件转换成 YAML 格式")).isEqualTo(new LanguageGuess("zh", 1.0));
        assertThat(detector.detect("Кратко перескажи этот текст: компания объявила о запуске API"))
                .isEqualTo(new LanguageGuess("ru", 1.0));
        assertThat(detector.detect("استخرج اسم العميل ورقم الطلب")).isEqualTo(new LanguageGuess("ar", 1.0));
        assertThat(calls).hasValue(0);
        assertThat(detector.decidedByStage()).containsEntry(Stage.SCRIPT, 6L).containsEntry(Stage.LINGUA, 0L);
    }

    @Test
    void shouldNameALanguageThatOwnsItsScriptEvenWhenItIsNotConfigured() {
        final AtomicInteger calls = new AtomicInteger();
        final TieredLanguageDetector detector = withCountingLingua(calls);
        assertThat(detector.detect("제 카드가 같은 구매에 대해 두 번 청구되었습니다")).isEqualTo(new LanguageGuess("ko", 1.0));
        assertThat(detector.detect("Η κάρτα μου χρεώθηκε δύο φορές")).isEqualTo(new LanguageGuess("el", 1.0));
        assertThat(detector.detect("הכרטיס שלי חויב פעמיים")).isEqualTo(new LanguageGuess("he", 1.0));
        assertThat(detector.detect("บัตรของฉันถูกเรียกเก็บเงินสองครั้ง")).isEqualTo(new LanguageGuess("th", 1.0));
        assertThat(detector.detect("मेरे कार्ड से दो बार पैसे कट गए")).isEqualTo(new LanguageGuess("hi", 1.0));
        assertThat(calls).hasValue(0);
    }

    @Test
    void shouldPlaceLongLatinTextsByTrigramsWithoutLingua() {
        final AtomicInteger calls = new AtomicInteger();
        final TieredLanguageDetector detector = withCountingLingua(calls);
        LONG_TEXTS.forEach((language, text) -> {
            final LanguageGuess guess = detector.detect(text);
            assertThat(guess.isoCode()).as(text).isEqualTo(language);
            assertThat(guess.confidence()).as(text).isBetween(0.05, 1.0);
        });
        assertThat(calls).hasValue(0);
        assertThat(detector.decidedByStage()).containsEntry(Stage.TRIGRAMS, (long) LONG_TEXTS.size());
    }

    @Test
    void shouldGiveTheSameLanguageAndMarginAsLinguaOnLongTexts() {
        // Lingua scores texts of 120+ cleaned characters by trigrams alone: the same sums, so the same margin,
        // unless its rules engine decided first from letters only one language uses (Turkish ı, ğ, ş), where
        // it reports 1.0 for the same language.
        int rulesDecided = 0;
        for (Map.Entry<String, String> entry : LONG_TEXTS.entrySet()) {
            final String text = entry.getValue();
            final LanguageGuess fast = withRealLingua.detect(text);
            final LanguageGuess slow = lingua.detect(text);
            assertThat(fast.isoCode()).as(text).isEqualTo(slow.isoCode()).isEqualTo(entry.getKey());
            if (slow.confidence() == 1.0) {
                rulesDecided++;
            } else {
                assertThat(fast.confidence()).as(text).isCloseTo(slow.confidence(), within(1e-3));
            }
        }
        assertThat(rulesDecided).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldLeaveShortUnclearTextsToLinguaInHighAccuracyMode() {
        final AtomicInteger calls = new AtomicInteger();
        final TieredLanguageDetector detector = withCountingLingua(calls);
        assertThat(detector.detect("ok")).isEqualTo(FROM_LINGUA); // no trigram at all
        assertThat(detector.detect("taxi")).isEqualTo(FROM_LINGUA); // margin 0.29 for Yoruba, but 2 trigrams
        assertThat(detector.detect("hello there")).isEqualTo(FROM_LINGUA); // margin 0.04
        assertThat(detector.detect("Quiero cancelar mi pedido de ayer")).isEqualTo(FROM_LINGUA); // margin 0.13
        assertThat(calls).hasValue(4);
        // A short text with a clear margin over enough trigrams stays in the trigram stage; so does one with
        // a smaller margin over many trigrams (30+: 0.1 is enough).
        final LanguageGuess english = detector.detect("Please write a short and friendly reply thanking the customer"
                + " for the feedback about our delivery");
        assertThat(english.isoCode()).isEqualTo("en");
        assertThat(calls).hasValue(4);
        final LanguageGuess german = detector.detect("Bitte schicken Sie mir die Rechnung noch einmal zu");
        assertThat(german.isoCode()).isEqualTo("de");
        assertThat(german.confidence()).isCloseTo(0.369, within(0.001));
        assertThat(calls).hasValue(4);
    }

    @Test
    void shouldAnswerShortTextsByTrigramsWhenLinguaWouldUseTrigramsToo() {
        // In low accuracy mode Lingua scores every text by trigrams: asking it again would give the same answer.
        final AtomicInteger calls = new AtomicInteger();
        final TieredLanguageDetector detector = new TieredLanguageDetector(LANGUAGES, text -> {
            calls.incrementAndGet();
            return FROM_LINGUA;
        }, true);
        assertThat(detector.detect("taxi").isoCode()).isEqualTo("yo"); // what Lingua's trigrams say too
        assertThat(detector.detect("hello there").isoCode()).isEqualTo("es");
        assertThat(calls).hasValue(0);
    }

    @Test
    void shouldReportNoLettersAsUndetectedAndMixedScriptsToLingua() {
        final AtomicInteger calls = new AtomicInteger();
        final TieredLanguageDetector detector = withCountingLingua(calls);
        assertThat(detector.detect("12345 !!! ... 2026-11-28")).isEqualTo(LanguageGuess.UNDETECTED);
        assertThat(detector.detect("")).isEqualTo(LanguageGuess.UNDETECTED);
        assertThat(calls).hasValue(0);
        // Two words of Latin, two of Cyrillic, two Han characters: no script holds a majority.
        assertThat(detector.detect("hello world привет мир 你好")).isEqualTo(FROM_LINGUA);
        assertThat(calls).hasValue(1);
        assertThat(detector.decidedByStage()).containsEntry(Stage.NO_LETTERS, 2L).containsEntry(Stage.LINGUA, 1L);
    }

    @Test
    void shouldLeaveHanWithoutKanaToLinguaWhenOnlyJapaneseIsConfigured() {
        final AtomicInteger calls = new AtomicInteger();
        final TieredLanguageDetector detector = new TieredLanguageDetector(List.of("en", "ja"), text -> {
            calls.incrementAndGet();
            return new LanguageGuess("ja", 1.0);
        }, false);
        assertThat(detector.detect("東京都庁")).isEqualTo(new LanguageGuess("ja", 1.0));
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldScoreSeveralCandidatesOfOneNonLatinScriptByTrigrams() {
        final AtomicInteger calls = new AtomicInteger();
        final TieredLanguageDetector detector = new TieredLanguageDetector(List.of("en", "ru", "uk"), text -> {
            calls.incrementAndGet();
            return FROM_LINGUA;
        }, false);
        assertThat(detector.detect("Будь ласка, поверніть мені гроші за подвійне списання з картки минулого"
                + " тижня, друга оплата досі видна у виписці з мого рахунку.").isoCode()).isEqualTo("uk");
        assertThat(detector.detect("Пожалуйста, верните мне деньги за двойное списание с карты на прошлой неделе,"
                + " второй платёж всё ещё виден в выписке по моему счёту.").isoCode()).isEqualTo("ru");
        assertThat(calls).hasValue(0);
    }

    @Test
    void shouldPlaceXsidCommandsAsWellAsLinguaAndJoinedCommandsAlmostAlways() throws Exception {
        final Path xsid = Path.of(System.getProperty("shared.dir", "../../shared"), "data/xsid/xsid-0.7-test.jsonl");
        Assumptions.assumeTrue(Files.exists(xsid), "SKIPPED: " + xsid + " not present (../shared is absent)");
        final ObjectMapper json = new ObjectMapper();
        final Map<String, List<String>> byLanguage = new TreeMap<>();
        try (BufferedReader reader = Files.newBufferedReader(xsid)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                final JsonNode row = json.readTree(line);
                byLanguage.computeIfAbsent(row.get("lang").asText(), k -> new ArrayList<>()).add(row.get("text").asText());
            }
        }
        assertThat(byLanguage).hasSize(8);
        final TieredLanguageDetector detector = new TieredLanguageDetector(LANGUAGES, lingua, true);
        final Map<String, double[]> shortTiered = new LinkedHashMap<>();
        final Map<String, double[]> shortLingua = new LinkedHashMap<>();
        final Map<String, double[]> joined = new LinkedHashMap<>();
        int agree = 0;
        int joinedTotal = 0;
        for (Map.Entry<String, List<String>> entry : byLanguage.entrySet()) {
            final String language = entry.getKey();
            shortTiered.put(language, accuracy(detector, language, entry.getValue()));
            shortLingua.put(language, accuracy(lingua, language, entry.getValue()));
            final List<String> long5 = new ArrayList<>();
            for (int i = 0; i + 5 <= entry.getValue().size(); i += 5) {
                long5.add(String.join(". ", entry.getValue().subList(i, i + 5)));
            }
            joined.put(language, accuracy(detector, language, long5));
            for (String text : long5) {
                joinedTotal++;
                if (java.util.Objects.equals(detector.detect(text).isoCode(), lingua.detect(text).isoCode())) {
                    agree++;
                }
            }
        }
        shortTiered.forEach((language, a) -> System.out.printf("xSID %s short: tiered %.0f%% accepted, %.1f%% of"
                        + " accepted right; Lingua alone %.0f%%, %.1f%%; joined by 5: %.0f%% accepted, %.1f%% right%n",
                language, 100 * a[0], 100 * a[1], 100 * shortLingua.get(language)[0], 100 * shortLingua.get(language)[1],
                100 * joined.get(language)[0], 100 * joined.get(language)[1]));
        System.out.printf("xSID joined by 5: tiered and Lingua alone name the same language for %d of %d texts;"
                + " stages %s%n", agree, joinedTotal, detector.decidedByStage());
        shortTiered.forEach((language, a) -> {
            assertThat(a[1]).as(language + " accuracy on accepted short commands").isGreaterThan(0.9)
                    .isGreaterThanOrEqualTo(shortLingua.get(language)[1] - 0.03);
            assertThat(a[0]).as(language + " share of short commands accepted").isGreaterThan(0.6);
        });
        joined.forEach((language, a) -> {
            assertThat(a[1]).as(language + " accuracy on accepted joined commands").isGreaterThan(0.97);
            assertThat(a[0]).as(language + " share of joined commands accepted").isGreaterThan(0.85);
        });
        assertThat((double) agree / joinedTotal).isGreaterThan(0.99);
        // Arabic, Chinese and Japanese never reach Lingua: their script places them.
        assertThat(detector.decidedByStage().get(Stage.SCRIPT)).isGreaterThanOrEqualTo(
                (long) (0.97 * (byLanguage.get("ar").size() + byLanguage.get("zh").size() + byLanguage.get("ja").size())));
    }

    /** {share accepted (confidence >= 0.05), share of the accepted that is right}. */
    private static double[] accuracy(final LanguageDetector detector, final String language, final List<String> texts) {
        int accepted = 0;
        int right = 0;
        for (String text : texts) {
            final LanguageGuess guess = detector.detect(text);
            if (guess.isoCode() != null && guess.confidence() >= 0.05) {
                accepted++;
                if (guess.isoCode().equals(language)) {
                    right++;
                }
            }
        }
        return new double[] {(double) accepted / texts.size(), accepted == 0 ? 0 : (double) right / accepted};
    }
}
