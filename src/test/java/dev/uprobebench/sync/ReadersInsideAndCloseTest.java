package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the leak check reads (readers still inside) and what close() promises (no thread left). */
class ReadersInsideAndCloseTest {
    @Test
    void srcuCountsSectionsEnteredAndNotLeftOnBothIndices() {
        try (Srcu srcu = new Srcu(4)) {
            assertEquals(0, srcu.readersInside());
            int a = srcu.readLock(0);
            int b = srcu.readLock(3);
            int nested = srcu.readLock(3);
            assertEquals(3, srcu.readersInside());
            srcu.readUnlock(3, nested);
            srcu.readUnlock(0, a);
            assertEquals(1, srcu.readersInside());
            srcu.readUnlock(3, b);
            srcu.synchronize(); // flips the index: later sections count on the other one
            int c = srcu.readLock(1);
            assertEquals(1, srcu.readersInside());
            srcu.readUnlock(1, c);
            assertEquals(0, srcu.readersInside());
        }
    }

    @Test
    void rcuCountsReadersInsideForMembAndOnlineReadersForQsbr() {
        try (Rcu memb = Rcu.create(RcuFlavour.MEMB, 4)) {
            memb.readLock(0);
            memb.readLock(3);
            assertEquals(2, memb.readersInside());
            memb.readUnlock(0);
            memb.readUnlock(3);
            assertEquals(0, memb.readersInside());
        }
        try (Rcu qsbr = Rcu.create(RcuFlavour.QSBR, 4)) {
            qsbr.online(3);
            assertEquals(1, qsbr.readersInside(), "an online QSBR reader holds grace periods");
            qsbr.offline(3);
            assertEquals(0, qsbr.readersInside());
        }
    }

    private static Thread reclaimerThreadAfterClose(Runnable queueOne, AutoCloseable primitive,
            AtomicReference<Thread> ran) throws Exception {
        queueOne.run();
        primitive.close();
        Thread t = ran.get();
        assertNotNull(t, "close() ran what was queued");
        t.join(10_000);
        return t;
    }

    @Test
    void closingSrcuRunsWhatIsQueuedAndStopsItsThread() throws Exception {
        Srcu srcu = new Srcu(2);
        AtomicReference<Thread> ran = new AtomicReference<>();
        Thread t = reclaimerThreadAfterClose(() -> srcu.call(() -> ran.set(Thread.currentThread())), srcu, ran);
        assertFalse(t.isAlive(), "the reclaimer thread outlived close()");
    }

    @Test
    void closingRcuRunsWhatIsQueuedAndStopsItsThread() throws Exception {
        Rcu rcu = Rcu.create(RcuFlavour.MEMB, 2);
        AtomicReference<Thread> ran = new AtomicReference<>();
        Thread t = reclaimerThreadAfterClose(() -> rcu.call(() -> ran.set(Thread.currentThread())), rcu, ran);
        assertFalse(t.isAlive(), "the reclaimer thread outlived close()");
    }
}
