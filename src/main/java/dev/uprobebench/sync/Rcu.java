package dev.uprobebench.sync;

import java.lang.invoke.VarHandle;

/**
 * User-space RCU with per-slot reader state and a global grace-period counter, in two flavours
 * ({@link #create}): {@code memb}, a fenced read side, and {@code qsbr}, a free read side whose
 * readers announce quiescent states.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Readers call everything with their own slot id; one thread per slot.</li>
 *   <li>{@link #synchronize()} returns only after every read-side critical section that was
 *       running when it was called has ended (for QSBR: after every online reader has announced a
 *       quiescent state or gone offline). Sections that start later are not waited for.</li>
 *   <li>A thread that is an online QSBR reader may call {@link #synchronize()} and
 *       {@link #barrier()}: it goes offline for the wait, as liburcu does. Calling them from inside
 *       a {@code memb} read section deadlocks, as in the kernel.</li>
 *   <li>{@link #call} runs a callback after a grace period, on a reclaimer thread, in batches
 *       ({@link CallbackReclaimer}).</li>
 *   <li>Read side: wait-free. {@link #synchronize()}: blocking.</li>
 *   <li>Ordering: everything a reader does inside its section happens before the return of a
 *       {@code synchronize()} that waited for it; every store before a {@code synchronize()}
 *       call is visible to sections that begin after it returns (the full fences below).</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * liburcu's design with a 64-bit grace-period counter ({@code urcu-memb.c}, {@code urcu-qsbr.c};
 * Desnoyers et al., "User-Level Implementations of Read-Copy Update", IEEE TPDS 2012). A slot's
 * counter is 0 while the reader is outside any section (memb) or offline (qsbr), otherwise the
 * global counter it last observed. {@code synchronize()} advances the global counter and waits for
 * every slot whose counter is non-zero and older. With 64 bits the counter does not wrap, so one
 * phase suffices where liburcu's 32-bit build needs two.
 */
public abstract class Rcu implements AutoCloseable {
    /** Field of a slot: the grace-period counter it observed, or 0. */
    static final int CTR = 0;
    /** Field of a slot: read-side nesting depth (memb; owner only). */
    static final int NEST = 1;

    private static final VarHandle GP = PaddedCell.VALUE;

    protected final SlotLongs readers;
    /** The global grace-period counter, starting at 1 (0 means "outside" in a slot). */
    private final PaddedCell gp = new PaddedCell();
    private final Object gpLock = new Object();
    private final ThreadLocal<int[]> onlineSlot = new ThreadLocal<>();
    private volatile CallbackReclaimer reclaimer;
    private long gracePeriods;
    /**
     * Grace periods the callers of {@link #synchronize} were told are over (the age oracle's clock):
     * counted outside the grace period proper, so that a broken one still moves it.
     */
    private final java.util.concurrent.atomic.AtomicLong completed = new java.util.concurrent.atomic.AtomicLong();

    protected Rcu(int slots) {
        this.readers = new SlotLongs(slots, 2);
        GP.setRelease(gp, 1L);
    }

    /** Creates an RCU of the given flavour ({@code qsbr} or {@code memb}). */
    public static Rcu create(RcuFlavour flavour, int slots) {
        return flavour == RcuFlavour.QSBR ? new QsbrRcu(slots) : new MembRcu(slots);
    }

    public abstract String flavour();

    /** {@code rcu_read_lock()}. */
    public abstract void readLock(int slot);

    /** {@code rcu_read_unlock()}. */
    public abstract void readUnlock(int slot);

    /** QSBR: the reader holds no RCU-protected reference now. No-op for memb. */
    public void quiescent(int slot) {
    }

    /** The calling thread starts using {@code slot} as a reader. */
    public void online(int slot) {
        onlineSlot.set(new int[] {slot});
    }

    /** The calling thread stops using {@code slot}; a QSBR grace period no longer waits for it. */
    public void offline(int slot) {
        onlineSlot.remove();
    }

    final long gpOpaque() {
        return (long) GP.getOpaque(gp);
    }

    /** {@code synchronize_rcu()}. */
    public final void synchronize() {
        int[] self = onlineSlot.get();
        if (self != null) {
            offlineForWait(self[0]);
        }
        try {
            awaitGracePeriod();
            VarHandle.fullFence();
            completed.incrementAndGet();
        } finally {
            if (self != null) {
                onlineAfterWait(self[0]);
            }
        }
    }

    /**
     * The grace period proper: advance the counter, then wait for every slot to be outside a read
     * section or past the new counter. A seam for tests only (a double that skips it is the
     * broken-grace-period mutant the checker must catch); nothing in main overrides it.
     */
    protected void awaitGracePeriod() {
        synchronized (gpLock) {
            long target = advance();
            for (int s = 0; s < readers.slots(); s++) {
                waitFor(s, target);
            }
            gracePeriods++;
        }
    }

    /**
     * The grace period's counter advanced, then its fence: the advance (and every store before it,
     * such as an unlink) before the scan of the readers' counters. Returns the new counter. Under
     * the grace-period lock (or in a test that owns the domain).
     */
    final long advance() {
        long target = (long) GP.get(gp) + 1;
        GP.setVolatile(gp, target);
        VarHandle.fullFence();
        return target;
    }

    private void waitFor(int slot, long target) {
        for (int i = 0; holdsUp(slot, target); i++) {
            Spin.pauseLong(i);
        }
    }

    /**
     * One look at a slot by the grace period that advanced the counter to {@code target}: true
     * while its reader is inside a section (or, QSBR, online) that began before the advance.
     */
    final boolean holdsUp(int slot, long target) {
        long c = readers.getVolatile(slot, CTR);
        return c != 0 && c < target;
    }

    /** QSBR takes the caller offline while it waits; memb has nothing to do. */
    protected void offlineForWait(int slot) {
    }

    protected void onlineAfterWait(int slot) {
    }

    /**
     * {@code call_rcu()}: runs {@code callback} after a grace period, on the reclaimer thread. A
     * seam for tests only: the model checkers' double waits and runs it on the calling thread
     * ({@code synchronize_rcu(); free()}), since a reclaimer that lives across scenarios is not a
     * thread they can schedule.
     */
    public void call(Runnable callback) {
        reclaimer().call(callback);
    }

    /** {@code rcu_barrier()}: waits until every callback queued so far has run. */
    public final void barrier() {
        CallbackReclaimer r = reclaimer;
        if (r == null) {
            return;
        }
        int[] self = onlineSlot.get();
        if (self != null) {
            offlineForWait(self[0]);
        }
        try {
            r.barrier();
        } finally {
            if (self != null) {
                onlineAfterWait(self[0]);
            }
        }
    }

    private CallbackReclaimer reclaimer() {
        CallbackReclaimer r = reclaimer;
        if (r == null) {
            synchronized (this) {
                r = reclaimer;
                if (r == null) {
                    r = new CallbackReclaimer("rcu-" + flavour() + "-reclaimer", this::synchronize);
                    reclaimer = r;
                }
            }
        }
        return r;
    }

    /** Grace periods completed so far, read without the grace-period lock (a reader may call it). */
    public final long completedAcquire() {
        return completed.get();
    }

    /** Grace periods completed so far. */
    public final long gracePeriods() {
        synchronized (gpLock) {
            return gracePeriods;
        }
    }

    /** Slots currently inside a section or online (racy snapshot, for the leak check). */
    public final int readersInside() {
        int n = 0;
        for (int s = 0; s < readers.slots(); s++) {
            if (readers.getOpaque(s, CTR) != 0) {
                n++;
            }
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

    /** The fenced read side ({@code urcu-memb} without membarrier: {@code smp_mb()} on entry). */
    static class MembRcu extends Rcu {
        MembRcu(int slots) {
            super(slots);
        }

        @Override
        public final String flavour() {
            return "memb";
        }

        @Override
        public final void readLock(int slot) {
            long nest = readers.getPlain(slot, NEST);
            readers.setPlain(slot, NEST, nest + 1);
            if (nest == 0) {
                readers.setOpaque(slot, CTR, gpOpaque());
                lockFence();
            }
        }

        /**
         * {@code smp_mb()} of the read lock: the counter store before any read in the section. A
         * step of its own for the ablation tests' doubles (docs/ablation.md); nothing in main
         * overrides it, so it inlines and costs the fence alone.
         */
        void lockFence() {
            VarHandle.fullFence();
        }

        @Override
        public final void readUnlock(int slot) {
            long nest = readers.getPlain(slot, NEST) - 1;
            assert nest >= 0 : "rcu_read_unlock() on slot " + slot + " outside any read section";
            readers.setPlain(slot, NEST, nest);
            if (nest == 0) {
                readers.setRelease(slot, CTR, 0); // every read in the section before this store
            }
        }
    }

    /** Quiescent-state-based reclamation: free read side, readers announce quiescent states. */
    static class QsbrRcu extends Rcu {
        QsbrRcu(int slots) {
            super(slots);
        }

        @Override
        public final String flavour() {
            return "qsbr";
        }

        @Override
        public final void readLock(int slot) {
        }

        @Override
        public final void readUnlock(int slot) {
        }

        @Override
        public final void quiescent(int slot) {
            // rcu_quiescent_state(): smp_mb(); ctr = gp; smp_mb()
            VarHandle.fullFence();
            readers.setOpaque(slot, CTR, gpOpaque());
            VarHandle.fullFence();
        }

        @Override
        public final void online(int slot) {
            super.online(slot);
            readers.setOpaque(slot, CTR, gpOpaque());
            onlineFence();
        }

        /**
         * The fence after the counter store of going online (and coming back after a wait): the
         * announcement before the first section's loads; pairs with the grace period's barrier
         * before its scan. A step of its own for the ablation tests' doubles (docs/ablation.md);
         * nothing in main overrides it.
         */
        void onlineFence() {
            VarHandle.fullFence();
        }

        @Override
        public final void offline(int slot) {
            VarHandle.fullFence();
            readers.setRelease(slot, CTR, 0);
            super.offline(slot);
        }

        @Override
        protected final void offlineForWait(int slot) {
            VarHandle.fullFence();
            readers.setRelease(slot, CTR, 0);
        }

        @Override
        protected final void onlineAfterWait(int slot) {
            readers.setOpaque(slot, CTR, gpOpaque());
            onlineFence();
        }
    }
}
