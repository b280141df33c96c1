package dev.slmrouter.tier0.worker;

import dev.slmrouter.tier0.model.Tier0Classifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The classifiers a worker serves, found for a request by the classifier name it carries (metadata key
 * {@code classifier}) or by its exact label set. Two classifiers with one name, or with one label set,
 * are a configuration error: which one answers must never depend on load order.
 */
public final class ClassifierCatalog {

    /** The request metadata key that names a classifier (InferenceRequest has no field for it). */
    public static final String CLASSIFIER_KEY = "classifier";

    private final Map<String, Tier0Classifier> byName = new HashMap<>();
    private final Map<Set<String>, Tier0Classifier> byLabels = new HashMap<>();

    public ClassifierCatalog(final List<Tier0Classifier> classifiers) {
        for (Tier0Classifier c : classifiers) {
            if (byName.putIfAbsent(c.name(), c) != null) {
                throw new IllegalArgumentException("two classifiers are named " + c.name());
            }
            final Tier0Classifier other = byLabels.putIfAbsent(c.labelSet(), c);
            if (other != null) {
                throw new IllegalArgumentException("classifiers " + other.name() + " and " + c.name()
                        + " have the same label set: a request could not say which one answers");
            }
        }
    }

    public List<Tier0Classifier> all() {
        return List.copyOf(byName.values());
    }

    /** The outcome of looking a request up. */
    public sealed interface Match permits Found, NotFound {
    }

    public record Found(Tier0Classifier classifier) implements Match {
    }

    public record NotFound(String reason) implements Match {
    }

    /**
     * The classifier for a request: by {@code name} when given (its labels, if the request lists any, must
     * be that classifier's exact set), else by the exact set of {@code labels}.
     */
    public Match find(final String name, final List<String> labels) {
        final Set<String> labelSet = labels == null ? null : new HashSet<>(labels);
        if (name != null && !name.isBlank()) {
            final Tier0Classifier c = byName.get(name.trim());
            if (c == null) {
                return new NotFound("no tier-0 classifier named '" + name.trim() + "' (this worker has "
                        + byName.keySet().stream().sorted().toList() + ")");
            }
            if (labelSet != null && !labelSet.equals(c.labelSet())) {
                return new NotFound("the request's " + labelSet.size() + " labels are not the label set of classifier '"
                        + c.name() + "' (" + c.labelSet().size() + " labels)");
            }
            return new Found(c);
        }
        if (labelSet == null || labelSet.isEmpty()) {
            return new NotFound("the request names no classifier and lists no labels");
        }
        final Tier0Classifier c = byLabels.get(labelSet);
        if (c == null) {
            return new NotFound("no tier-0 classifier has this exact set of " + labelSet.size() + " labels");
        }
        return new Found(c);
    }
}
