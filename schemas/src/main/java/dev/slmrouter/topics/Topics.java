package dev.slmrouter.topics;

import dev.slmrouter.events.Alert;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.ShadowRequest;
import dev.slmrouter.events.VolumeCount;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The names of every topic of the system, in one place. Each name comes from a setting
 * ({@code topic.requests} / env {@code TOPIC_REQUESTS}, ...) with the documented default, so no
 * topology or worker hard-codes a name.
 */
public record Topics(
        Topic<InferenceRequest> requests,
        Topic<RoutedRequest> slmRequests,
        Topic<RoutedRequest> gptRequests,
        Topic<RoutedRequest> tier0Requests,
        Topic<Escalation> escalations,
        Topic<InferenceResult> results,
        Topic<DeadLetter> deadLetters,
        Topic<VolumeCount> volume,
        Topic<ShadowRequest> shadowRequests,
        Topic<ShadowComparison> shadowComparisons,
        Topic<Alert> alerts) {

    public static final String REQUESTS_KEY = "topic.requests";
    public static final String SLM_KEY = "topic.requests.slm";
    public static final String GPT_KEY = "topic.requests.gpt";
    public static final String TIER0_KEY = "topic.requests.tier0";
    public static final String ESCALATIONS_KEY = "topic.escalations";
    public static final String RESULTS_KEY = "topic.results";
    public static final String DLQ_KEY = "topic.dlq";
    public static final String VOLUME_KEY = "topic.volume";
    public static final String ALERTS_KEY = "topic.alerts";
    public static final String SHADOW_REQUESTS_KEY = "topic.shadow.requests";
    public static final String SHADOW_KEY = "topic.shadow";

    /** The default names: llm.requests, llm.requests.slm, ... */
    public static Topics defaults() {
        return from((key, defaultName) -> defaultName);
    }

    /** Names looked up by setting key, each with its default: {@code (key, default) -> name}. */
    public static Topics from(final BiFunction<String, String, String> lookup) {
        return new Topics(
                new Topic<>(lookup.apply(REQUESTS_KEY, "llm.requests"), InferenceRequest.class),
                new Topic<>(lookup.apply(SLM_KEY, "llm.requests.slm"), RoutedRequest.class),
                new Topic<>(lookup.apply(GPT_KEY, "llm.requests.gpt"), RoutedRequest.class),
                new Topic<>(lookup.apply(TIER0_KEY, "llm.requests.tier0"), RoutedRequest.class),
                new Topic<>(lookup.apply(ESCALATIONS_KEY, "llm.escalations"), Escalation.class),
                new Topic<>(lookup.apply(RESULTS_KEY, "llm.results"), InferenceResult.class),
                new Topic<>(lookup.apply(DLQ_KEY, "llm.dlq"), DeadLetter.class),
                new Topic<>(lookup.apply(VOLUME_KEY, "llm.volume"), VolumeCount.class),
                new Topic<>(lookup.apply(SHADOW_REQUESTS_KEY, "llm.shadow.requests"), ShadowRequest.class),
                new Topic<>(lookup.apply(SHADOW_KEY, "llm.shadow"), ShadowComparison.class),
                new Topic<>(lookup.apply(ALERTS_KEY, "llm.alerts"), Alert.class));
    }

    /** Every topic name, for creation and start-up checks. */
    public List<String> allNames() {
        return List.of(requests.name(), slmRequests.name(), gptRequests.name(), tier0Requests.name(), escalations.name(),
                shadowRequests.name(), shadowComparisons.name(),
                results.name(), deadLetters.name(), volume.name(), alerts.name());
    }
}
