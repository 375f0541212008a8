package dev.uprobebench.sync;

/**
 * Where a registry (or an address space) gets its grace-period primitives: RCU of a flavour, SRCU
 * domains, and the worker that runs a uprobe's last-put work ({@code uprobe->work} on
 * {@code system_wq}). Main has one implementation, {@link #KERNEL}: the primitives as the kernel
 * has them. Tests give other ones from their own sources (grace periods that end at once, the
 * mutant the checker must catch; callbacks run inline for the model checkers, which schedule only
 * the scenario's own threads), so that no test-only switch sits in main.
 */
public interface GracePeriods {
    /** {@code rcu_read_lock()} and friends, of {@code flavour}, for {@code slots} per-CPU slots. */
    Rcu rcu(RcuFlavour flavour, int slots);

    /** A fenced SRCU domain ({@code srcu_read_lock} with {@code smp_mb()}). */
    Srcu srcu(int slots);

    /** An SRCU-fast-updown domain whose grace periods run {@code asymmetricBarrier}. */
    Srcu srcuFastUpDown(int slots, Runnable asymmetricBarrier);

    /**
     * The worker for deferred put work, or null for none: the work then runs on the putting
     * thread (model checkers only; {@link #KERNEL} always has a worker).
     */
    CallbackReclaimer putWork(String name);

    /** The primitives as the kernel has them. */
    GracePeriods KERNEL = new GracePeriods() {
        @Override
        public Rcu rcu(RcuFlavour flavour, int slots) {
            return Rcu.create(flavour, slots);
        }

        @Override
        public Srcu srcu(int slots) {
            return new Srcu(slots);
        }

        @Override
        public Srcu srcuFastUpDown(int slots, Runnable asymmetricBarrier) {
            return Srcu.fastUpDown(slots, asymmetricBarrier);
        }

        @Override
        public CallbackReclaimer putWork(String name) {
            return new CallbackReclaimer(name, () -> {
            });
        }

        @Override
        public String toString() {
            return "kernel";
        }
    };
}
