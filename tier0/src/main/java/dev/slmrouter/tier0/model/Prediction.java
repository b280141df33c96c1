package dev.slmrouter.tier0.model;

/** A classifier's answer: the most probable label and its softmax probability (the confidence). */
public record Prediction(String label, double confidence, long encodeNanos) {
}
