package dev.uprobebench.sync;

/**
 * Broken variants of the writers' protocols of {@code sync/} (docs/ablation.md), each one step of
 * the code moved or dropped through the seam the code leaves for it; nothing in main overrides
 * those seams. Each variant has a test that fails on it and passes on the code.
 */
final class AblationDoubles {
    private AblationDoubles() {
    }

    /** {@code rcu_sync_enter()} with its grace period first and the state stored after it. */
    static RcuSync syncGracePeriodBeforeState(Rcu rcu) {
        return new RcuSync(rcu) {
            @Override
            public void enter() {
                if (isIdle()) {
                    waitGracePeriod();
                }
                leaveIdle();
            }
        };
    }

    /** {@code rcu_sync_exit()} whose queued callback idles whatever happened since (no state, no ticket). */
    static RcuSync syncExitIdlingUnconditionally(Rcu rcu) {
        return new RcuSync(rcu) {
            @Override
            boolean stillExiting(long ticket) {
                return true;
            }
        };
    }

    /** The per-CPU RW semaphore whose writer scans for readers before it blocks new ones. */
    static PercpuRwSemaphore rwsemScanningBeforeBlocking(Rcu rcu, int slots) {
        return new PercpuRwSemaphore(rcu, slots) {
            @Override
            void blockThenDrain() {
                awaitReadersGone();
                blockNewReaders();
            }
        };
    }

    /**
     * The rwlock writer's broken step: from a word with {@code WAITING} and no {@code LOCKED}, take
     * the lock whatever readers are still counted in it (the code waits for an exact
     * {@code WAITING} word).
     */
    static boolean lockOverReaders(RwSpinLock lock) {
        long c = lock.wordOpaque();
        return (c & RwSpinLock.WRITER_MASK) == RwSpinLock.WRITER_WAITING
                && lock.compareAndSetWord(c, c - RwSpinLock.WRITER_WAITING + RwSpinLock.WRITER_LOCKED);
    }
}
