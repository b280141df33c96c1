package dev.slmrouter.demo.traffic;

import dev.slmrouter.demo.datasets.LabeledText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One kind of classification traffic: labeled texts, the labels a request offers the model, and the
 * instruction a producer would send with them (as the system message; the text is the user message).
 *
 * @param name        where the texts come from, e.g. {@code banking77}; it ends up in the report
 * @param instruction the system message
 * @param labels      every label a request may offer; each text's own label is among them
 * @param texts       the labeled texts
 */
public record ClassificationSet(String name, String instruction, List<String> labels, List<LabeledText> texts) {

    public ClassificationSet {
        labels = List.copyOf(labels);
        texts = List.copyOf(texts);
        final Set<String> known = Set.copyOf(labels);
        for (LabeledText text : texts) {
            if (!known.contains(text.label())) {
                throw new IllegalArgumentException(name + ": the label " + text.label() + " of \"" + text.text()
                        + "\" is not among the labels");
            }
        }
    }

    LabeledText pick(final Random random) {
        return texts.get(random.nextInt(texts.size()));
    }

    /**
     * The labels one request offers: all of them when {@code perRequest} is 0 or at least their number,
     * else the text's own label and {@code perRequest - 1} others drawn at random, in the set's order.
     */
    List<String> labelsFor(final LabeledText text, final int perRequest, final Random random) {
        if (perRequest <= 0 || perRequest >= labels.size()) {
            return labels;
        }
        final Set<String> chosen = new HashSet<>();
        chosen.add(text.label());
        while (chosen.size() < perRequest) {
            chosen.add(labels.get(random.nextInt(labels.size())));
        }
        final List<String> ordered = new ArrayList<>(perRequest);
        labels.stream().filter(chosen::contains).forEach(ordered::add);
        return ordered;
    }
}
