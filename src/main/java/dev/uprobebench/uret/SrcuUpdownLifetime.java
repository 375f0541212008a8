package dev.uprobebench.uret;

import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.ReturnProbeSupport;
import dev.uprobebench.sync.CpuSlot;

/**
 * {@code srcu-updown}: hprobe's lease and state machine ({@link HprobeLifetime}) on an
 * SRCU-fast-updown domain (P. McKenney, 2025: "get rid of the read-side memory barriers while still
 * allowing entering the reader at task level while exiting it in a timer handler"). Entry and both
 * unlocks ({@code srcu_read_lock_fast_updown}, {@code srcu_read_unlock_fast_updown}) are a per-CPU
 * counter increment with no fence.
 *
 * <p><b>The asymmetric fence.</b> Java 17 has no {@code membarrier()}. The domain's grace period
 * runs a grace period of the registry's RCU where a fenced SRCU has {@code smp_mb()}
 * ({@link dev.uprobebench.sync.Srcu#fastUpDown}), exactly the kernel's trade for SRCU-fast readers
 * ({@code synchronize_rcu()} in {@code srcu_readers_active_idx_check}). That is sound because every
 * lock and unlock here happens inside a read section of that RCU: the entry inside the hit's, the
 * return inside {@code handle_trampoline}'s, the timer inside its own. The reader saves two fences
 * per lease; each drain check of a grace period costs an RCU grace period instead.
 */
public final class SrcuUpdownLifetime extends HprobeLifetime {
    SrcuUpdownLifetime(ReturnProbeSupport registry, InvariantCounters invariants, LeaseHooks hooks) {
        super(registry, invariants, hooks);
        if (!registry.uretprobeDomain().isFast()) {
            throw new IllegalArgumentException("srcu-updown needs a registry built with a fast up/down uretprobes_srcu "
                    + "(RegistryConfig.withFastUretprobeSrcu)");
        }
    }

    @Override
    public Lifetime design() {
        return Lifetime.SRCU_UPDOWN;
    }

    @Override
    protected int srcuLock(CpuSlot slot) {
        return domain().readLockFast(slot.id());
    }

    @Override
    protected void srcuUnlock(CpuSlot slot, int idx) {
        domain().readUnlockFast(slot.id(), idx);
    }
}
