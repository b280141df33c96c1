package dev.slmrouter.worker.shadow;

import dev.slmrouter.events.TaskType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Which SLM-routed requests are shadowed, and how. A request is in the shadow sample when the hash of
 * its id falls below the sample rate of its task type and tenant: the same request always gets the same
 * answer, so a request redone after a crash is shadowed exactly when its first attempt was, and the
 * sample is spread evenly over time and partitions. A task type or tenant in the shadow-only stage is
 * answered by GPT for the user while the SLM answers in the shadow (every request, whatever the rate).
 */
public final class ShadowPolicy {

    public static final ShadowPolicy OFF = new ShadowPolicy(TaskTenantFractions.parse(0, ""), Set.of(), Set.of());

    private final TaskTenantFractions rates;
    private final Set<TaskType> shadowOnlyTaskTypes;
    private final Set<String> shadowOnlyTenants;

    public ShadowPolicy(final TaskTenantFractions rates, final Set<TaskType> shadowOnlyTaskTypes,
                        final Set<String> shadowOnlyTenants) {
        this.rates = rates;
        this.shadowOnlyTaskTypes = Set.copyOf(shadowOnlyTaskTypes);
        this.shadowOnlyTenants = Set.copyOf(shadowOnlyTenants);
    }

    /**
     * @param rates     the {@code TASK_TYPE:rate,tenant/NAME:rate} overrides of {@code defaultRate} (0-1)
     * @param stageOnly comma-separated task types and {@code tenant/NAME} entries in the shadow-only stage
     * @throws IllegalArgumentException naming the entry that cannot be read
     */
    public static ShadowPolicy parse(final double defaultRate, final String rates, final String stageOnly) {
        final Set<TaskType> types = EnumSet.noneOf(TaskType.class);
        final Set<String> tenants = new HashSet<>();
        for (final String entry : stageOnly.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            final String name = entry.trim();
            if (name.startsWith("tenant/")) {
                tenants.add(name.substring("tenant/".length()));
            } else {
                types.add(TaskTenantFractions.taskType(name));
            }
        }
        return new ShadowPolicy(TaskTenantFractions.parse(defaultRate, rates), types, tenants);
    }

    public boolean shadowOnly(final TaskType taskType, final String tenant) {
        return shadowOnlyTaskTypes.contains(taskType) || shadowOnlyTenants.contains(tenant);
    }

    public boolean sampled(final String requestId, final TaskType taskType, final String tenant) {
        final double rate = rates.valueFor(taskType, tenant);
        return rate > 0 && (rate >= 1 || unitHash(requestId) < rate);
    }

    /** True when nothing is ever shadowed. */
    public boolean off() {
        return rates.allZero() && shadowOnlyTaskTypes.isEmpty() && shadowOnlyTenants.isEmpty();
    }

    /** The request id's place in [0, 1): the top 53 bits of its SHA-256. */
    public static double unitHash(final String requestId) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(digest).getLong() >>> 11) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
