package dev.uprobebench.registry;

import dev.uprobebench.sync.GracePeriods;
import dev.uprobebench.sync.RcuFlavour;

/**
 * What a back-end is built with.
 *
 * @param slabCapacity number of preallocated uprobes
 * @param slots number of per-CPU slots (one per reader and writer thread, plus the harness)
 * @param stepBound tree steps after which a lookup counts as lost
 * @param rcuFlavour RCU read side for the RCU-based back-ends
 * @param hooks test-only interleaving points, and the seqcount retry a test double may take away
 * @param gracePeriods where the back-end's RCU and SRCU come from: {@link GracePeriods#KERNEL}
 *     always in main; tests give broken or inline ones from their own sources
 * @param fastUretprobeSrcu {@code uretprobes_srcu} is an SRCU-fast-updown domain (the
 *     {@code srcu-updown} return-probe lifetime) rather than a fenced SRCU domain
 */
public record RegistryConfig(int slabCapacity, int slots, int stepBound, RcuFlavour rcuFlavour, RaceHooks hooks,
        GracePeriods gracePeriods, boolean fastUretprobeSrcu) {
    public static final int DEFAULT_STEP_BOUND = 1024;

    public RegistryConfig {
        if (slabCapacity < 1) {
            throw new IllegalArgumentException("slab capacity must be >= 1, got " + slabCapacity);
        }
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        if (stepBound < 64) {
            throw new IllegalArgumentException("step bound must be >= 64 (twice the height of any tree that fits in memory), got "
                    + stepBound);
        }
        if (gracePeriods == null) {
            throw new IllegalArgumentException("grace periods are required (GracePeriods.KERNEL)");
        }
        if (rcuFlavour == null) {
            throw new IllegalArgumentException("an RCU flavour is required; valid: " + RcuFlavour.names());
        }
    }

    public static RegistryConfig of(int slabCapacity, int slots) {
        return new RegistryConfig(slabCapacity, slots, DEFAULT_STEP_BOUND, RcuFlavour.QSBR, RaceHooks.NONE,
                GracePeriods.KERNEL, false);
    }

    public RegistryConfig withHooks(RaceHooks h) {
        return new RegistryConfig(slabCapacity, slots, stepBound, rcuFlavour, h, gracePeriods, fastUretprobeSrcu);
    }

    public RegistryConfig withRcuFlavour(RcuFlavour f) {
        return new RegistryConfig(slabCapacity, slots, stepBound, f, hooks, gracePeriods, fastUretprobeSrcu);
    }

    /** With other grace-period primitives (tests: broken, or inline for model checking). */
    public RegistryConfig withGracePeriods(GracePeriods g) {
        return new RegistryConfig(slabCapacity, slots, stepBound, rcuFlavour, hooks, g, fastUretprobeSrcu);
    }

    /** {@code uretprobes_srcu} as an SRCU-fast-updown domain, for the {@code srcu-updown} lifetime. */
    public RegistryConfig withFastUretprobeSrcu() {
        return new RegistryConfig(slabCapacity, slots, stepBound, rcuFlavour, hooks, gracePeriods, true);
    }
}
