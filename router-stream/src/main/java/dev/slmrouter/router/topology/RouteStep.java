package dev.slmrouter.router.topology;

import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.router.dedupe.DedupeSettings;
import dev.slmrouter.router.metrics.RouterMetrics;
import dev.slmrouter.router.routing.RoutingDecider;
import dev.slmrouter.router.validation.RequestValidator;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Everything the route processor needs, built once per application and shared by its stream tasks
 * (all members are thread-safe).
 *
 * @param requestDeserializer decodes llm.requests values (Confluent-framed Avro)
 * @param volumeEmitInterval  how often each task publishes its counts and re-reads the fleet's volume
 * @param dedupe              how a second request with a routed request id is recognised and dead-lettered
 */
public record RouteStep(
        Deserializer<InferenceRequest> requestDeserializer,
        RequestValidator validator,
        RoutingDecider decider,
        RouterMetrics metrics,
        Duration volumeEmitInterval,
        DedupeSettings dedupe,
        Clock clock) {
}
