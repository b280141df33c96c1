package dev.slmrouter.simulators.common;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * JSON pieces that OpenAI and vLLM render the same way: the Chat Completions logprob entries
 * ({@code token}, {@code logprob}, {@code bytes} as UTF-8 byte values, {@code top_logprobs}), random
 * response ids, and the simulator's own confidence header.
 */
public final class ChatJson {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdef";

    private ChatJson() {
    }

    /** The {@code logprobs.content} array of a chat choice. */
    public static ArrayNode logprobContent(final List<TokenLogprob> logprobs) {
        final ArrayNode content = Json.array();
        for (final TokenLogprob lp : logprobs) {
            final ObjectNode entry = tokenEntry(lp.token(), lp.logprob());
            final ArrayNode top = entry.putArray("top_logprobs");
            lp.top().forEach(alt -> top.add(tokenEntry(alt.token(), alt.logprob())));
            content.add(entry);
        }
        return content;
    }

    private static ObjectNode tokenEntry(final String token, final double logprob) {
        final ObjectNode entry = Json.object();
        entry.put("token", token);
        entry.put("logprob", logprob);
        final ArrayNode bytes = entry.putArray("bytes");
        for (final byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        return entry;
    }

    /**
     * The simulator-only {@code x-sim-confidence} header: the confidence each choice's logprobs encode,
     * comma-separated, so a test can compare what it derives with what was drawn.
     */
    public static Map<String, String> confidenceHeader(final List<Answer> answers) {
        return Map.of("x-sim-confidence",
                answers.stream().map(a -> Double.toString(a.confidence())).collect(Collectors.joining(",")));
    }

    /** An id like {@code chatcmpl-AbC...} (OpenAI: 29 alphanumerics). */
    public static String alnumId(final String prefix, final int length) {
        return prefix + random(ALNUM, length);
    }

    /** An id like {@code chatcmpl-3f9a...} (vLLM: lowercase hex). */
    public static String hexId(final String prefix, final int length) {
        return prefix + random(HEX, length);
    }

    private static String random(final String alphabet, final int length) {
        final SplittableRandom rng = new SplittableRandom(ThreadLocalRandom.current().nextLong());
        final StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
