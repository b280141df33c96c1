package dev.slmrouter.router.language;

import dev.slmrouter.router.language.Scripts.Script;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Language detection in three stages, cheapest first; each later stage runs only when the earlier ones
 * cannot place the text:
 * <ol>
 *   <li><b>Script.</b> The letters' Unicode scripts (one pass, no model). Kana means Japanese, Han without
 *       kana Chinese; a script that exactly one configured language writes (Cyrillic for Russian, Arabic for
 *       Arabic in the default list) means that language; a script none of them writes but one language
 *       owns (Hangul, Greek, Hebrew, Thai, ...) means that language, so it is reported as itself (and
 *       routed as unsupported) instead of being forced onto a configured one. Confidence 1.0, as Lingua
 *       gives when one language is possible.</li>
 *   <li><b>Trigrams.</b> For Latin script (and any script several configured languages write):
 *       {@link TrigramScorer}, Lingua's own trigram scoring over the candidates written in that script, at a
 *       fraction of Lingua's cost. Lingua itself scores texts of 120 or more cleaned characters by trigrams
 *       alone (and every text in low accuracy mode), so for those this answer is Lingua's answer; a shorter
 *       text is answered here only when its margin is at least {@link #SHORT_TEXT_MARGIN} over at least
 *       {@link #SHORT_TEXT_MIN_TRIGRAMS} distinct trigrams, or {@link #EVIDENT_MARGIN} over at least
 *       {@link #EVIDENT_TRIGRAMS}.</li>
 *   <li><b>Lingua</b> (the configured accuracy) for the rest: short texts with a small trigram margin, text
 *       mixing scripts with no majority, scripts no candidate table covers. In the router
 *       ({@link #forLanguages}) this is {@link CompactLinguaDetector}: Lingua 1.2.2's own algorithm (rules, n-grams
 *       1 to 5) with Lingua's answers, over the same primitive tables the trigram stage scores with, so Lingua's
 *       in-heap models (millions of strings) are never loaded.</li>
 * </ol>
 * Text without letters is undetected. Confidence keeps its meaning (the margin over the runner-up), so the
 * policy's {@code min_language_confidence} still sends near-ties to GPT.
 */
public final class TieredLanguageDetector implements LanguageDetector {

    /** The stage that placed a text. */
    public enum Stage { NO_LETTERS, SCRIPT, TRIGRAMS, LINGUA }

    /** Characters looked at, as {@link LinguaLanguageDetector#MAX_CHARS}. */
    static final int MAX_CHARS = LinguaLanguageDetector.MAX_CHARS;

    /** From this cleaned length on Lingua 1.2 uses trigrams alone, in high accuracy mode too. */
    static final int LINGUA_TRIGRAMS_ONLY_LENGTH = 120;

    /**
     * A shorter text's trigram answer is final from this margin on (with {@link #SHORT_TEXT_MIN_TRIGRAMS}), or
     * from {@link #EVIDENT_MARGIN} with {@link #EVIDENT_TRIGRAMS}; below that Lingua decides. Measured on xSID
     * commands alone and joined 2, 3 and 5 at a time (LanguageAccuracy in the benchmarks): these gates keep
     * Lingua's accuracy on the accepted texts within 0.1 point at every length. One gate of 0.2 alone did too
     * but left 4 of the benchmark's 55 prompts (93-117 characters) to Lingua; one of 0.1 alone lost 0.4 points
     * on single commands; trusting any text of 30-40 trigrams at any margin accepted fewer texts of 40-130
     * characters at lower accuracy (Lingua's 1- to 5-grams do help below 120 characters).
     */
    static final double SHORT_TEXT_MARGIN = 0.20;

    /**
     * ... and only with at least this many distinct trigrams: on a word or two the trigram margin is noise
     * ("taxi" comes out Yoruba at 0.29), so Lingua, with its 1- to 5-grams and rules, decides those.
     */
    static final int SHORT_TEXT_MIN_TRIGRAMS = 12;

    /** A short text with this many distinct trigrams needs only {@link #EVIDENT_MARGIN}: more evidence, less noise. */
    static final int EVIDENT_TRIGRAMS = 30;

    /** See {@link #EVIDENT_TRIGRAMS}. */
    static final double EVIDENT_MARGIN = 0.10;

    private final TrigramScorer trigrams;
    private final LanguageDetector lingua;
    private final boolean linguaUsesTrigramsOnly;
    private final double shortTextMargin;
    private final int shortTextMinTrigrams;
    private final int evidentTrigrams;
    private final double evidentMargin;
    private final boolean chinese;
    private final boolean japanese;
    /** Per script: the trigram scorer's candidates (a bit per language index) among the configured languages. */
    private final long[] candidates = new long[Script.values().length];
    /** Per script: the one configured language writing it, else null. */
    private final String[] onlyLanguage = new String[Script.values().length];
    private final Map<Stage, LongAdder> decided = new EnumMap<>(Stage.class);

    /**
     * @param languages the configured languages (ISO 639-1), as given to Lingua
     * @param lingua the last stage: Lingua over those languages
     * @param linguaUsesTrigramsOnly true when Lingua runs in low accuracy mode, where it scores every text by
     *        trigrams, so the trigram stage's answer is final at any length
     */
    public TieredLanguageDetector(final Collection<String> languages, final LanguageDetector lingua,
                                  final boolean linguaUsesTrigramsOnly) {
        this(languages, lingua, linguaUsesTrigramsOnly, SHORT_TEXT_MARGIN, SHORT_TEXT_MIN_TRIGRAMS, EVIDENT_TRIGRAMS,
                EVIDENT_MARGIN);
    }

    /**
     * As above with another margin and trigram count from which a short text's trigram answer is final (to
     * measure the trade-off between cost and accuracy).
     */
    public TieredLanguageDetector(final Collection<String> languages, final LanguageDetector lingua,
                                  final boolean linguaUsesTrigramsOnly, final double shortTextMargin,
                                  final int shortTextMinTrigrams, final int evidentTrigrams,
                                  final double evidentMargin) {
        this(languages, TrigramScorer.load(codes(languages)), lingua, linguaUsesTrigramsOnly, shortTextMargin,
                shortTextMinTrigrams, evidentTrigrams, evidentMargin);
    }

    private TieredLanguageDetector(final Collection<String> languages, final TrigramScorer trigrams,
                                   final LanguageDetector lingua, final boolean linguaUsesTrigramsOnly,
                                   final double shortTextMargin, final int shortTextMinTrigrams,
                                   final int evidentTrigrams, final double evidentMargin) {
        this.shortTextMargin = shortTextMargin;
        this.shortTextMinTrigrams = shortTextMinTrigrams;
        this.evidentTrigrams = evidentTrigrams;
        this.evidentMargin = evidentMargin;
        final List<String> codes = codes(languages);
        this.trigrams = trigrams;
        this.lingua = lingua;
        this.linguaUsesTrigramsOnly = linguaUsesTrigramsOnly;
        this.chinese = codes.contains("zh");
        this.japanese = codes.contains("ja");
        for (Script script : Script.values()) {
            final List<String> written = Scripts.writtenIn(script, codes);
            onlyLanguage[script.ordinal()] = written.size() == 1 ? written.get(0) : null;
            for (String language : written) {
                candidates[script.ordinal()] |= 1L << trigrams.indexOf(language);
            }
        }
        for (Stage stage : Stage.values()) {
            decided.put(stage, new LongAdder());
        }
    }

    /**
     * The router's detector: the three stages over {@code isoCodes}, the last one Lingua's algorithm in high or low
     * accuracy mode ({@link CompactLinguaDetector}); it and the trigram stage share one set of n-gram tables
     * (orders 1 to 5 in high accuracy mode, 1 to 3 in low). Lingua's own models are not loaded.
     *
     * @throws IllegalArgumentException naming a code Lingua does not know
     */
    public static TieredLanguageDetector forLanguages(final Collection<String> isoCodes, final boolean highAccuracy) {
        final CompactLinguaDetector lingua = CompactLinguaDetector.forLanguages(isoCodes, highAccuracy);
        return new TieredLanguageDetector(isoCodes, new TrigramScorer(lingua.models()), lingua, !highAccuracy,
                SHORT_TEXT_MARGIN, SHORT_TEXT_MIN_TRIGRAMS, EVIDENT_TRIGRAMS, EVIDENT_MARGIN);
    }

    private static List<String> codes(final Collection<String> languages) {
        return languages.stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public LanguageGuess detect(final String text) {
        final int[] words = Scripts.wordCounts(text, MAX_CHARS);
        int total = 0;
        for (int count : words) {
            total += count;
        }
        if (total == 0) {
            return count(Stage.NO_LETTERS, LanguageGuess.UNDETECTED);
        }
        final int han = words[Script.HAN.ordinal()];
        final int kana = words[Script.KANA.ordinal()];
        Script dominant = null;
        int most = han + kana; // Han and kana compete together against the other scripts
        for (Script script : Script.values()) {
            if (script != Script.HAN && script != Script.KANA && words[script.ordinal()] > most) {
                most = words[script.ordinal()];
                dominant = script;
            }
        }
        if (most * 2 <= total) {
            return count(Stage.LINGUA, lingua.detect(text)); // no script holds a majority of the words
        }
        if (dominant == null) {
            if (kana > 0) {
                return count(Stage.SCRIPT, new LanguageGuess("ja", 1.0));
            }
            if (chinese || !japanese) {
                return count(Stage.SCRIPT, new LanguageGuess("zh", 1.0));
            }
            return count(Stage.LINGUA, lingua.detect(text)); // Han alone and only Japanese configured
        }
        if (dominant == Script.OTHER) {
            return count(Stage.LINGUA, lingua.detect(text));
        }
        final String only = onlyLanguage[dominant.ordinal()];
        if (only != null) {
            return count(Stage.SCRIPT, new LanguageGuess(only, 1.0));
        }
        final long mask = candidates[dominant.ordinal()];
        if (mask == 0) {
            final String owner = Scripts.mainLanguage(dominant);
            return owner != null
                    ? count(Stage.SCRIPT, new LanguageGuess(owner, 1.0))
                    : count(Stage.LINGUA, lingua.detect(text));
        }
        final TrigramScorer.Scores scores = trigrams.score(text, MAX_CHARS, mask);
        final TrigramScorer.Ranking ranking = TrigramScorer.rank(scores, mask);
        if (ranking.best() >= 0 && (linguaUsesTrigramsOnly || scores.cleanedLength() >= LINGUA_TRIGRAMS_ONLY_LENGTH
                || ranking.margin() >= shortTextMargin && scores.trigrams() >= shortTextMinTrigrams
                || ranking.margin() >= evidentMargin && scores.trigrams() >= evidentTrigrams)) {
            return count(Stage.TRIGRAMS, new LanguageGuess(trigrams.languages().get(ranking.best()), ranking.margin()));
        }
        // Lingua chooses among all languages, not just the trigram stage's best few: narrowing it to the best
        // three accepted more short texts at lower accuracy (xSID) and saved no measurable time.
        return count(Stage.LINGUA, lingua.detect(text));
    }

    /** How many texts each stage has placed since start (for metrics and benchmarks). */
    public Map<Stage, Long> decidedByStage() {
        final Map<Stage, Long> counts = new EnumMap<>(Stage.class);
        decided.forEach((stage, adder) -> counts.put(stage, adder.sum()));
        return counts;
    }

    private LanguageGuess count(final Stage stage, final LanguageGuess guess) {
        decided.get(stage).increment();
        return guess;
    }
}
