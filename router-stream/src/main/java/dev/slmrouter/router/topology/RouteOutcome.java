package dev.slmrouter.router.topology;

import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.VolumeCount;

/**
 * What the route step emits for the topology to branch on: a routed request, a dead letter, or a
 * volume report for the compacted volume topic. Errors are data here, not exceptions, so a poison
 * record becomes a dead letter and never stops the application.
 */
sealed interface RouteOutcome {

    /**
     * @param originalValue the Confluent-framed bytes {@code request.request} was decoded from, so the
     *                      sink can copy them instead of encoding the request again (null: encode it)
     */
    record Routed(RoutedRequest request, byte[] originalValue) implements RouteOutcome {
    }

    record Rejected(DeadLetter deadLetter) implements RouteOutcome {
    }

    record VolumeReport(VolumeCount count) implements RouteOutcome {
    }
}
