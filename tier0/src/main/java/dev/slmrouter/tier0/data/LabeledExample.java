package dev.slmrouter.tier0.data;

/** One labeled text. */
public record LabeledExample(String text, String label) {

    public LabeledExample {
        if (text == null || label == null) {
            throw new IllegalArgumentException("text and label are required");
        }
    }
}
