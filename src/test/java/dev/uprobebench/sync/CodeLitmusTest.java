package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uprobebench.sync.litmus.Litmus;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Litmus tests that call the code (issue 25): each side is the primitive's own methods, a reader's
 * lock or announcement against the writer's flip or advance and its scan, on a fresh instance per
 * iteration, run hot in the two-thread harness. Each is store buffering, the one reordering x86
 * shows: the reader's store (its count or counter) waits in the store buffer past its next load
 * unless a full fence stands between them. With the code as it is the forbidden outcome (the reader
 * follows the old pointer, or enters, while the writer's scan sees no reader) must never show; with
 * the fence taken away in a double (the step the code makes overridable for exactly this, in test
 * sources only), it must show here, so the test is known to be able to fail.
 *
 * <p>The writer's side is the code's too, down to its barrier: SRCU's flip (a volatile store and
 * D), RCU's advance (a volatile store and its fence), the semaphore's block (a volatile store and
 * D). On x86 HotSpot's volatile store is itself a full barrier, so the writer's explicit fences are
 * subsumed here (docs/ablation.md says so row by row); the reader's fence is the one these tests hold.
 */
class CodeLitmusTest {
    static final int BATCHES = 3000;
    static final int BATCH = 128;
    /**
     * Runs the control may take to show its reordering: most show it on the first; SRCU B, the
     * rarest here (2 to 6 per 384,000), once took three. A run costs under half a second, and only
     * a control that has not shown it yet runs again.
     */
    static final int CONTROL_ATTEMPTS = 30;
    /**
     * The code's run is this many times the control's: its zero is the claim, and the rarest
     * reordering here (SRCU's B, a few per 384,000) must still show in it if a fence went missing.
     */
    static final int CODE_RUNS = 4;
    static final java.lang.invoke.VarHandle AA = Litmus.AA;

    @BeforeAll
    static void needsTwoCpus() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2,
                "litmus tests need two CPUs running the two sides at once");
    }

    /** One side of an iteration: the instance of the iteration, the pointer array and the iteration's index into it. */
    interface Step<T> {
        long run(T instance, long[] pointer, int at);
    }

    /** What the sides saw: the reader 0 when it followed the old pointer (or entered), the writer 0 when its scan saw no reader. */
    static boolean bothZero(long reader, long writer) {
        return reader == 0 && writer == 0;
    }

    /** A run of {@code reader} against {@code writer} on a fresh instance from {@code make} per iteration. */
    static <T> Litmus.Result run(Supplier<? extends T> make, Step<T> reader, Step<T> writer) {
        return run(BATCHES, make, reader, writer);
    }

    static <T> Litmus.Result run(int batches, Supplier<? extends T> make, Step<T> reader, Step<T> writer) {
        @SuppressWarnings("unchecked")
        T[] instances = (T[]) new Object[BATCH];
        Runnable refill = () -> {
            for (int i = 0; i < BATCH; i++) {
                instances[i] = make.get();
            }
        };
        refill.run();
        return Litmus.run(batches, BATCH, (x, y, at) -> reader.run(instances[at / Litmus.STRIDE], y, at),
                (x, y, at) -> writer.run(instances[at / Litmus.STRIDE], y, at), CodeLitmusTest::bothZero, refill);
    }

    /** The code must never show the forbidden outcome; the double without the reader's fence must. */
    static <T> long[] storeBuffering(String row, Supplier<? extends T> code, Supplier<? extends T> broken,
            Step<T> reader, Step<T> writer) {
        Litmus.Result fenced = run(CODE_RUNS * BATCHES, code, reader, writer);
        System.out.println(row + ", the code: " + fenced);
        assertEquals(0, fenced.forbidden(), row + ": the reader and the writer's scan missed each other: " + fenced);
        Litmus.Result control = null;
        int attempts = 0;
        while (attempts < CONTROL_ATTEMPTS && (control == null || control.forbidden() == 0)) {
            control = run(broken, reader, writer);
            attempts++;
        }
        System.out.println(row + ", the fence taken away: " + control + " (run " + attempts + ")");
        assertTrue(control.forbidden() > 0, row + ": without the fence the store-load reordering must show; it "
                + "did not in " + CONTROL_ATTEMPTS + " runs: " + control);
        return new long[] {fenced.forbidden(), control.forbidden()};
    }

    /** The unlink: the pointer's new value published (release), as the writer does before its grace period. */
    static void unlink(long[] pointer, int at) {
        AA.setRelease(pointer, at, 1L);
    }

    static long follow(long[] pointer, int at) {
        return (long) AA.getAcquire(pointer, at);
    }

    /** SRCU's grace period as the litmus writer: the unlink, {@link Srcu#flip}, {@link Srcu#drained} of the old index. */
    static final Step<Srcu> SRCU_GRACE_PERIOD = (s, p, at) -> {
        unlink(p, at);
        int old = s.flip();
        return s.drained(old) ? 0 : 1;
    };

    /** SRCU's B: {@link Srcu#readLock} then the pointer, against the unlink, {@link Srcu#flip} and {@link Srcu#drained}. */
    @Test
    void srcuReadLockAgainstTheFlipAndTheScan() {
        Step<Srcu> reader = (s, p, at) -> {
            s.readLock(0);
            return follow(p, at);
        };
        storeBuffering("srcu B (Srcu.readLock / flip, drained)", () -> new Srcu(1), () -> new Srcu(1) {
            @Override
            protected void fenceB() {
            }
        }, reader, SRCU_GRACE_PERIOD);
    }

    /**
     * The per-CPU RW semaphore's A: {@link PercpuRwSemaphore#tryReadLockSlow} against
     * {@link PercpuRwSemaphore#blockNewReaders} and {@link PercpuRwSemaphore#readersActive}. Forbidden:
     * the reader enters while the writer sees no reader, and both are in.
     */
    @Test
    void percpuRwsemSlowReadLockAgainstTheWritersBlockAndScan() {
        Rcu rcu = Rcu.create(RcuFlavour.MEMB, 1); // the fast path's; these steps do not use it
        Step<PercpuRwSemaphore> reader = (s, p, at) -> s.tryReadLockSlow(0) ? 0 : 1;
        Step<PercpuRwSemaphore> writer = (s, p, at) -> {
            s.blockNewReaders();
            return s.readersActive() != 0 ? 1 : 0;
        };
        storeBuffering("percpu-rwsem A (tryReadLockSlow / blockNewReaders, readersActive)",
                () -> new PercpuRwSemaphore(rcu, 1), () -> new PercpuRwSemaphore(rcu, 1) {
                    @Override
                    protected void fenceA() {
                    }
                }, reader, writer);
    }

    static final Step<Rcu> RCU_GRACE_PERIOD = (r, p, at) -> {
        unlink(p, at);
        long target = r.advance();
        return r.holdsUp(0, target) ? 1 : 0;
    };

    /** RCU memb: {@link Rcu#readLock}'s fence, against the unlink, {@link Rcu#advance} and {@link Rcu#holdsUp}. */
    @Test
    void rcuMembReadLockAgainstTheAdvanceAndTheScan() {
        Step<Rcu> reader = (r, p, at) -> {
            r.readLock(0);
            return follow(p, at);
        };
        storeBuffering("rcu memb read lock (Rcu.readLock / advance, holdsUp)", () -> new Rcu.MembRcu(1),
                () -> new Rcu.MembRcu(1) {
                    @Override
                    void lockFence() {
                    }
                }, reader, RCU_GRACE_PERIOD);
    }

    /** QSBR without the fence after its announcement ({@code onlineFence}: both call sites). */
    static Rcu qsbrWithoutOnlineFence() {
        return new Rcu.QsbrRcu(1) {
            @Override
            void onlineFence() {
            }
        };
    }

    /**
     * RCU QSBR going online: {@link Rcu#online}'s fence (the same step ends a grace period's wait on
     * the waiter's own slot), against the unlink, the advance and the scan. Forbidden: the reader's
     * first section follows the old pointer while the scan still sees it offline.
     */
    @Test
    void rcuQsbrOnlineAgainstTheAdvanceAndTheScan() {
        Step<Rcu> reader = (r, p, at) -> {
            r.online(0);
            return follow(p, at);
        };
        storeBuffering("rcu qsbr online (Rcu.online / advance, holdsUp)", () -> new Rcu.QsbrRcu(1),
                CodeLitmusTest::qsbrWithoutOnlineFence, reader, RCU_GRACE_PERIOD);
    }

    /**
     * SRCU-fast-updown's asymmetric barrier: {@link Srcu#readLockFast} has no fence of its own; its
     * lock count and the section's loads sit inside a read section of the barrier RCU, and the
     * grace period's flip and scan run that RCU's grace period where a fenced domain has D and A.
     * The reader: RCU read lock, the fast lock, the pointer, RCU read unlock (the SRCU section stays
     * open). The writer: the unlink, {@link Srcu#flip}, {@link Srcu#drained}. The control is the same
     * domain with a barrier that does nothing: the fast lock's count then waits in the store buffer
     * past the pointer's load, and the scan sees no reader that follows the old pointer.
     */
    @Test
    void srcuFastUpDownAgainstTheFlipAndTheScanThroughTheBarrierRcu() {
        Rcu rcu = Rcu.create(RcuFlavour.MEMB, 1);
        Step<Srcu> reader = (s, p, at) -> {
            rcu.readLock(0);
            s.readLockFast(0);
            long seen = follow(p, at);
            rcu.readUnlock(0);
            return seen;
        };
        storeBuffering("srcu-fast-updown (readLockFast in an RCU section / flip, drained with the barrier RCU)",
                () -> Srcu.fastUpDown(1, rcu::synchronize), () -> Srcu.fastUpDown(1, () -> {
                }), reader, SRCU_GRACE_PERIOD);
    }

    /**
     * RCU QSBR coming back online after a wait ({@link Rcu#onlineAfterWait}, the end of a grace
     * period or barrier its online caller waited offline): the same fence step as going online,
     * at its other call site.
     */
    @Test
    void rcuQsbrOnlineAfterAWaitAgainstTheAdvanceAndTheScan() {
        Step<Rcu> reader = (r, p, at) -> {
            r.onlineAfterWait(0);
            return follow(p, at);
        };
        storeBuffering("rcu qsbr online after a wait (Rcu.onlineAfterWait / advance, holdsUp)",
                () -> new Rcu.QsbrRcu(1), CodeLitmusTest::qsbrWithoutOnlineFence, reader, RCU_GRACE_PERIOD);
    }
}
