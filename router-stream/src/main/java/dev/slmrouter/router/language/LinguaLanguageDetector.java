package dev.slmrouter.router.language;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * Language detection with Lingua, restricted to a configured set of languages. The router no longer uses it
 * ({@link TieredLanguageDetector#forLanguages} runs Lingua's algorithm over compact tables,
 * {@link CompactLinguaDetector}); it stays as the reference the compact detector is tested and measured against. The set must include
 * languages the SLM does NOT support as well as those it does: text in a language outside the set is
 * forced onto its nearest member. Each language's n-gram models cost heap (about 21 MB each in high
 * accuracy mode, about 1 MB in low accuracy mode), which is why the set is configured rather than "all 75".
 *
 * <p>Confidence is the relative margin of the best language over the runner-up, {@code 1 - second/best}
 * on Lingua's relative scores: 1.0 when no other language is plausible (a script only one loaded
 * language uses), near 0 when two languages fit equally well (short or mixed text). Measured on the
 * xSID test set (short voice commands, 8 languages), accepting margins of at least 0.05 kept 89% of
 * English commands at 99.8% accuracy in high accuracy mode.
 */
public final class LinguaLanguageDetector implements LanguageDetector {

    /** Languages loaded by default: the SLM's usual set plus common ones it is not trusted with. */
    public static final List<String> DEFAULT_LANGUAGES = List.of(
            "en", "es", "fr", "de", "it", "pt", "nl", "zh", "ja", "ar", "id", "tr", "ru", "sw", "yo", "tl");

    /** Only the first characters are looked at: enough evidence, bounded cost for long prompts. */
    static final int MAX_CHARS = 600;

    private final com.github.pemistahl.lingua.api.LanguageDetector detector;

    private LinguaLanguageDetector(final com.github.pemistahl.lingua.api.LanguageDetector detector) {
        this.detector = detector;
    }

    /**
     * Builds a detector for the given ISO 639-1 codes, with models loaded up front so the first
     * requests are not slow.
     *
     * @throws IllegalArgumentException naming a code Lingua does not know
     */
    public static LinguaLanguageDetector forLanguages(final Collection<String> isoCodes, final boolean highAccuracy) {
        if (isoCodes.size() < 2) {
            throw new IllegalArgumentException("Language detection needs at least two languages, got " + isoCodes);
        }
        final IsoCode639_1[] codes = isoCodes.stream().map(LinguaLanguageDetector::isoCode)
                .toArray(IsoCode639_1[]::new);
        final LanguageDetectorBuilder builder = LanguageDetectorBuilder.fromIsoCodes639_1(codes)
                .withPreloadedLanguageModels();
        return new LinguaLanguageDetector((highAccuracy ? builder : builder.withLowAccuracyMode()).build());
    }

    static IsoCode639_1 isoCode(final String code) {
        try {
            final IsoCode639_1 iso = IsoCode639_1.valueOf(code.trim().toUpperCase(Locale.ROOT));
            if (iso != IsoCode639_1.NONE) {
                return iso;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("'" + code + "' is not an ISO 639-1 language code Lingua can detect");
    }

    /**
     * Frees the models of this detector's languages. Lingua keeps loaded models in static maps for the life of the
     * JVM; a later detection reloads what it needs.
     */
    public void unloadLanguageModels() {
        detector.unloadLanguageModels();
    }

    @Override
    public LanguageGuess detect(final String text) {
        final String sample = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        final SortedMap<Language, Double> confidences = detector.computeLanguageConfidenceValues(sample);
        if (confidences.isEmpty()) {
            return LanguageGuess.UNDETECTED;
        }
        // Lingua sorts by descending score and scales the best to 1.0.
        final Iterator<Map.Entry<Language, Double>> ranked = confidences.entrySet().iterator();
        final Map.Entry<Language, Double> best = ranked.next();
        if (best.getKey() == Language.UNKNOWN) {
            return LanguageGuess.UNDETECTED;
        }
        final double margin = ranked.hasNext() ? 1.0 - ranked.next().getValue() / best.getValue() : 1.0;
        return new LanguageGuess(best.getKey().getIsoCode639_1().name().toLowerCase(Locale.ROOT), margin);
    }
}
