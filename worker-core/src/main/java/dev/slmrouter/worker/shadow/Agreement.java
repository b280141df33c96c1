package dev.slmrouter.worker.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slmrouter.events.ComparisonKind;
import dev.slmrouter.events.FieldAgreement;
import dev.slmrouter.events.InferenceRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agreement verdict between the SLM's and GPT's answers to one request, as the ShadowComparison
 * schema documents it: the same label for classification; every leaf field equal for JSON (numbers
 * by value, strings trimmed and case-blind), with each field's result; for free text the Dice
 * coefficient of the two answers' word multisets (lowercased, split on anything not a letter or digit),
 * agreeing at or above a configured minimum. Dice on words was chosen because it needs no model, is
 * symmetric, and is 1 for the same words in another order, which short extractive answers often are.
 */
public final class Agreement {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final double textMinimum;

    public Agreement(final double textMinimum) {
        if (!(textMinimum >= 0 && textMinimum <= 1)) {
            throw new IllegalArgumentException("the text agreement minimum must be from 0 to 1");
        }
        this.textMinimum = textMinimum;
    }

    /** The verdict: agreed and score null when either answer is missing (nothing to compare). */
    public record Verdict(Boolean agreed, Double score, List<FieldAgreement> fields) {
        static final Verdict NONE = new Verdict(null, null, List.of());
    }

    /** How a request's answers are compared: by label, by field, or as text. */
    public static ComparisonKind kindOf(final InferenceRequest request) {
        if (request.getLabels() != null && !request.getLabels().isEmpty()) {
            return ComparisonKind.LABEL;
        }
        return request.getResponseSchema() != null ? ComparisonKind.JSON : ComparisonKind.TEXT;
    }

    public Verdict compare(final ComparisonKind kind, final String slm, final String gpt) {
        if (slm == null || gpt == null) {
            return Verdict.NONE;
        }
        return switch (kind) {
            case LABEL -> {
                final boolean same = slm.equals(gpt);
                yield new Verdict(same, same ? 1.0 : 0.0, List.of());
            }
            case JSON -> json(slm, gpt);
            default -> {
                final double score = dice(slm, gpt);
                yield new Verdict(score >= textMinimum, score, List.of());
            }
        };
    }

    private static Verdict json(final String slm, final String gpt) {
        final JsonNode gptTree;
        try {
            gptTree = JSON.readTree(gpt);
        } catch (JsonProcessingException e) {
            return Verdict.NONE; // GPT's answer is not JSON: there is no reference to compare with
        }
        final Map<String, JsonNode> gptFields = leaves(gptTree);
        Map<String, JsonNode> slmFields;
        try {
            slmFields = leaves(JSON.readTree(slm));
        } catch (JsonProcessingException e) {
            slmFields = Map.of(); // not JSON: every field of GPT's answer is missing from it
        }
        final TreeMap<String, Boolean> paths = new TreeMap<>();
        slmFields.keySet().forEach(p -> paths.put(p, true));
        gptFields.keySet().forEach(p -> paths.put(p, true));
        final List<FieldAgreement> fields = new ArrayList<>(paths.size());
        int matched = 0;
        for (final String path : paths.keySet()) {
            final JsonNode a = slmFields.get(path);
            final JsonNode b = gptFields.get(path);
            final boolean same = a != null && b != null && sameValue(a, b);
            matched += same ? 1 : 0;
            fields.add(new FieldAgreement(path, a == null ? null : a.toString(), b == null ? null : b.toString(), same));
        }
        final double score = paths.isEmpty() ? 1.0 : (double) matched / paths.size();
        return new Verdict(matched == paths.size(), score, fields);
    }

    /** Leaf values by JSON Pointer; an empty object or array is a leaf of its own. */
    static Map<String, JsonNode> leaves(final JsonNode root) {
        final Map<String, JsonNode> out = new HashMap<>();
        collect("", root, out);
        return out;
    }

    private static void collect(final String path, final JsonNode node, final Map<String, JsonNode> out) {
        if (node.isObject() && !node.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                final Map.Entry<String, JsonNode> e = it.next();
                collect(path + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), e.getValue(), out);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            for (int i = 0; i < node.size(); i++) {
                collect(path + "/" + i, node.get(i), out);
            }
        } else {
            out.put(path.isEmpty() ? "/" : path, node);
        }
    }

    private static boolean sameValue(final JsonNode a, final JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().trim().equalsIgnoreCase(b.textValue().trim());
        }
        return a.equals(b);
    }

    /** Dice coefficient of the word multisets: 2|A ∩ B| / (|A| + |B|); 1 for two answers without words. */
    static double dice(final String a, final String b) {
        final Map<String, Integer> left = words(a);
        final Map<String, Integer> right = words(b);
        final int sizes = left.values().stream().mapToInt(Integer::intValue).sum()
                + right.values().stream().mapToInt(Integer::intValue).sum();
        if (sizes == 0) {
            return 1.0;
        }
        int common = 0;
        for (final Map.Entry<String, Integer> e : left.entrySet()) {
            common += Math.min(e.getValue(), right.getOrDefault(e.getKey(), 0));
        }
        return 2.0 * common / sizes;
    }

    private static Map<String, Integer> words(final String text) {
        final Map<String, Integer> counts = new HashMap<>();
        for (final String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        return counts;
    }
}
