package dev.slmrouter.worker.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.ResponseBody;

/**
 * Reads a Chat Completions body. The shape checks that matter (choices present, message present,
 * content a string or null) are explicit and every other field a backend adds is ignored.
 *
 * <p>Two ways, one result. {@link #parseTree(String, RateLimits, Duration)} is the reference: the body
 * as text, a Jackson tree of all of it, then a walk of the tree. {@link #parse(byte[], MediaType,
 * RateLimits, Duration)}, which the client uses, reads the body's bytes once with a streaming parser,
 * builds only what {@link ChatResponse} holds and skips everything else without materializing it (about
 * a quarter to a third of the tree's CPU time and allocation on vLLM bodies with logprobs, see
 * BENCHMARKS.md). It takes only bodies it can read exactly as the reference would: well-formed UTF-8,
 * and every field it keeps in the form the API documents (strings or null, int counts, an array of
 * objects for {@code choices}, {@code logprobs.content} and {@code top_logprobs}). Anything else (a
 * malformed or non-JSON body, an odd type, another charset) goes to the reference parse of the body
 * decoded as OkHttp decodes it, which gives the answer or the {@link MalformedException}. So unusual
 * bodies cost two parses, and no body parses differently from the reference.
 */
public final class ResponseParser {

    /** The body is not a chat completion; the message says why (no body text in it). */
    public static final class MalformedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedException(final String message) {
            super(message);
        }
    }

    /** Thrown inside the streaming parse when the body needs the reference parse. */
    private static final class Unusual extends Exception {
        private static final long serialVersionUID = 1L;
        private static final Unusual INSTANCE = new Unusual();

        private Unusual() {
            super(null, null, false, false);
        }
    }

    private static final Integer[] NO_BYTES = new Integer[0];

    private ResponseParser() {
    }

    /**
     * Parses a body read as bytes; {@code contentType} is the response's (may be null) and is used, as
     * OkHttp's {@code ResponseBody.string()} uses it, only for a body the streaming parse passes on.
     *
     * @throws MalformedException when the body is not a chat completion
     */
    public static ChatResponse parse(final byte[] body, final MediaType contentType, final RateLimits rateLimits,
                                     final Duration latency) {
        final ChatResponse streamed = parseStreaming(body, contentType, rateLimits, latency);
        return streamed != null ? streamed : parseTree(text(body, contentType), rateLimits, latency);
    }

    /** The streaming parse alone: null when the body needs the reference parse. */
    static ChatResponse parseStreaming(final byte[] body, final MediaType contentType, final RateLimits rateLimits,
                                       final Duration latency) {
        if (!streamable(body, contentType)) {
            return null;
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            return streamed(p, rateLimits, latency);
        } catch (IOException | Unusual | RuntimeException e) {
            // Not JSON, or not in the documented form: the reference parse decides.
            return null;
        }
    }

    /** The body as text, decoded exactly as OkHttp's {@code ResponseBody.string()} decodes it (BOM, charset). */
    static String text(final byte[] body, final MediaType contentType) {
        try {
            return ResponseBody.create(body, contentType).string();
        } catch (IOException e) {
            throw new IllegalStateException("decoding bytes held in memory failed", e);
        }
    }

    /**
     * The reference parse: a Jackson tree of the whole body, then a walk of it.
     *
     * @throws MalformedException when the body is not a chat completion
     */
    public static ChatResponse parseTree(final String body, final RateLimits rateLimits, final Duration latency) {
        final JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedException("the body is not JSON");
        }
        require(root != null && root.isObject(), "the body is not a JSON object");
        final JsonNode choicesNode = root.path("choices");
        require(choicesNode.isArray() && !choicesNode.isEmpty(), "the body has no choices");
        final List<Choice> choices = new ArrayList<>();
        for (JsonNode choice : choicesNode) {
            choices.add(choice(choice, choices.size()));
        }
        choices.sort(Comparator.comparingInt(Choice::index));
        return new ChatResponse(text(root, "id"), text(root, "model"), text(root, "system_fingerprint"), choices,
                usage(root.get("usage")), rateLimits, latency);
    }

    // ---- the streaming parse ------------------------------------------------------------------------

    /**
     * True when Jackson reads the bytes as the same text OkHttp would decode: UTF-8 declared or nothing
     * declared, no byte-order mark and no zero byte where Jackson sniffs the encoding (so it picks UTF-8),
     * and well-formed UTF-8 (which Java and Jackson decode alike; Java replaces ill-formed sequences).
     */
    private static boolean streamable(final byte[] body, final MediaType contentType) {
        if (contentType != null) {
            final Charset declared = contentType.charset(null);
            if (declared != null && !declared.equals(StandardCharsets.UTF_8)) {
                return false;
            }
        }
        if (body.length < 2 || body[0] == 0 || body[1] == 0 || (body[0] & 0xff) == 0xef) {
            return false;
        }
        return wellFormedUtf8(body);
    }

    /** Well-formed UTF-8 as Unicode defines it (table 3-7): no overlongs, surrogates or values past U+10FFFF. */
    static boolean wellFormedUtf8(final byte[] b) {
        int i = 0;
        final int n = b.length;
        while (i < n) {
            final int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            final int lead = c & 0xff;
            if (lead >= 0xc2 && lead <= 0xdf) {
                if (i + 1 >= n || !continuation(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (lead >= 0xe0 && lead <= 0xef) {
                if (i + 2 >= n) {
                    return false;
                }
                final int b1 = b[i + 1] & 0xff;
                final int min = lead == 0xe0 ? 0xa0 : 0x80;
                final int max = lead == 0xed ? 0x9f : 0xbf;
                if (b1 < min || b1 > max || !continuation(b[i + 2])) {
                    return false;
                }
                i += 3;
            } else if (lead >= 0xf0 && lead <= 0xf4) {
                if (i + 3 >= n) {
                    return false;
                }
                final int b1 = b[i + 1] & 0xff;
                final int min = lead == 0xf0 ? 0x90 : 0x80;
                final int max = lead == 0xf4 ? 0x8f : 0xbf;
                if (b1 < min || b1 > max || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(final byte b) {
        return (b & 0xc0) == 0x80;
    }

    private static ChatResponse streamed(final JsonParser p, final RateLimits rateLimits, final Duration latency)
            throws IOException, Unusual {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw Unusual.INSTANCE;
        }
        String id = null;
        String model = null;
        String fingerprint = null;
        Choice[] choices = null;
        Usage usage = null;
        // A repeated field counts with its last value, as in the tree.
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String name = p.currentName();
            final JsonToken value = p.nextToken();
            switch (name) {
                case "id" -> id = string(p, value);
                case "model" -> model = string(p, value);
                case "system_fingerprint" -> fingerprint = string(p, value);
                case "choices" -> choices = choices(p, value);
                case "usage" -> usage = value == JsonToken.START_OBJECT ? usage(p) : skip(p, null);
                default -> p.skipChildren();
            }
        }
        if (choices == null || choices.length == 0) {
            throw Unusual.INSTANCE;
        }
        // Stable, like List.sort in the tree walk.
        Arrays.sort(choices, Comparator.comparingInt(Choice::index));
        return new ChatResponse(id, model, fingerprint, List.of(choices), usage, rateLimits, latency);
    }

    private static Choice[] choices(final JsonParser p, final JsonToken value) throws IOException, Unusual {
        if (value != JsonToken.START_ARRAY) {
            throw Unusual.INSTANCE;
        }
        final List<Choice> choices = new ArrayList<>(1);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            choices.add(choice(p, choices.size()));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw Unusual.INSTANCE;
        }
        return choices.toArray(new Choice[0]);
    }

    /** At the choice's START_OBJECT. */
    private static Choice choice(final JsonParser p, final int position) throws IOException, Unusual {
        int index = position;
        boolean message = false;
        String content = null;
        String refusal = null;
        String finishReason = null;
        List<TokenLogprob> tokens = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String name = p.currentName();
            final JsonToken value = p.nextToken();
            switch (name) {
                case "index" -> index = value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                        ? p.getIntValue() : skip(p, position);
                case "message" -> {
                    if (value != JsonToken.START_OBJECT) {
                        throw Unusual.INSTANCE;
                    }
                    message = true;
                    content = null;
                    refusal = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        final String field = p.currentName();
                        final JsonToken v = p.nextToken();
                        switch (field) {
                            case "content" -> content = string(p, v);
                            case "refusal" -> refusal = string(p, v);
                            default -> p.skipChildren();
                        }
                    }
                }
                case "finish_reason" -> finishReason = string(p, value);
                case "logprobs" -> tokens = value == JsonToken.START_OBJECT ? logprobsContent(p) : skip(p, null);
                default -> p.skipChildren();
            }
        }
        if (!message) {
            throw Unusual.INSTANCE;
        }
        return new Choice(index, content, refusal, finishReason, tokens);
    }

    /** At the START_OBJECT of {@code logprobs}: its {@code content} tokens, null when it has no array there. */
    private static List<TokenLogprob> logprobsContent(final JsonParser p) throws IOException, Unusual {
        List<TokenLogprob> tokens = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String name = p.currentName();
            final JsonToken value = p.nextToken();
            if ("content".equals(name)) {
                tokens = value == JsonToken.START_ARRAY ? tokenArray(p) : skip(p, null);
            } else {
                p.skipChildren();
            }
        }
        return tokens;
    }

    /** At a START_ARRAY of token entries (objects). */
    private static List<TokenLogprob> tokenArray(final JsonParser p) throws IOException, Unusual {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            return List.of();
        }
        final List<TokenLogprob> tokens = new ArrayList<>();
        while (t == JsonToken.START_OBJECT) {
            tokens.add(token(p));
            t = p.nextToken();
        }
        if (t != JsonToken.END_ARRAY) {
            throw Unusual.INSTANCE;
        }
        return tokens;
    }

    /** At a token entry's START_OBJECT. */
    private static TokenLogprob token(final JsonParser p) throws IOException, Unusual {
        String token = null;
        double logprob = Double.NaN;
        List<Integer> bytes = null;
        List<TokenLogprob> top = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String name = p.currentName();
            final JsonToken value = p.nextToken();
            switch (name) {
                case "token" -> token = string(p, value);
                // A missing number is NaN, not a failure: the answer is still good; Confidence treats NaN as unknown.
                case "logprob" -> logprob = value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_NUMBER_INT
                        ? p.getDoubleValue() : skip(p, Double.NaN);
                case "bytes" -> bytes = value == JsonToken.START_ARRAY ? byteArray(p) : skip(p, null);
                case "top_logprobs" -> {
                    if (value == JsonToken.START_ARRAY) {
                        top = tokenArray(p);
                    } else if (value == JsonToken.START_OBJECT) {
                        // The tree would read an object's values as alternatives; leave that to it.
                        throw Unusual.INSTANCE;
                    } else {
                        top = null;
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new TokenLogprob(token, logprob, bytes, top);
    }

    /** At the START_ARRAY of {@code bytes}: int values only. */
    private static List<Integer> byteArray(final JsonParser p) throws IOException, Unusual {
        Integer[] values = NO_BYTES;
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            if (n == values.length) {
                values = Arrays.copyOf(values, Math.max(4, n * 2));
            }
            values[n++] = p.getIntValue();
        }
        if (t != JsonToken.END_ARRAY) {
            throw Unusual.INSTANCE;
        }
        return n == 0 ? List.of() : List.of(n == values.length ? values : Arrays.copyOf(values, n));
    }

    /** At the START_OBJECT of {@code usage}. */
    private static Usage usage(final JsonParser p) throws IOException, Unusual {
        int prompt = 0;
        int completion = 0;
        Integer total = null;
        int cached = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String name = p.currentName();
            final JsonToken value = p.nextToken();
            switch (name) {
                case "prompt_tokens" -> prompt = count(p, value);
                case "completion_tokens" -> completion = count(p, value);
                case "total_tokens" -> total = count(p, value);
                case "prompt_tokens_details" -> {
                    cached = 0;
                    if (value == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            final String field = p.currentName();
                            final JsonToken v = p.nextToken();
                            if ("cached_tokens".equals(field)) {
                                cached = count(p, v);
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        final int sum = total != null ? total : prompt + completion;
        if (prompt < 0 || completion < 0 || sum < 0 || cached < 0) {
            throw Unusual.INSTANCE;
        }
        return new Usage(prompt, completion, sum, cached);
    }

    /** A token count: an int, nothing else (the tree's lenient reading of other types is left to it). */
    private static int count(final JsonParser p, final JsonToken value) throws IOException, Unusual {
        if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        throw Unusual.INSTANCE;
    }

    /** A text field: a string or null; other types (which the tree would render as text) are left to it. */
    private static String string(final JsonParser p, final JsonToken value) throws IOException, Unusual {
        if (value == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        throw Unusual.INSTANCE;
    }

    /** Skips the current value (and its children) and answers {@code result}. */
    private static <T> T skip(final JsonParser p, final T result) throws IOException {
        p.skipChildren();
        return result;
    }

    // ---- the reference tree walk --------------------------------------------------------------------

    private static Choice choice(final JsonNode node, final int position) {
        final JsonNode message = node.path("message");
        require(message.isObject(), "choice " + position + " has no message");
        final JsonNode content = message.path("content");
        require(content.isMissingNode() || content.isNull() || content.isTextual(),
                "choice " + position + " has content that is not text");
        final int index = node.path("index").isInt() ? node.get("index").asInt() : position;
        return new Choice(index, text(message, "content"), text(message, "refusal"), text(node, "finish_reason"),
                tokens(node.path("logprobs").path("content")));
    }

    private static List<TokenLogprob> tokens(final JsonNode content) {
        if (!content.isArray()) {
            return null;
        }
        final List<TokenLogprob> tokens = new ArrayList<>(content.size());
        content.forEach(t -> tokens.add(token(t)));
        return tokens;
    }

    private static TokenLogprob token(final JsonNode node) {
        require(node.isObject(), "a logprobs entry is not an object");
        final JsonNode lp = node.get("logprob");
        // A missing number is NaN, not a failure: the answer is still good; Confidence treats NaN as unknown.
        final double logprob = lp != null && lp.isNumber() ? lp.asDouble() : Double.NaN;
        List<Integer> bytes = null;
        if (node.path("bytes").isArray()) {
            bytes = new ArrayList<>();
            for (JsonNode b : node.get("bytes")) {
                bytes.add(b.asInt());
            }
        }
        final List<TokenLogprob> top = new ArrayList<>();
        node.path("top_logprobs").forEach(t -> top.add(token(t)));
        return new TokenLogprob(text(node, "token"), logprob, bytes, top);
    }

    private static Usage usage(final JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        final int prompt = node.path("prompt_tokens").asInt(0);
        final int completion = node.path("completion_tokens").asInt(0);
        final int total = node.path("total_tokens").asInt(prompt + completion);
        final int cached = node.path("prompt_tokens_details").path("cached_tokens").asInt(0);
        require(prompt >= 0 && completion >= 0 && total >= 0 && cached >= 0, "usage has negative token counts");
        return new Usage(prompt, completion, total, cached);
    }

    private static String text(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void require(final boolean ok, final String reason) {
        if (!ok) {
            throw new MalformedException(reason);
        }
    }
}
