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
 *
 * <h2>The fast up/down read side</h2>
 * A domain made with {@link #fastUpDown} also has {@link #readLockFast} and {@link #readUnlockFast}:
 * P. McKenney's SRCU-fast-updown (2025), whose read side has no memory barrier and whose unlock may
 * run on another thread than the lock (a timer). The fences B and C move to the update side as an
 * <em>asymmetric</em> barrier: where {@code srcu_readers_active_idx_check} and {@code srcu_flip}
 * would run {@code smp_mb()} (A, and after the flip), a fast domain runs {@code synchronize_rcu()}
 * instead, as the kernel does when {@code SRCU_READ_FLAVOR_SLOWGP} readers were seen. Java 17 has no
 * {@code membarrier()}; the barrier here is an RCU grace period of the caller's choosing, which
 * orders every counter update made inside one of that RCU's read sections. The contract that makes
 * this sound: every fast lock and unlock happens inside a read section of that RCU (in the kernel,
 * the fast read side runs with preemption or interrupts disabled, which is an RCU reader). The
 * reader's price moves into the grace period: each drain check costs one RCU grace period.
 */
public class Srcu implements AutoCloseable {
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
    /** The fast domain's asymmetric barrier ({@code synchronize_rcu}), or null for a fenced domain. */
    private final Runnable asymmetricBarrier;
    // Written under gpLock, read without it (a racy but untorn snapshot: never blocks on a grace period).
    private volatile long gracePeriods;
    /**
     * Grace periods the callers of {@link #synchronize} were told are over (the age oracle's clock):
     * counted outside the grace period proper, so that a broken one still moves it.
     */
    private final java.util.concurrent.atomic.AtomicLong gracePeriodsDone = new java.util.concurrent.atomic.AtomicLong();
    private volatile long graceNanos;
    private volatile long graceMaxNanos;
    private final Object gpLock = new Object();
    @SuppressWarnings("unused") // accessed through IDX
    private volatile long completed;
    private volatile CallbackReclaimer reclaimer;

    public Srcu(int slots) {
        this(slots, null);
    }

    /** A fenced domain ({@code asymmetricBarrier} null) or a fast one; subclassed by test doubles only. */
    protected Srcu(int slots, Runnable asymmetricBarrier) {
        this.counts = new SlotLongs(slots, 4);
        this.asymmetricBarrier = asymmetricBarrier;
    }

    /**
     * An SRCU-fast-updown domain: {@link #readLockFast} and {@link #readUnlockFast} have no fence,
     * and every grace period runs {@code asymmetricBarrier} (an RCU grace period whose read sections
     * enclose every fast lock and unlock) where the fenced domain has a full fence.
     */
    public static Srcu fastUpDown(int slots, Runnable asymmetricBarrier) {
        if (asymmetricBarrier == null) {
            throw new IllegalArgumentException("a fast up/down SRCU domain needs an asymmetric barrier");
        }
        return new Srcu(slots, asymmetricBarrier);
    }

    /** True for a {@link #fastUpDown} domain. */
    public final boolean isFast() {
        return asymmetricBarrier != null;
    }
    /** {@code srcu_read_lock()}: returns the index to pass to {@link #readUnlock}. */
    public final int readLock(int slot) {
        int idx = (int) ((long) IDX.getOpaque(this) & 1);
        counts.incrementOpaque(slot, LOCK0 + idx, 1);
        fenceB();
        return idx;
    }

    /**
     * Fence B of {@code srcu_read_lock()} ({@code smp_mb()}): the lock count before the section's
     * loads; pairs with the grace period's barrier before its scan. A step of its own so that the
     * ablation tests (docs/ablation.md) can take it away in a double; nothing in main overrides
     * it, so the JIT inlines it (class hierarchy analysis) and it costs the fence alone.
     */
    protected void fenceB() {
        VarHandle.fullFence();
    }

    /** {@code srcu_read_unlock()}. */
    public final void readUnlock(int slot, int idx) {
        assert idx == 0 || idx == 1 : "srcu_read_unlock() with index " + idx + ", not one srcu_read_lock() returned";
        VarHandle.fullFence(); // C
        counts.incrementOpaque(slot, UNLOCK0 + idx, 1);
    }

    /**
     * {@code srcu_read_lock_fast_updown()}: no fence; the caller is inside a read section of the
     * domain's barrier RCU. Only on a {@link #fastUpDown} domain.
     */
    public final int readLockFast(int slot) {
        assert asymmetricBarrier != null : "srcu_read_lock_fast_updown() on a fenced domain: no grace period would "
                + "wait for it (its unfenced lock is covered only by a fast domain's barrier RCU)";
        int idx = (int) ((long) IDX.getOpaque(this) & 1);
        counts.incrementOpaque(slot, LOCK0 + idx, 1);
        return idx;
    }

    /**
     * {@code srcu_read_unlock_fast_updown()}: no fence; {@code slot} is the unlocking thread's own
     * slot, which need not be the locker's (the sums are what a grace period reads). The caller is
     * inside a read section of the barrier RCU.
     */
    public final void readUnlockFast(int slot, int idx) {
        assert idx == 0 || idx == 1 : "srcu_read_unlock_fast_updown() with index " + idx;
        assert asymmetricBarrier != null : "srcu_read_unlock_fast_updown() on a fenced domain";
        counts.incrementOpaque(slot, UNLOCK0 + idx, 1);
    }

    /** The fenced domain's fence, or the fast domain's grace period of its barrier RCU. */
    private void barrierOrFence() {
        if (asymmetricBarrier != null) {
            asymmetricBarrier.run();
        } else {
            VarHandle.fullFence();
        }
    }
    /** {@code synchronize_srcu()}. */
    public final void synchronize() {
        awaitGracePeriod(true);
        VarHandle.fullFence();
        gracePeriodsDone.incrementAndGet();
    }

    /**
     * The grace period proper: wait for the inactive index to drain ({@code waitInactive}, always
     * in main), flip, then wait for the old active index. A seam for tests only: doubles that skip
     * it, or the first wait, are mutants the checker must catch; nothing in main overrides it.
     */
    protected void awaitGracePeriod(boolean waitInactive) {
        synchronized (gpLock) {
            long t0 = System.nanoTime();
            int active = (int) ((long) IDX.get(this) & 1);
            if (waitInactive) {
                waitDrained(active ^ 1);
            }
            flip();
            waitDrained(active);
            long waited = System.nanoTime() - t0;
            gracePeriods++;
            graceNanos += waited;
            graceMaxNanos = Math.max(graceMaxNanos, waited);
        }
    }

    /**
     * {@code srcu_flip()}: new readers take the other index, then D, so that readers that sampled
     * the old one are seen by the scan that follows. Returns the old index. Under the grace-period
     * lock (or in a test that owns the domain).
     */
    final int flip() {
        long c = (long) IDX.get(this);
        IDX.setVolatile(this, c + 1);
        barrierOrFence(); // D
        return (int) (c & 1);
    }

    /** Grace periods completed so far, read without the grace-period lock (a reader may call it). */
    public final long completedAcquire() {
        return gracePeriodsDone.get();
    }

    /** Grace periods completed so far, the total and the longest time they took, in ns. */
    public final long[] graceStats() {
        return new long[] {gracePeriods, graceNanos, graceMaxNanos};
    }

    private void waitDrained(int idx) {
        for (int i = 0; !drained(idx); i++) {
            Spin.pauseLong(i);
        }
    }

    /**
     * {@code srcu_readers_active_idx_check()}: one scan, true when index {@code idx} has drained.
     * The unlocks are summed before the locks: summed the other way, a section that was already
     * inside (counted in the locks) and a short one that locks after the lock sum and unlocks
     * before the unlock sum balance each other, and the index looks drained with a reader in it.
     * Package-private and overridable for the ablation tests' double of that order (docs/ablation.md);
     * called only by the grace period.
     */
    boolean drained(int idx) {
        long unlocks = unlockSum(idx);
        barrierOrFence(); // A
        long locks = lockSum(idx);
        return locks == unlocks;
    }

    /** The unlock counts of index {@code idx} over every slot (volatile loads). */
    final long unlockSum(int idx) {
        long unlocks = 0;
        for (int s = 0; s < counts.slots(); s++) {
            unlocks += counts.getVolatile(s, UNLOCK0 + idx);
        }
        return unlocks;
    }

    /** The lock counts of index {@code idx} over every slot (volatile loads). */
    final long lockSum(int idx) {
        long locks = 0;
        for (int s = 0; s < counts.slots(); s++) {
            locks += counts.getVolatile(s, LOCK0 + idx);
        }
        return locks;
    }

    /** {@code call_srcu()}; a seam for tests only, as {@link Rcu#call}. */
    public void call(Runnable callback) {
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


    /** {@code srcu_barrier()}. */
    public final void barrier() {
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
    public final long readersInside() {
        long n = 0;
        for (int i = 0; i < 2; i++) {
            n += counts.sumOpaque(LOCK0 + i) - counts.sumOpaque(UNLOCK0 + i);
        }
        return n;
    }

    @Override
    public final void close() {
        CallbackReclaimer r = reclaimer;
        if (r != null) {
            r.close();
        }
    }
}
