package dev.slmrouter.router.routing;

import dev.slmrouter.events.TaskType;

/** How many requests of a task type all routers saw in the last 24 hours (approximate). */
@FunctionalInterface
public interface VolumeView {

    long dailyVolume(TaskType taskType);

    /** No traffic seen yet: every task type is in the lowest band. */
    VolumeView NONE = taskType -> 0L;
}
