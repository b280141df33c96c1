package dev.slmrouter.worker.shadow;

import dev.slmrouter.events.TaskType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A fraction from 0 to 1 per task type and tenant, with a default: the SLM's confidence thresholds and
 * the shadow sample rates are both set this way. Written as one setting so it fits an environment
 * variable: {@code CLASSIFICATION:0.9,EXTRACTION:0.8,tenant/acme-legal:0.95}; the tenant's value wins
 * over the task type's.
 */
public final class TaskTenantFractions {

    private final double defaultValue;
    private final Map<TaskType, Double> byTaskType;
    private final Map<String, Double> byTenant;

    private TaskTenantFractions(final double defaultValue, final Map<TaskType, Double> byTaskType,
                                final Map<String, Double> byTenant) {
        this.defaultValue = defaultValue;
        this.byTaskType = byTaskType;
        this.byTenant = byTenant;
    }

    /**
     * @param overrides comma-separated {@code TASK_TYPE:value} and {@code tenant/NAME:value} entries; may be blank
     * @throws IllegalArgumentException naming the entry that cannot be read
     */
    public static TaskTenantFractions parse(final double defaultValue, final String overrides) {
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
                byTaskType.put(taskType(name), value);
            }
        }
        return new TaskTenantFractions(defaultValue, byTaskType, byTenant);
    }

    /** A task type by name, ignoring case. */
    public static TaskType taskType(final String name) {
        try {
            return TaskType.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name.trim() + "' is neither a task type nor tenant/NAME", e);
        }
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

    public double valueFor(final TaskType taskType, final String tenant) {
        final Double tenantValue = byTenant.get(tenant);
        if (tenantValue != null) {
            return tenantValue;
        }
        return byTaskType.getOrDefault(taskType, defaultValue);
    }

    /** True when no task type or tenant can get a value above 0. */
    public boolean allZero() {
        return defaultValue == 0 && byTaskType.values().stream().allMatch(v -> v == 0)
                && byTenant.values().stream().allMatch(v -> v == 0);
    }
}
