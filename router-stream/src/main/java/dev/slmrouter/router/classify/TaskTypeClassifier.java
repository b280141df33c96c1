package dev.slmrouter.router.classify;

import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.TaskType;

/**
 * Infers the task type of a request that came without a producer hint. Implementations must be
 * thread-safe and fast enough to run inside a Kafka Streams processor (microseconds to a few ms).
 * A semantic (embedding) classifier can be added beside the n-gram one behind this interface.
 */
public interface TaskTypeClassifier {

    /** The most likely task type and the classifier's confidence in it (0-1). */
    TaskPrediction classify(InferenceRequest request);

    /** A classifier's answer: the type and its probability. */
    record TaskPrediction(TaskType taskType, double confidence) {
    }
}
