package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Lockless readers racing a writer that rotates the tree: they may miss (false negatives are the
 * seqcount's business) but never loop and never return a node with another key. Erased nodes are
 * left to the garbage collector here, which is what a grace period guarantees in the back-ends.
 */
class RcuRbTreeLocklessTest {
    private static final int STEP_BOUND = 128;

    @Test
    void locklessReaderNeverLoopsAndNeverReturnsAWrongKey() throws Exception {
        RcuRbTree tree = new RcuRbTree();
        for (long k = 0; k < 2048; k += 2) {
            tree.insertOrFind(new KeyNode(k), 0, k); // even keys stay for the whole test
        }
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong lookups = new AtomicLong();
        AtomicLong falseNegatives = new AtomicLong();
        CountDownLatch readersDone = new CountDownLatch(2);
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            long seed = r;
            readers[r] = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                for (int i = 0; i < 3_000_000 && failure.get() == null; i++) {
                    long k = rnd.nextInt(2048);
                    RbNode n = tree.findBounded(0, k, STEP_BOUND);
                    if (n == RcuRbTree.LOST) {
                        failure.compareAndSet(null, "lookup of " + k + " exceeded " + STEP_BOUND + " steps");
                    } else if (n != null && n.keyLo() != k) {
                        failure.compareAndSet(null, "lookup of " + k + " returned " + n.keyLo());
                    } else if (n == null && k % 2 == 0) {
                        falseNegatives.incrementAndGet();
                    }
                    lookups.incrementAndGet();
                }
                readersDone.countDown();
            });
        }
        for (Thread t : readers) {
            t.start();
        }
        // The writer inserts and erases odd keys, which rotates the paths to the even ones.
        SplittableRandom rnd = new SplittableRandom(99);
        KeyNode[] odd = new KeyNode[1024];
        long writes = 0;
        while (readersDone.getCount() > 0) {
            int i = rnd.nextInt(odd.length);
            if (odd[i] == null) {
                odd[i] = new KeyNode(2L * i + 1);
                assertNull(tree.insertOrFind(odd[i], 0, 2L * i + 1));
            } else {
                tree.erase(odd[i]);
                odd[i] = null;
            }
            writes++;
        }
        for (Thread t : readers) {
            t.join();
        }
        assertNull(failure.get());
        tree.verify();
        assertTrue(writes > 0);
        assertEquals(6_000_000, lookups.get());
        System.out.printf("lockless tree: %d lookups, %d writes, %d false negatives on kept keys%n",
                lookups.get(), writes, falseNegatives.get());
    }
}
