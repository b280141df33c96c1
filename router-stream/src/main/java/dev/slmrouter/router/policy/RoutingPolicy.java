package dev.slmrouter.router.policy;

import java.util.Map;
import java.util.Objects;

/**
 * The routing policy read from one policy file: a version stamped on every decision, the default
 * {@link TenantRules}, the rules of tenants that override them and the tier-0 classifiers. Immutable; see
 * {@code default-policy.yaml} for the meaning of each field.
 */
public final class RoutingPolicy {

    private final String version;
    private final TenantRules defaults;
    private final Map<String, TenantRules> tenants;
    private final Tier0Classifiers tier0;

    public RoutingPolicy(final String version, final TenantRules defaults, final Map<String, TenantRules> tenants,
                         final Tier0Classifiers tier0) {
        this.version = Objects.requireNonNull(version, "version");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.tenants = Map.copyOf(tenants);
        this.tier0 = Objects.requireNonNull(tier0, "tier0");
    }

    public String version() {
        return version;
    }

    /** The rules that apply to {@code tenant}: its overrides merged over the defaults. */
    public TenantRules rulesFor(final String tenant) {
        return tenants.getOrDefault(tenant, defaults);
    }

    /** The tier-0 classifiers ({@link Tier0Classifiers#NONE} when the file has no {@code tier0} section). */
    public Tier0Classifiers tier0() {
        return tier0;
    }

    public TenantRules defaults() {
        return defaults;
    }

    /** The daily-volume bands, the same for every tenant (volume is counted across tenants). */
    public VolumeBands volumeBands() {
        return defaults.volumeBands();
    }
}
