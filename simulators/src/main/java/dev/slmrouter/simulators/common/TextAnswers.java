package dev.slmrouter.simulators.common;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Filler text for free-form answers and string values of JSON answers. The words are arbitrary; what
 * matters to clients is length (it drives latency and token counts) and determinism per seed.
 */
public final class TextAnswers {

    /** What a refusing model says; also the {@code refusal} field of OpenAI refusals. */
    public static final String REFUSAL = "I'm sorry, but I can't help with that request.";

    private static final String[] WORDS = {
        "the", "request", "describes", "a", "customer", "invoice", "with", "two", "items", "and", "an",
        "amount", "due", "on", "delivery", "which", "was", "confirmed", "by", "support", "team", "after",
        "review", "of", "account", "history", "payment", "is", "pending", "until", "next", "billing",
        "cycle", "contract", "renewal", "includes", "standard", "terms", "for", "service", "level",
        "response", "time", "order", "shipped", "from", "warehouse", "in", "three", "days", "summary",
        "shows", "no", "further", "action", "needed", "at", "this", "point", "clear", "overall",
    };

    private TextAnswers() {
    }

    /** About {@code targetTokens} tokens of sentence-like text. */
    public static String sentence(final int targetTokens, final SplittableRandom rng) {
        final StringBuilder text = new StringBuilder();
        boolean capital = true;
        int tokens = 0; // counted per piece: pieces start at token boundaries, so counts add up
        while (tokens < targetTokens - 1) {
            final String word = WORDS[rng.nextInt(WORDS.length)];
            final String piece = (text.length() > 0 ? " " : "")
                    + (capital ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
            text.append(piece);
            tokens += Tokens.count(piece);
            capital = false;
            if (rng.nextInt(12) == 0) {
                text.append('.');
                tokens++;
                capital = true;
            }
        }
        if (text.length() == 0 || text.charAt(text.length() - 1) != '.') {
            text.append('.');
        }
        return text.toString();
    }

    /** A plausible string for a JSON property, honoring common {@code format}s. */
    public static String stringValue(final String property, final String format, final SplittableRandom rng) {
        switch (format) {
            case "date":
                return String.format("2024-%02d-%02d", 1 + rng.nextInt(12), 1 + rng.nextInt(28));
            case "date-time":
                return String.format("2024-%02d-%02dT%02d:00:00Z", 1 + rng.nextInt(12), 1 + rng.nextInt(28),
                        rng.nextInt(24));
            case "email":
                return "jane.doe" + rng.nextInt(100) + "@example.com";
            case "uri":
                return "https://example.com/" + property;
            case "uuid":
                return new UUID(rng.nextLong(), rng.nextLong()).toString();
            default:
                final String word = WORDS[rng.nextInt(WORDS.length)];
                return Character.toUpperCase(word.charAt(0)) + word.substring(1) + " " + property.replace('_', ' ');
        }
    }
}
