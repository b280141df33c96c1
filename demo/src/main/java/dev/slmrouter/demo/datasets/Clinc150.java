package dev.slmrouter.demo.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the out-of-scope queries of CLINC150 (Larson et al. 2019, CC BY 3.0): English requests to a
 * virtual assistant that fall outside all of its 150 intents. The file ({@code data_full.json}) is one
 * JSON object whose keys are splits ({@code train}, {@code oos_test}, ...), each a list of
 * {@code [text, intent]} pairs; the out-of-scope splits carry the intent {@code oos}. Only
 * {@value #SPLIT} is read: the demo needs queries no intent covers, not the in-scope intents.
 */
public final class Clinc150 {

    public static final String NAME = "clinc150-oos";
    public static final String OOS = "oos";
    static final String SPLIT = "oos_test";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Clinc150() {
    }

    public static LabeledData readOutOfScope(final Path json) {
        final String content;
        try {
            content = Files.readString(json);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + json, e);
        }
        return readOutOfScope(content, json);
    }

    static LabeledData readOutOfScope(final String content, final Path source) {
        final JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new DataSetFormatException(source, "not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new DataSetFormatException(source, 0, "expected a JSON object of splits");
        }
        final JsonNode split = root.get(SPLIT);
        if (split == null || !split.isArray()) {
            final List<String> keys = new ArrayList<>();
            root.fieldNames().forEachRemaining(keys::add);
            throw new DataSetFormatException(source, 0, "no \"" + SPLIT + "\" list; the keys are " + keys);
        }
        final List<LabeledText> texts = new ArrayList<>();
        int index = 0;
        for (Iterator<JsonNode> pairs = split.elements(); pairs.hasNext(); index++) {
            final JsonNode pair = pairs.next();
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                throw new DataSetFormatException(source, 0, SPLIT + "[" + index + "] is not a [text, intent] pair");
            }
            if (!OOS.equals(pair.get(1).asText())) {
                throw new DataSetFormatException(source, 0, SPLIT + "[" + index + "] has the intent \""
                        + pair.get(1).asText() + "\", not \"" + OOS + "\"");
            }
            final String text = pair.get(0).asText().strip();
            if (!text.isEmpty()) {
                texts.add(new LabeledText(text, OOS, "en"));
            }
        }
        if (texts.isEmpty()) {
            throw new DataSetFormatException(source, 0, SPLIT + " is empty");
        }
        return new LabeledData(NAME, List.of(OOS), texts);
    }
}
