package dev.slmrouter.router.language;

/**
 * Detects the language of a prompt. Implementations must be thread-safe and take well under a
 * millisecond for a typical prompt, since they run inside the router's stream processor.
 */
public interface LanguageDetector {

    /** The most likely language, or {@link LanguageGuess#UNDETECTED} when the text gives no evidence. */
    LanguageGuess detect(String text);

    /**
     * A detector's answer: an ISO 639-1 code (null when undetected) and the detector's confidence (0-1).
     */
    record LanguageGuess(String isoCode, double confidence) {

        public static final LanguageGuess UNDETECTED = new LanguageGuess(null, 0.0);
    }
}
