package dev.slmrouter.router.policy;

import java.util.Map;
import java.util.Objects;

/**
 * The routing policy read from one policy file: a version stamped on every decision, the default
 * {@link TenantRules} and the rules of tenants that override them. Immutable; see
 * {@code default-policy.yaml} for the meaning of each field.
 */
public final class RoutingPolicy {

    private final String version;
    private final TenantRules defaults;
    private final Map<String, TenantRules> tenants;

    public RoutingPolicy(final String version, final TenantRules defaults, final Map<String, TenantRules> tenants) {
        this.version = Objects.requireNonNull(version, "version");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.tenants = Map.copyOf(tenants);
    }

    public String version() {
        return version;
    }

    /** The rules that apply to {@code tenant}: its overrides merged over the defaults. */
    public TenantRules rulesFor(final String tenant) {
        return tenants.getOrDefault(tenant, defaults);
    }

    public TenantRules defaults() {
        return defaults;
    }

    /** The daily-volume bands, the same for every tenant (volume is counted across tenants). */
    public VolumeBands volumeBands() {
        return defaults.volumeBands();
    }
}
