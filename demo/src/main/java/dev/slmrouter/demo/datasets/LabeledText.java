package dev.slmrouter.demo.datasets;

/**
 * One example of a labeled data set: the text a customer or user wrote, its gold label, and its
 * language (ISO 639-1).
 */
public record LabeledText(String text, String label, String language) {
}
