package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.sync.Rcu;

/**
 * The lockless-tree back-ends that run on {@link Rcu} ({@code seqcount-rcu}, its RFC control and
 * {@code percpu-ref}): the RCU of the profile's flavour, {@code call_rcu} frees, and
 * {@code synchronize_rcu} / {@code rcu_barrier} for the registry's waits. Each subclass keeps its
 * own hit path, which is where the designs differ.
 */
abstract class RcuTreeRegistry extends SeqcountTreeRegistry implements RcuReaders {
    protected final Rcu rcu;

    RcuTreeRegistry(Backend backend, RegistryConfig config) {
        super(backend, config);
        this.rcu = config.gracePeriods().rcu(config.rcuFlavour(), config.slots());
    }

    @Override
    protected void deferFree(Uprobe u) {
        rcu.call(() -> slab.free(u));
    }

    @Override
    protected long graceEpoch() {
        return rcu.completedAcquire();
    }

    @Override
    public void barrier() {
        rcu.barrier();
    }

    @Override
    public void synchronize() {
        rcu.synchronize();
    }

    /** Adds the RCU readers still inside a section (or online, for QSBR) at teardown. */
    @Override
    protected long internalLeaks() {
        return super.internalLeaks() + rcu.readersInside();
    }

    @Override
    public final Rcu rcu() {
        return rcu;
    }
}
