package dev.slmrouter.simulators.common;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulators' stand-in tokenizer: a token is optional leading whitespace plus either up to four
 * letters/digits or one other character, which gives roughly four characters per token on English text
 * (about what BPE tokenizers give) while keeping the pieces printable. The same split counts
 * {@code prompt_tokens}, {@code completion_tokens} and yields the tokens reported with logprobs, so the
 * number of logprob entries always equals {@code completion_tokens}. The pieces concatenate back to the
 * exact input.
 */
public final class Tokens {

    private static final Pattern TOKEN = Pattern.compile("\\s*(?:[\\p{L}\\p{N}]{1,4}|[^\\p{L}\\p{N}\\s])|\\s+");

    private Tokens() {
    }

    public static List<String> split(final String text) {
        final List<String> tokens = new ArrayList<>();
        final Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    public static int count(final String text) {
        int n = 0;
        final Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            n++;
        }
        return n;
    }
}
