package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RwSpinLockTest {
    @Test
    void readersShareTheLock() {
        RwSpinLock lock = new RwSpinLock();
        lock.readLock();
        lock.readLock();
        assertEquals(2, lock.readersOpaque());
        lock.readUnlock();
        lock.readUnlock();
        assertEquals(0, lock.wordOpaque());
    }

    @Test
    void writerWaitsForTheReaderInsideAndProceedsWhenItLeaves() throws Exception {
        RwSpinLock lock = new RwSpinLock();
        lock.readLock();
        AtomicBoolean acquired = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            lock.writeLock();
            acquired.set(true);
            lock.writeUnlock();
            done.countDown();
        });
        writer.start();
        // The writer has announced itself (WAITING) and cannot get further while we read.
        for (int i = 0; (lock.wordOpaque() & RwSpinLock.WRITER_WAITING) == 0; i++) {
            Spin.pause(i);
        }
        assertFalse(acquired.get());
        assertFalse(lock.isWriteLocked());
        lock.readUnlock();
        done.await();
        assertTrue(acquired.get());
        writer.join();
        assertEquals(0, lock.wordOpaque());
    }

    @Test
    void writersExcludeEachOther() throws Exception {
        RwSpinLock lock = new RwSpinLock();
        long[] counter = new long[1];
        Runnable body = () -> {
            for (int i = 0; i < 200_000; i++) {
                lock.writeLock();
                counter[0]++; // plain increments: lost updates would show without exclusion
                lock.writeUnlock();
            }
        };
        Thread a = new Thread(body);
        Thread b = new Thread(body);
        a.start();
        b.start();
        a.join();
        b.join();
        assertEquals(400_000, counter[0]);
    }

    /**
     * The code's writer step, or the double's ({@link AblationDoubles#lockOverReaders}),
     * counted and watched: the test waits for the writer's first attempt, not for time.
     */
    static final class WatchedLock extends RwSpinLock {
        final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean lockedOverReaders;
        private final boolean broken;

        WatchedLock(boolean broken) {
            this.broken = broken;
        }

        @Override
        boolean tryLockWhenDrained() {
            boolean locked = broken ? AblationDoubles.lockOverReaders(this) : super.tryLockWhenDrained();
            if (locked && isWriteLocked() && readersOpaque() > 0) {
                lockedOverReaders = true;
            }
            attempts.incrementAndGet();
            return locked;
        }
    }

    /**
     * A reader inside, then a writer: does its first step to LOCKED succeed over the reader? The
     * code's must fail until the reader leaves; the double's succeeds, so the check can fail.
     */
    static boolean writerLocksOverAReader(boolean broken) throws Exception {
        WatchedLock lock = new WatchedLock(broken);
        lock.readLock();
        Thread writer = new Thread(() -> {
            lock.writeLock();
            lock.writeUnlock();
        });
        writer.start();
        for (int i = 0; lock.attempts.get() == 0; i++) {
            Spin.pause(i);
        }
        boolean over = lock.lockedOverReaders;
        lock.readUnlock();
        writer.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(20));
        assertFalse(writer.isAlive(), "the writer never got the lock after the reader left");
        assertEquals(0, lock.wordOpaque());
        return over;
    }

    @Test
    void theWritersStepFailsWhileAReaderIsInside() throws Exception {
        assertFalse(writerLocksOverAReader(false), "the writer took the lock over a reader");
    }

    @Test
    void aWriterThatLocksOverReadersIsCaught() throws Exception {
        assertTrue(writerLocksOverAReader(true), "the double must take the lock with the reader inside");
    }

    /**
     * Readers arriving while a writer waits or holds the lock take the slow path (give the bias
     * back, wait, try again): a reader never sees the writer's two stores half done, and every
     * side finishes.
     */
    @Test
    void readersOnTheSlowPathNeverSeeAWriterHalfway() throws Exception {
        RwSpinLock lock = new RwSpinLock();
        long[] pair = new long[2];
        long[] torn = new long[1];
        int rounds = 20_000;
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= rounds; i++) {
                lock.writeLock();
                pair[0] = i;
                pair[1] = i;
                lock.writeUnlock();
            }
        });
        Thread reader = new Thread(() -> {
            for (long seen = 0; seen < rounds; ) {
                lock.readLock();
                long a = pair[0];
                long b = pair[1];
                lock.readUnlock();
                if (a != b) {
                    torn[0]++;
                }
                seen = b;
            }
        });
        writer.start();
        reader.start();
        writer.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(30));
        reader.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(30));
        assertFalse(writer.isAlive() || reader.isAlive(), "a side never finished");
        assertEquals(0, torn[0], "a reader saw the writer's stores half done");
        assertEquals(0, lock.wordOpaque());
    }

    /**
     * A reader arriving while the writer holds the lock goes to the slow path (watched: the test
     * waits for it to arrive there, not for time), stays out while the writer is inside, and gets
     * in once it leaves; the word is back to zero after both.
     */
    @Test
    void aReaderArrivingUnderTheWriterWaitsOnTheSlowPathAndGetsInAfterIt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger slowPaths = new java.util.concurrent.atomic.AtomicInteger();
        RwSpinLock lock = new RwSpinLock() {
            @Override
            void readLockSlow() {
                slowPaths.incrementAndGet();
                super.readLockSlow();
            }
        };
        lock.writeLock();
        AtomicBoolean inside = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            lock.readLock();
            inside.set(true);
            lock.readUnlock();
        });
        reader.start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; slowPaths.get() == 0 && System.nanoTime() < deadline; i++) {
            Spin.pause(i);
        }
        assertEquals(1, slowPaths.get(), "the reader took the slow path under the writer");
        assertFalse(inside.get(), "the reader got in beside the writer");
        lock.writeUnlock();
        reader.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(20));
        assertFalse(reader.isAlive(), "the reader never got in after the writer left");
        assertTrue(inside.get());
        assertEquals(0, lock.wordOpaque(), "the reader's bias given back once, taken once, released once");
    }
}
