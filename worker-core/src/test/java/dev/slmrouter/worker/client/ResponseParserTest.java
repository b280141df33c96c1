package dev.slmrouter.worker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.MediaType;
import org.junit.jupiter.api.Test;

/**
 * The streaming parse the client uses gives exactly what the reference tree walk gives, for every body:
 * the own fixtures, the real bodies in ../shared/contracts, and bodies built to probe every branch (odd
 * types, repeated fields, other encodings, broken JSON). Well-formed chat completions must be taken by the
 * streaming parse itself, not handed to the reference (which would hide a slow path behind a right answer).
 */
class ResponseParserTest {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final RateLimits LIMITS = RateLimits.NONE;
    private static final Duration LATENCY = Duration.ofMillis(3);

    private static final String LOGPROBS = "{\"id\":\"a\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
            + "\"assistant\",\"content\":\"x\"},\"logprobs\":{\"content\":[%s]},\"finish_reason\":\"stop\"}]}";
    private static final String USAGE = "{\"choices\":[{\"message\":{\"content\":\"x\"}}],\"usage\":%s}";
    private static final String CHOICE = "{\"choices\":[%s]}";

    @Test
    void theMapperReadsNonNumericNumbersAndUsesTheFastDoubleParser() {
        assertThat(Json.MAPPER.getFactory().isEnabled(JsonParser.Feature.USE_FAST_DOUBLE_PARSER)).isTrue();
        final ChatResponse r = sameAsTree(String.format(LOGPROBS,
                "{\"token\":\"a\",\"logprob\":-Infinity},{\"token\":\"b\",\"logprob\":NaN}"), true);
        assertThat(r.logprobs()).extracting(TokenLogprob::logprob)
                .containsExactly(Double.NEGATIVE_INFINITY, Double.NaN);
    }

    @Test
    void ownFixturesParseTheSameAndStreamed() {
        for (String name : List.of("openai/chat-logprobs.json", "openai/chat-n3.json", "openai/chat-refusal.json",
                "openai/chat-truncated.json", "vllm/chat-extra-fields.json")) {
            sameAsTree(Fixtures.own(name), true);
        }
        for (String name : List.of("vllm/error-flat.json", "vllm/error-nested.json", "vllm/error-nested-503.json",
                "openai/error-400-unknown-parameter.json", "openai/error-429-quota-code.json")) {
            sameAsTree(Fixtures.own(name), false);
        }
    }

    @Test
    void everySharedContractBodyParsesTheSame() throws IOException {
        final Path contracts = Fixtures.contract("openai/examples/chat-completions-post-logprobs.response.json")
                .getParent().getParent().getParent();
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(contracts)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int chat = 0;
        for (Path file : files) {
            final String text = Files.readString(file);
            final boolean isChat = file.toString().endsWith(".response.json") && text.contains("\"chat.completion\"");
            chat += isChat ? 1 : 0;
            sameAsTree(text, isChat ? Boolean.TRUE : null);
        }
        assertThat(chat).as("chat completion bodies among the contracts").isGreaterThanOrEqualTo(18);
        final String partial = Fixtures.contractText("vllm/real-bodies/chat-logprobs-top2-guided_json-PR17637.PARTIAL.txt");
        final String line = partial.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        sameAsTree(line.substring(0, line.indexOf(",\"usage\"")) + "}", true);
    }

    @Test
    void documentedFormsAreStreamed() {
        final List<String> bodies = List.of(
                // vLLM's trailing -9999 entry, empty bytes, nested alternatives, top_logprobs null or absent.
                String.format(LOGPROBS, "{\"token\":\"a\",\"logprob\":-0.5,\"bytes\":[97],\"top_logprobs\":[{\"token\":"
                        + "\"a\",\"logprob\":-0.5,\"bytes\":[97],\"top_logprobs\":[{\"token\":\"z\",\"logprob\":-3}]}]},"
                        + "{\"token\":\"\",\"logprob\":-9999.0,\"bytes\":[],\"top_logprobs\":[]},"
                        + "{\"token\":null,\"logprob\":0,\"bytes\":null,\"top_logprobs\":null},{\"logprob\":1e-3}"),
                // Logprob and bytes in odd but harmless forms: NaN unless a number; bytes only when an array.
                String.format(LOGPROBS, "{\"token\":\"a\",\"logprob\":\"-0.5\",\"bytes\":{}},{\"token\":\"b\",\"logprob\":null,"
                        + "\"bytes\":7},{\"token\":\"c\",\"logprob\":[1],\"top_logprobs\":5},{\"token\":\"d\",\"logprob\":true}"),
                String.format(LOGPROBS, ""),
                // Text with escapes, non-ASCII and an emoji; refusal; repeated fields (the last one counts).
                "{\"id\":\"i1\",\"id\":\"i2\",\"choices\":[{\"message\":{\"content\":\"Gr\u00fc\u00dfe \\\"\\u00e9\\\" \\ud83d\\udc4b"
                        + " \ud83d\udc4b\\n\",\"refusal\":\"no\",\"content\":\"last\"},\"finish_reason\":\"stop\","
                        + "\"finish_reason\":null}],\"model\":null}",
                // Order by index, index absent or not an int (the position then), choices repeated.
                "{\"choices\":[],\"choices\":[{\"index\":2,\"message\":{}},{\"message\":{\"content\":null}},"
                        + "{\"index\":1.0,\"message\":{}},{\"index\":\"0\",\"message\":{}},{\"index\":9999999999,"
                        + "\"message\":{}},{\"index\":-1,\"message\":{}}]}",
                // logprobs absent, null, not an object, without content, content not an array, repeated.
                String.format(CHOICE, "{\"message\":{},\"logprobs\":null},{\"message\":{},\"logprobs\":[1]},"
                        + "{\"message\":{},\"logprobs\":{\"refusal\":null}},{\"message\":{},\"logprobs\":{\"content\":null}},"
                        + "{\"message\":{},\"logprobs\":{\"content\":[]},\"logprobs\":{\"content\":{}}}"),
                // Usage: total absent, details null / object / not an object, usage null or not an object.
                String.format(USAGE, "{\"prompt_tokens\":5,\"completion_tokens\":2}"),
                String.format(USAGE, "{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":9,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":3,\"audio_tokens\":0},\"completion_tokens_details\":{}}"),
                String.format(USAGE, "{\"prompt_tokens_details\":[3],\"prompt_tokens_details\":\"x\"}"),
                String.format(USAGE, "{}"),
                String.format(USAGE, "null"),
                String.format(USAGE, "[1,2]"),
                // Unknown fields of every type, trailing text after the object (the tree ignores it too).
                "{\"a\":{\"b\":[1,{\"c\":null}],\"d\":1.5e300},\"choices\":[{\"message\":{\"x\":[[]],\"content\":\"k\"},"
                        + "\"e\":true}],\"f\":-0.0} trailing",
                "  \n{\"choices\":[{\"message\":{\"content\":\"\"}}]}");
        for (String body : bodies) {
            sameAsTree(body, true);
        }
    }

    @Test
    void unusualFormsGoToTheReferenceAndStillParseTheSame() {
        final List<String> bodies = List.of(
                // Text fields that are not strings: the tree renders them as text.
                "{\"id\":42,\"model\":true,\"choices\":[{\"message\":{\"content\":\"x\",\"refusal\":{}},\"finish_reason\":1}]}",
                String.format(LOGPROBS, "{\"token\":7,\"logprob\":-1}"),
                // Bytes that are not ints, alternatives given as an object, counts that are not ints.
                String.format(LOGPROBS, "{\"token\":\"a\",\"logprob\":-1,\"bytes\":[1,\"2\",3.5,null,4294967296]}"),
                String.format(LOGPROBS, "{\"token\":\"a\",\"logprob\":-1,\"top_logprobs\":{\"x\":{\"token\":\"b\"}}}"),
                String.format(USAGE, "{\"prompt_tokens\":\"5\",\"completion_tokens\":2.9,\"total_tokens\":null}"),
                String.format(USAGE, "{\"prompt_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":true}}"),
                // A choice whose first message is broken but whose last is fine, and the reverse.
                String.format(CHOICE, "{\"message\":{\"content\":[1]},\"message\":{\"content\":\"ok\"}}"),
                String.format(CHOICE, "{\"message\":{\"content\":\"ok\"},\"message\":3}"));
        for (String body : bodies) {
            sameAsTree(body, false);
        }
    }

    @Test
    void malformedBodiesFailWithTheReferenceMessages() {
        final List<String> bodies = List.of("", "   ", "null", "[]", "[{\"choices\":[]}]", "\"text\"", "<html>maintenance</html>",
                "{\"id\":\"x\",\"choices\":[]}", "{\"choices\":null}", "{\"object\":\"error\",\"message\":\"m\",\"type\":\"t\"}",
                String.format(CHOICE, "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":[1]}}"),
                String.format(CHOICE, "{\"index\":0,\"text\":\"completions shape\"}"),
                String.format(CHOICE, "{\"message\":null}"), String.format(CHOICE, "1"), String.format(CHOICE, "{\"message\":{}},2"),
                String.format(LOGPROBS, "1"), String.format(LOGPROBS, "{\"token\":\"a\",\"top_logprobs\":[null]}"),
                String.format(USAGE, "{\"prompt_tokens\":-1}"), String.format(USAGE, "{\"prompt_tokens_details\":{\"cached_tokens\":-2}}"),
                "{\"choices\":[{\"message\":{\"content\":\"x\"}}]", "{\"choices\":[{\"message\":{\"content\":\"x\"}}],}",
                "{\"choices\":[{\"message\":{\"content\":\"x\\q\"}}]}", "{\"a\":tru,\"choices\":[{\"message\":{}}]}",
                "{\"a\":01,\"choices\":[{\"message\":{}}]}", "{'choices':[]}");
        for (String body : bodies) {
            final Throwable tree = catchThrowable(() -> ResponseParser.parseTree(body, LIMITS, LATENCY));
            final Throwable streamed = catchThrowable(() -> parse(body.getBytes(StandardCharsets.UTF_8), JSON));
            assertThat(tree).as(body).isInstanceOf(ResponseParser.MalformedException.class);
            assertThat(streamed).as(body).isInstanceOf(ResponseParser.MalformedException.class)
                    .hasMessage(tree.getMessage());
        }
    }

    @Test
    void otherEncodingsAndIllFormedUtf8AreDecodedAsOkHttpDecodesThem() {
        final String body = "{\"choices\":[{\"message\":{\"content\":\"Gr\u00fc\u00dfe\"}}]}";
        // Latin-1 declared: the bytes mean something else in UTF-8.
        final MediaType latin1 = MediaType.get("application/json; charset=iso-8859-1");
        assertThat(parse(body.getBytes(StandardCharsets.ISO_8859_1), latin1).content()).isEqualTo("Gr\u00fc\u00dfe");
        // UTF-16 with its byte-order mark, UTF-8 with a byte-order mark.
        final byte[] utf16 = body.getBytes(StandardCharsets.UTF_16);
        assertThat(parse(utf16, JSON).content()).isEqualTo("Gr\u00fc\u00dfe");
        final byte[] bom = concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, body.getBytes(StandardCharsets.UTF_8));
        assertThat(parse(bom, JSON).content()).isEqualTo("Gr\u00fc\u00dfe");
        // Ill-formed UTF-8 in the content: overlong '/', an encoded surrogate, a lone continuation byte, a cut
        // sequence, a value past U+10FFFF. Java replaces them; the answer must be the same as before.
        for (byte[] bad : List.of(new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[] {(byte) 0x80}, new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80})) {
            final byte[] bytes = concat(concat("{\"choices\":[{\"message\":{\"content\":\"a".getBytes(StandardCharsets.UTF_8), bad),
                    "b\"}}]}".getBytes(StandardCharsets.UTF_8));
            assertThat(ResponseParser.wellFormedUtf8(bytes)).isFalse();
            final ChatResponse r = parse(bytes, JSON);
            final ChatResponse tree = ResponseParser.parseTree(new String(bytes, StandardCharsets.UTF_8), LIMITS, LATENCY);
            assertThat(r.content()).isEqualTo(tree.content()).contains("\ufffd");
        }
        // Well-formed multi-byte sequences of every length are streamed.
        final String wide = "{\"choices\":[{\"message\":{\"content\":\"\u00e9\u0800\uffff\ud800\udc00\udbff\udfff\"}}]}";
        assertThat(ResponseParser.wellFormedUtf8(wide.getBytes(StandardCharsets.UTF_8))).isTrue();
        sameAsTree(wide, true);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static ChatResponse parse(final byte[] body, final MediaType type) {
        return ResponseParser.parse(body, type, LIMITS, LATENCY);
    }

    /**
     * Both parses of {@code body} agree; {@code streamed}: whether the streaming parse answered by itself
     * (null: either way).
     */
    private static ChatResponse sameAsTree(final String body, final Boolean streamed) {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final Throwable treeFailure = catchThrowable(() -> ResponseParser.parseTree(body, LIMITS, LATENCY));
        final Throwable failure = catchThrowable(() -> parse(bytes, JSON));
        if (treeFailure != null) {
            assertThat(treeFailure).as(body).isInstanceOf(ResponseParser.MalformedException.class);
            assertThat(failure).as(body).isInstanceOf(ResponseParser.MalformedException.class)
                    .hasMessage(treeFailure.getMessage());
            assertThat(streamed).as("expected to parse: " + body).isNotEqualTo(Boolean.TRUE);
            return null;
        }
        final ChatResponse tree = ResponseParser.parseTree(body, LIMITS, LATENCY);
        final ChatResponse fast = parse(bytes, JSON);
        assertThat(describe(fast)).as(body).isEqualTo(describe(tree));
        assertThat(fast.choices()).as(body).isEqualTo(tree.choices());
        final ChatResponse alone = ResponseParser.parseStreaming(bytes, JSON, LIMITS, LATENCY);
        if (streamed != null) {
            assertThat(alone != null).as("taken by the streaming parse: " + body).isEqualTo(streamed);
        }
        return fast;
    }

    private static List<Object> describe(final ChatResponse r) {
        final List<Object> all = new ArrayList<>(List.of(r.choices(), r.rateLimits(), r.latency()));
        all.add(r.id());
        all.add(r.model());
        all.add(r.systemFingerprint());
        all.add(r.usage());
        return all;
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
