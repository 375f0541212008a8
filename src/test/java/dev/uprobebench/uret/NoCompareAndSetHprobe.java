package dev.uprobebench.uret;

import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.ReturnProbeSupport;

/**
 * The hprobe design with its two atomic steps taken apart: the return reads the state and then
 * writes CONSUMED, the timer writes its new state without comparing. Both can then see LEASED and
 * both unlock the lease, which the checker must count as a lease-unlock violation.
 */
final class NoCompareAndSetHprobe extends HprobeLifetime {
    NoCompareAndSetHprobe(ReturnProbeSupport registry, InvariantCounters invariants, LeaseHooks hooks) {
        super(registry, invariants, hooks);
    }

    @Override
    int exchangeForConsumed(ReturnInstance ri) {
        int s = ri.stateAcquire();
        ri.setStateVolatile(ReturnInstance.CONSUMED);
        return s;
    }

    @Override
    boolean claimFromLeased(ReturnInstance ri, int next) {
        ri.setStateVolatile(next);
        return true;
    }
}
