package dev.slmrouter.slm.judge;

import dev.slmrouter.events.TaskType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The confidence an SLM answer needs before it is final: a default (0.85), overridden per task type
 * and per tenant (the tenant's value wins). Written as one setting so it fits an environment variable:
 * {@code CLASSIFICATION:0.9,EXTRACTION:0.8,tenant/acme-legal:0.95}.
 */
public final class ConfidenceThresholds {

    private final double defaultThreshold;
    private final Map<TaskType, Double> byTaskType;
    private final Map<String, Double> byTenant;

    private ConfidenceThresholds(final double defaultThreshold, final Map<TaskType, Double> byTaskType,
                                 final Map<String, Double> byTenant) {
        this.defaultThreshold = defaultThreshold;
        this.byTaskType = byTaskType;
        this.byTenant = byTenant;
    }

    /**
     * @param overrides comma-separated {@code TASK_TYPE:value} and {@code tenant/NAME:value} entries; may be blank
     * @throws IllegalArgumentException naming the entry that cannot be read
     */
    public static ConfidenceThresholds parse(final double defaultThreshold, final String overrides) {
        final Map<TaskType, Double> byTaskType = new EnumMap<>(TaskType.class);
        final Map<String, Double> byTenant = new HashMap<>();
        for (String entry : overrides.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            final int colon = entry.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + entry.trim() + "' is not NAME:value");
            }
            final String name = entry.substring(0, colon).trim();
            final double value = fraction(entry.substring(colon + 1).trim(), entry);
            if (name.startsWith("tenant/")) {
                byTenant.put(name.substring("tenant/".length()), value);
            } else {
                try {
                    byTaskType.put(TaskType.valueOf(name.toUpperCase(Locale.ROOT)), value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + name + "' is neither a task type nor tenant/NAME", e);
                }
            }
        }
        return new ConfidenceThresholds(defaultThreshold, byTaskType, byTenant);
    }

    private static double fraction(final String text, final String entry) {
        try {
            final double value = Double.parseDouble(text);
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("'" + entry.trim() + "' needs a value from 0 to 1");
    }

    public double thresholdFor(final TaskType taskType, final String tenant) {
        final Double tenantValue = byTenant.get(tenant);
        if (tenantValue != null) {
            return tenantValue;
        }
        return byTaskType.getOrDefault(taskType, defaultThreshold);
    }
}
