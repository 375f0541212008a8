package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SRCU-fast-updown: a fence-free read side whose unlock may run on another thread, with the
 * registry's RCU grace period as the update side's asymmetric barrier.
 */
class SrcuFastUpDownTest {
    private static final long BOUND_SECONDS = 20;
    /**
     * A thread per task: the grace period blocks its thread until the lease is unlocked by the
     * next task, so the two must not share a pool's only worker (on two cores, Java 25's
     * CompletableFuture default runs them on a common pool of one, and the unlock never started).
     */
    private static final Executor THREAD_PER_TASK = task -> {
        Thread t = new Thread(task, "srcu-fast-updown-test");
        t.setDaemon(true);
        t.start();
    };

    @Test
    void aGracePeriodWaitsForALeaseLockedOnOneThreadAndUnlockedOnAnother() throws Exception {
        Rcu rcu = Rcu.create(RcuFlavour.QSBR, 4);
        AtomicInteger barriers = new AtomicInteger();
        Srcu srcu = Srcu.fastUpDown(4, () -> {
            barriers.incrementAndGet();
            rcu.synchronize();
        });
        assertTrue(srcu.isFast());
        // The task (slot 1) takes the lease inside an RCU read section, then leaves it.
        int idx = CompletableFuture.supplyAsync(() -> {
            rcu.online(1);
            rcu.readLock(1);
            int i = srcu.readLockFast(1);
            rcu.readUnlock(1);
            rcu.offline(1);
            return i;
        }, THREAD_PER_TASK).get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(1, srcu.readersInside());
        long flips = srcu.flipsOpaque();
        CompletableFuture<Void> gp = CompletableFuture.runAsync(srcu::synchronize, THREAD_PER_TASK);
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
                srcu.flipsOpaque() == flips && System.nanoTime() < deadline; ) {
            Thread.onSpinWait();
        }
        assertEquals(flips + 1, srcu.flipsOpaque(), "the grace period flipped and waits for the old index");
        assertFalse(gp.isDone(), "the lease's index cannot drain while the lease is held");
        // The timer (slot 2) releases the lease: another thread, another slot, inside its own read section.
        CompletableFuture.runAsync(() -> {
            rcu.online(2);
            rcu.readLock(2);
            srcu.readUnlockFast(2, idx);
            rcu.readUnlock(2);
            rcu.offline(2);
        }, THREAD_PER_TASK).get(BOUND_SECONDS, TimeUnit.SECONDS);
        gp.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(0, srcu.readersInside());
        assertTrue(barriers.get() >= 3, "the barrier ran at both drain checks and after the flip: " + barriers.get());
        long[] stats = srcu.graceStats();
        assertEquals(1, stats[0]);
        assertTrue(stats[1] > 0 && stats[2] == stats[1], java.util.Arrays.toString(stats));
        srcu.close();
        rcu.close();
    }

    @Test
    void aFencedDomainNeverRunsABarrierAndAFastOneNeedsOne() {
        Srcu fenced = new Srcu(2);
        assertFalse(fenced.isFast());
        fenced.synchronize();
        assertEquals(1, fenced.graceStats()[0]);
        assertThrows(IllegalArgumentException.class, () -> Srcu.fastUpDown(2, null));
    }
}
