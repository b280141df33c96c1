package dev.slmrouter.worker.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson mapper of the client package (thread-safe once configured); its factory is configured too. */
final class Json {

    /**
     * Lenient on input on purpose: backends add fields at will, and some Python servers write
     * {@code -Infinity} for a log-probability of minus infinity (vLLM clamps it to -9999.0 instead).
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // FastDoubleParser: the same correctly rounded values as Double.parseDouble, several times faster
            // (a logprob per answer token).
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // Emoji and other non-BMP characters go out as their UTF-8 bytes, not as escaped surrogate pairs.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** Parses text that must be one JSON object (a JSON Schema); fails with a plain message. */
    static JsonNode parseObject(final String text, final String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        final JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
        return node;
    }
}
