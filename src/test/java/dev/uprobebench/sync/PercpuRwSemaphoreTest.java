package dev.uprobebench.sync;

import static dev.uprobebench.sync.GracePeriodTest.await;
import static dev.uprobebench.sync.GracePeriodTest.join;
import static dev.uprobebench.sync.GracePeriodTest.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The per-CPU RW semaphore's two waits, driven with latches, over both RCU flavours. */
class PercpuRwSemaphoreTest {
    @ParameterizedTest
    @ValueSource(strings = {"qsbr", "memb"})
    void writerWaitsForAReaderInsideAndProceedsWhenItLeaves(String flavour) {
        try (Rcu rcu = Rcu.create(RcuFlavour.byName(flavour), 4)) {
            PercpuRwSemaphore sem = new PercpuRwSemaphore(rcu, 4);
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch leave = new CountDownLatch(1);
            AtomicBoolean readerLeft = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                rcu.online(1);
                sem.readLock(1);
                // Holding the semaphore is not an RCU read section; a QSBR thread that blocks goes
                // offline so that grace periods do not wait for it.
                rcu.offline(1);
                inside.countDown();
                await(leave);
                readerLeft.set(true);
                rcu.online(1);
                sem.readUnlock(1);
                rcu.offline(1);
            }, "reader");
            reader.start();
            await(inside);
            AtomicBoolean acquiredWhileReaderInside = new AtomicBoolean();
            CountDownLatch acquired = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                sem.writeLock();
                acquiredWhileReaderInside.set(!readerLeft.get());
                acquired.countDown();
                sem.writeUnlock();
            }, "writer");
            writer.start();
            until(sem::writerBlocking); // past its grace period, scanning the slots
            assertEquals(1, acquired.getCount(), "writer got in while a reader held the semaphore");
            leave.countDown();
            await(acquired);
            join(writer);
            join(reader);
            assertFalse(acquiredWhileReaderInside.get());
            assertEquals(0, sem.readersActive());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qsbr", "memb"})
    void readerArrivingWhileAWriterHoldsItWaitsForTheWriter(String flavour) {
        try (Rcu rcu = Rcu.create(RcuFlavour.byName(flavour), 4)) {
            PercpuRwSemaphore sem = new PercpuRwSemaphore(rcu, 4);
            sem.writeLock();
            assertFalse(sem.readersOnFastPath());
            AtomicBoolean writerHeld = new AtomicBoolean(true);
            AtomicBoolean enteredUnderWriter = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                rcu.online(1);
                sem.readLock(1);
                enteredUnderWriter.set(writerHeld.get());
                sem.readUnlock(1);
                rcu.offline(1);
            }, "reader");
            reader.start();
            until(() -> sem.slowPathWaits() > 0); // it saw the writer and is waiting
            writerHeld.set(false);
            sem.writeUnlock();
            join(reader);
            assertFalse(enteredUnderWriter.get());
            assertEquals(0, sem.readersActive());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qsbr", "memb"})
    void readersWithoutWritersStayOnTheFastPath(String flavour) {
        try (Rcu rcu = Rcu.create(RcuFlavour.byName(flavour), 4)) {
            PercpuRwSemaphore sem = new PercpuRwSemaphore(rcu, 4);
            rcu.online(0);
            for (int i = 0; i < 10_000; i++) {
                sem.readLock(0);
                assertEquals(1, sem.readersActive());
                sem.readUnlock(0);
                rcu.quiescent(0);
            }
            rcu.offline(0);
            assertTrue(sem.readersOnFastPath());
            assertEquals(0, sem.slowPathWaits());
            assertEquals(0, sem.writerGracePeriods());
        }
    }

    @Test
    void theWriterStateTheLeakCheckReads() {
        try (Rcu rcu = TestGracePeriods.rcu(RcuFlavour.MEMB, 4, false, true)) {
            PercpuRwSemaphore sem = new PercpuRwSemaphore(rcu, 4);
            assertFalse(sem.isWriteLocked());
            assertFalse(sem.writerBlocking());
            sem.writeLock();
            assertTrue(sem.isWriteLocked(), "the leak check counts a writer still inside");
            assertTrue(sem.writerBlocking());
            assertFalse(sem.readersOnFastPath());
            assertEquals(1, sem.writerGracePeriods(), "the first writer waits one grace period");
            sem.writeUnlock();
            assertFalse(sem.isWriteLocked());
            assertFalse(sem.writerBlocking());
            sem.readLock(3); // slow path until rcu_sync is idle again; counted in slot 3
            sem.readLock(1);
            assertEquals(2, sem.readersActive(), "every slot is summed, the last one too");
            sem.readUnlock(1);
            sem.readUnlock(3);
            assertEquals(0, sem.readersActive());
        }
    }

    /**
     * rcu_sync's exit ticket: writer 1 leaves (its return to idle queued behind a grace period),
     * writer 2 enters before that callback runs (no grace period of its own: the state is still
     * not idle), then writer 1's callback runs. It must leave writer 2's state alone: while writer
     * 2 holds the semaphore, readers stay off the fast path and a slow-path reader is refused.
     * Returns whether a reader got in beside writer 2.
     */
    static boolean staleExitCallbackLetsAReaderIn(boolean idleUnconditionally) {
        try (TestGracePeriods.DeferringRcu rcu = new TestGracePeriods.DeferringRcu(2)) {
            RcuSync sync = idleUnconditionally ? AblationDoubles.syncExitIdlingUnconditionally(rcu) : new RcuSync(rcu);
            PercpuRwSemaphore sem = new PercpuRwSemaphore(rcu, 2, sync);
            sem.writeLock();
            sem.writeUnlock();
            assertEquals(1, rcu.queued.size(), "writer 1's return to idle waits behind a grace period");
            Runnable writer1sExit = rcu.queued.poll();
            sem.writeLock();
            assertEquals(1, sem.writerGracePeriods(), "writer 2 came back before idle: no grace period of its own");
            writer1sExit.run();
            boolean in;
            if (sem.readersOnFastPath()) {
                sem.readLock(0); // the fast path: returns at once, beside the writer
                in = sem.isWriteLocked() && sem.readersActive() == 1;
                sem.readUnlock(0);
            } else {
                in = sem.tryReadLockSlow(0);
            }
            sem.writeUnlock();
            rcu.runQueued();
            assertTrue(sem.readersOnFastPath(), "idle again once the last exit's grace period has passed");
            assertEquals(0, sem.readersActive());
            return in;
        }
    }

    @Test
    void aStaleExitCallbackLeavesAWriterThatCameBackAlone() {
        assertFalse(staleExitCallbackLetsAReaderIn(false), "a reader got in beside the writer");
    }

    @Test
    void anExitCallbackThatIdlesWhateverCameSinceIsCaught() {
        assertTrue(staleExitCallbackLetsAReaderIn(true),
                "the double idles under writer 2: its reader must get in beside it");
    }
}
