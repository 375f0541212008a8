package dev.uprobebench.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Sleepable RCU: per-slot lock and unlock counts for two indices.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>{@link #readLock(int)} returns the index that the matching {@link #readUnlock(int, int)}
 *       must be given; sections nest and may block.</li>
 *   <li>{@link #synchronize()} returns only after every section that was running when it was
 *       called has ended. Readers never wait for writers.</li>
 *   <li>Read side: wait-free, two owner-only counter stores and two full fences; no shared line is
 *       written. {@link #synchronize()}: blocking.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * The counter-based SRCU of {@code kernel/rcu/srcu.c} before Tree SRCU (Lai Jiangshan and
 * Paul McKenney, 2012): {@code __srcu_read_lock} increments {@code lock_count[idx]} then
 * {@code smp_mb()} (B); {@code __srcu_read_unlock} has {@code smp_mb()} (C) then increments
 * {@code unlock_count[idx]}. {@code srcu_readers_active_idx_check} sums the unlocks, then
 * {@code smp_mb()}, then sums the locks; equal sums mean the index has drained.
 * {@code __synchronize_srcu} waits for the inactive index (readers that sampled it just before the
 * previous flip), flips, and waits for the formerly active one: two waits per grace period.
 */
public final class Srcu implements AutoCloseable {
    private static final int LOCK0 = 0;
    private static final int UNLOCK0 = 2;
    private static final VarHandle IDX;

    static {
        try {
            IDX = MethodHandles.lookup().findVarHandle(Srcu.class, "completed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SlotLongs counts;
    private final boolean brokenForTests;
    private final Object gpLock = new Object();
    @SuppressWarnings("unused") // accessed through IDX
    private volatile long completed;
    private volatile CallbackReclaimer reclaimer;
    private volatile boolean inlineCallbacks;

    public Srcu(int slots, boolean brokenForTests) {
        this.counts = new SlotLongs(slots, 4);
        this.brokenForTests = brokenForTests;
    }

    /** {@code srcu_read_lock()}: returns the index to pass to {@link #readUnlock}. */
    public int readLock(int slot) {
        int idx = (int) ((long) IDX.getOpaque(this) & 1);
        counts.incrementOpaque(slot, LOCK0 + idx, 1);
        VarHandle.fullFence(); // B
        return idx;
    }

    /** {@code srcu_read_unlock()}. */
    public void readUnlock(int slot, int idx) {
        VarHandle.fullFence(); // C
        counts.incrementOpaque(slot, UNLOCK0 + idx, 1);
    }

    /** {@code synchronize_srcu()}. */
    public void synchronize() {
        synchronize(true);
    }

    /** Test-only mutant: the grace period without its first wait (on the inactive index). */
    void synchronizeWithoutInactiveWaitForTests() {
        synchronize(false);
    }

    private void synchronize(boolean waitInactive) {
        if (!brokenForTests) {
            synchronized (gpLock) {
                long c = (long) IDX.get(this);
                int active = (int) (c & 1);
                if (waitInactive) {
                    waitDrained(active ^ 1);
                }
                IDX.setVolatile(this, c + 1);
                VarHandle.fullFence();
                waitDrained(active);
            }
        }
        VarHandle.fullFence();
    }

    private void waitDrained(int idx) {
        for (int i = 0; !drained(idx); i++) {
            Spin.pauseLong(i);
        }
    }

    private boolean drained(int idx) {
        long unlocks = 0;
        for (int s = 0; s < counts.slots(); s++) {
            unlocks += counts.getVolatile(s, UNLOCK0 + idx);
        }
        VarHandle.fullFence(); // A
        long locks = 0;
        for (int s = 0; s < counts.slots(); s++) {
            locks += counts.getVolatile(s, LOCK0 + idx);
        }
        return locks == unlocks;
    }

    /** {@code call_srcu()}. */
    public void call(Runnable callback) {
        if (inlineCallbacks) {
            synchronize();
            callback.run();
            return;
        }
        CallbackReclaimer r = reclaimer;
        if (r == null) {
            synchronized (this) {
                r = reclaimer;
                if (r == null) {
                    r = new CallbackReclaimer("srcu-reclaimer", this::synchronize);
                    reclaimer = r;
                }
            }
        }
        r.call(callback);
    }

    /** Test-only, before first use: as {@link Rcu#runCallbacksInline()}. */
    public void runCallbacksInline() {
        inlineCallbacks = true;
    }

    /** {@code srcu_barrier()}. */
    public void barrier() {
        CallbackReclaimer r = reclaimer;
        if (r != null) {
            r.barrier();
        }
    }

    /** Index flips so far: it moves on while a grace period waits for the old index. */
    long flipsOpaque() {
        return (long) IDX.getOpaque(this);
    }

    /** Sections entered and not left, summed over both indices (racy snapshot). */
    public long readersInside() {
        long n = 0;
        for (int i = 0; i < 2; i++) {
            n += counts.sumOpaque(LOCK0 + i) - counts.sumOpaque(UNLOCK0 + i);
        }
        return n;
    }

    @Override
    public void close() {
        CallbackReclaimer r = reclaimer;
        if (r != null) {
            r.close();
        }
    }
}
