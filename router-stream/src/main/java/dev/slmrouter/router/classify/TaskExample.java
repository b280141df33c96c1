package dev.slmrouter.router.classify;

import dev.slmrouter.events.TaskType;
import java.util.Objects;

/**
 * One labeled training (or evaluation) example for the task-type classifier: the prompt a producer
 * would send as its last user message, and the request's structure that matters for classification
 * (whether it carried {@code labels} or a {@code response_schema}, and how many messages it had).
 * The structure is part of the example, not guessed from its type, so that the model learns from
 * data how much a {@code labels} list says about the task.
 *
 * @param taskType     the true task type; never {@link TaskType#UNKNOWN}
 * @param prompt       the prompt text, non-empty
 * @param hasLabels    whether the request carried a {@code labels} list
 * @param hasSchema    whether the request carried a {@code response_schema}
 * @param messageCount number of messages in the request (at least 1)
 */
public record TaskExample(TaskType taskType, String prompt, boolean hasLabels, boolean hasSchema, int messageCount) {

    public TaskExample {
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(prompt, "prompt");
        if (taskType == TaskType.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN is not a trainable task type");
        }
        if (prompt.isBlank()) {
            throw new IllegalArgumentException("prompt must not be blank");
        }
        if (messageCount < 1) {
            throw new IllegalArgumentException("messageCount must be at least 1, was " + messageCount);
        }
    }

    /** A single-message example without labels or schema. */
    public static TaskExample of(TaskType taskType, String prompt) {
        return new TaskExample(taskType, prompt, false, false, 1);
    }
}
