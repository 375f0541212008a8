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
}
