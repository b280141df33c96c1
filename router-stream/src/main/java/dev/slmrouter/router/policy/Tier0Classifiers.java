package dev.slmrouter.router.policy;

import dev.slmrouter.common.classify.ClassifierIndex;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.Tier;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tier-0 classifiers the policy knows (section {@code tier0} of the policy file): which classification
 * requests tier 0 may answer, and where tier 0 passes what it does not answer. Requests are matched to a
 * classifier by {@link ClassifierIndex}, as the tier-0 worker matches them.
 */
public final class Tier0Classifiers {

    /** No classifiers: tier 0 is off. */
    public static final Tier0Classifiers NONE = new Tier0Classifiers(List.of(), Tier.SLM);

    /** One classifier: its name, its exact label set and the languages its encoder reads. */
    public record Classifier(String name, Set<String> labels, Set<String> languages) {
        public Classifier {
            labels = Set.copyOf(labels);
            languages = Set.copyOf(languages);
        }
    }

    private final ClassifierIndex<Classifier> index;
    private final Tier fallbackTier;

    /** @throws IllegalArgumentException for two classifiers with one name or one label set */
    public Tier0Classifiers(final List<Classifier> classifiers, final Tier fallbackTier) {
        this.index = new ClassifierIndex<>(classifiers, Classifier::name, Classifier::labels);
        this.fallbackTier = fallbackTier;
    }

    public List<Classifier> all() {
        return index.all();
    }

    /** Where tier 0 sends a request it does not answer: SLM (its requests topic) or GPT (an escalation). */
    public Tier fallbackTier() {
        return fallbackTier;
    }

    /** The classifier that may answer {@code request}, before its language and task type are considered. */
    public Optional<Classifier> match(final InferenceRequest request) {
        if (index.isEmpty()) {
            return Optional.empty();
        }
        return index.find(request.getMetadata(), request.getLabels()) instanceof ClassifierIndex.Found<Classifier> found
                ? Optional.of(found.classifier()) : Optional.empty();
    }
}
