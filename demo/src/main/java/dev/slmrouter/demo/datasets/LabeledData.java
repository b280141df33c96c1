package dev.slmrouter.demo.datasets;

import java.util.List;

/**
 * A labeled data set as read from its files: a name for reports, every label it uses (in the order
 * first seen, or the data set's own order), and its examples.
 */
public record LabeledData(String name, List<String> labels, List<LabeledText> texts) {

    public LabeledData {
        labels = List.copyOf(labels);
        texts = List.copyOf(texts);
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("The data set " + name + " has no examples");
        }
    }
}
