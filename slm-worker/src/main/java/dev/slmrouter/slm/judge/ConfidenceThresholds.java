package dev.slmrouter.slm.judge;

import dev.slmrouter.events.TaskType;
import dev.slmrouter.worker.shadow.TaskTenantFractions;

/**
 * The confidence an SLM answer needs before it is final: a default (0.85), overridden per task type
 * and per tenant (the tenant's value wins). Written as one setting so it fits an environment variable:
 * {@code CLASSIFICATION:0.9,EXTRACTION:0.8,tenant/acme-legal:0.95}.
 */
public final class ConfidenceThresholds {

    private final TaskTenantFractions values;

    private ConfidenceThresholds(final TaskTenantFractions values) {
        this.values = values;
    }

    /**
     * @param overrides comma-separated {@code TASK_TYPE:value} and {@code tenant/NAME:value} entries; may be blank
     * @throws IllegalArgumentException naming the entry that cannot be read
     */
    public static ConfidenceThresholds parse(final double defaultThreshold, final String overrides) {
        return new ConfidenceThresholds(TaskTenantFractions.parse(defaultThreshold, overrides));
    }

    public double thresholdFor(final TaskType taskType, final String tenant) {
        return values.valueFor(taskType, tenant);
    }
}
