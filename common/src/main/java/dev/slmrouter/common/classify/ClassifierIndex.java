package dev.slmrouter.common.classify;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Tier-0 classifiers found for a request by the classifier name it carries (metadata key
 * {@value #CLASSIFIER_KEY}) or by its exact label set. The router (which classifiers the policy knows) and
 * the tier-0 worker (which classifiers it serves) both match through this class, so they always agree on
 * which classifier a request means. Two classifiers with one name, or with one label set, are a
 * configuration error: which one answers must never depend on load order.
 *
 * @param <T> what is indexed: the router's policy entry or the worker's loaded classifier
 */
public final class ClassifierIndex<T> {

    /** The request metadata key that names a classifier (InferenceRequest has no field for it). */
    public static final String CLASSIFIER_KEY = "classifier";

    private final Map<String, T> byName = new LinkedHashMap<>();
    private final Map<Set<String>, T> byLabels = new LinkedHashMap<>();
    private final Function<T, String> nameOf;
    private final Function<T, Set<String>> labelsOf;

    /** @throws IllegalArgumentException for two classifiers with one name or one label set */
    public ClassifierIndex(final List<T> classifiers, final Function<T, String> nameOf,
                           final Function<T, Set<String>> labelsOf) {
        this.nameOf = nameOf;
        this.labelsOf = labelsOf;
        for (T c : classifiers) {
            if (byName.putIfAbsent(nameOf.apply(c), c) != null) {
                throw new IllegalArgumentException("two classifiers are named " + nameOf.apply(c));
            }
            final T other = byLabels.putIfAbsent(Set.copyOf(labelsOf.apply(c)), c);
            if (other != null) {
                throw new IllegalArgumentException("classifiers " + nameOf.apply(other) + " and " + nameOf.apply(c)
                        + " have the same label set: a request could not say which one answers");
            }
        }
    }

    public List<T> all() {
        return List.copyOf(byName.values());
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** The outcome of looking a request up. */
    public sealed interface Match<T> permits Found, NotFound {
    }

    public record Found<T>(T classifier) implements Match<T> {
    }

    public record NotFound<T>(String reason) implements Match<T> {
    }

    /**
     * The classifier for a request with this metadata and these labels: by the name in {@code metadata}
     * when given (its labels, if the request lists any, must be that classifier's exact set), else by the
     * exact set of {@code labels}.
     */
    public Match<T> find(final Map<String, String> metadata, final List<String> labels) {
        final String name = metadata == null ? null : metadata.get(CLASSIFIER_KEY);
        final Set<String> labelSet = labels == null ? null : new HashSet<>(labels);
        if (name != null && !name.isBlank()) {
            final T c = byName.get(name.trim());
            if (c == null) {
                return new NotFound<>("no tier-0 classifier named '" + name.trim() + "' (known: "
                        + byName.keySet().stream().sorted().toList() + ")");
            }
            if (labelSet != null && !labelSet.equals(labelsOf.apply(c))) {
                return new NotFound<>("the request's " + labelSet.size() + " labels are not the label set of classifier '"
                        + nameOf.apply(c) + "' (" + labelsOf.apply(c).size() + " labels)");
            }
            return new Found<>(c);
        }
        if (labelSet == null || labelSet.isEmpty()) {
            return new NotFound<>("the request names no classifier and lists no labels");
        }
        final T c = byLabels.get(labelSet);
        if (c == null) {
            return new NotFound<>("no tier-0 classifier has this exact set of " + labelSet.size() + " labels");
        }
        return new Found<>(c);
    }
}
