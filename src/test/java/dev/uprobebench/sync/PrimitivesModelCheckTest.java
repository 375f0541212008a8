package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.model.ModelCheckJvm;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The primitives under Lincheck's model checker: every scenario is two threads and a few steps,
 * explored schedule by schedule (sequentially consistent: the fences are the litmus tests' job).
 * Each protocol has a passing scenario and a broken twin that the exploration must catch, so that
 * a pass is known to have explored the window that matters.
 *
 * <p>Grace periods run inline on the waiting thread ({@link TestGracePeriods#rcu(RcuFlavour, int, boolean, boolean)}), not on a
 * reclaimer thread that outlives the scenario.
 */
@Tag("model-check")
class PrimitivesModelCheckTest {
    @BeforeAll
    static void onAJvmLincheckSeesOn() {
        ModelCheckJvm.requireSeeingJvm();
    }

    static final int INVOCATIONS = 1000;

    /** An RCU-protected object: the reader must never see it freed. */
    static final class Box {
        boolean freed;
    }

    static final class Holder {
        Box ptr = new Box();
        boolean readerSawFreed;
    }

    static void run(Runnable scenario) {
        Lincheck.runConcurrentTest(INVOCATIONS, scenario);
    }

    static void mustBeFound(Runnable scenario, String what) {
        mustBeFound(INVOCATIONS, scenario, what);
    }

    static void mustBeFound(int invocations, Runnable scenario, String what) {
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class,
                () -> Lincheck.runConcurrentTest(invocations, scenario));
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    static void join(Thread a, Thread b) {
        a.start();
        b.start();
        try {
            a.join();
            b.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- RCU: a reader inside its section against unpublish, synchronize, free ----------------

    static void rcuScenario(RcuFlavour flavour, boolean broken) {
        try (Rcu rcu = TestGracePeriods.rcu(flavour, 2, broken)) {
            Holder h = new Holder();
            Thread reader = new Thread(() -> {
                rcu.online(0);
                rcu.readLock(0);
                Box b = h.ptr;
                h.readerSawFreed = b != null && b.freed;
                rcu.readUnlock(0);
                rcu.quiescent(0);
                rcu.offline(0);
            });
            Thread writer = new Thread(() -> {
                Box old = h.ptr;
                h.ptr = null;
                rcu.synchronize();
                old.freed = true;
            });
            join(reader, writer);
            assertFalse(h.readerSawFreed, "reader saw a freed object inside its section");
        }
    }

    @ParameterizedTest
    @CsvSource({"qsbr", "memb"})
    void rcuSynchronizeWaitsForTheReader(String flavour) {
        run(() -> rcuScenario(RcuFlavour.byName(flavour), false));
    }

    @ParameterizedTest
    @CsvSource({"qsbr", "memb"})
    void rcuWithBrokenGracePeriodsIsFound(String flavour) {
        mustBeFound(() -> rcuScenario(RcuFlavour.byName(flavour), true), "reader saw a freed object");
    }

    // ---- SRCU: the same, with the index handed from lock to unlock ----------------------------

    static void srcuScenario(boolean broken) {
        try (Srcu srcu = TestGracePeriods.srcu(2, broken)) {
            Holder h = new Holder();
            Thread reader = new Thread(() -> {
                int idx = srcu.readLock(0);
                Box b = h.ptr;
                h.readerSawFreed = b != null && b.freed;
                srcu.readUnlock(0, idx);
            });
            Thread writer = new Thread(() -> {
                Box old = h.ptr;
                h.ptr = null;
                srcu.synchronize();
                old.freed = true;
            });
            join(reader, writer);
            assertFalse(h.readerSawFreed, "reader saw a freed object inside its section");
            assertEquals(0, srcu.readersInside());
        }
    }

    @Test
    void srcuSynchronizeWaitsForTheReader() {
        run(() -> srcuScenario(false));
    }

    @Test
    void srcuWithBrokenGracePeriodsIsFound() {
        mustBeFound(() -> srcuScenario(true), "reader saw a freed object");
    }

    /**
     * SRCU's first wait, the one on the inactive index: a reader that read the index just before a
     * flip and incremented the old one after it is caught only there. Two grace periods in a row:
     * the reader may take its snapshot of the index during the first and use B, which the second
     * must protect. PIT found this wait untested (removing it survived every other test).
     */
    static void srcuTwoGracePeriods(boolean skipFirstWait) {
        try (Srcu srcu = skipFirstWait ? TestGracePeriods.srcuWithoutInactiveWait(2) : new Srcu(2)) {
            Box a = new Box();
            Box b = new Box();
            Holder h = new Holder();
            h.ptr = a;
            Thread reader = new Thread(() -> {
                int idx = srcu.readLock(0);
                Box seen = h.ptr;
                h.readerSawFreed = seen != null && seen.freed;
                srcu.readUnlock(0, idx);
            });
            Thread writer = new Thread(() -> {
                h.ptr = b;
                srcu.synchronize();
                a.freed = true;
                h.ptr = null;
                srcu.synchronize();
                b.freed = true;
            });
            join(reader, writer);
            assertFalse(h.readerSawFreed, "reader saw a freed object inside its section");
        }
    }


    @Test
    void srcuProtectsAReaderThatSampledTheIndexBeforeAFlip() {
        run(() -> srcuTwoGracePeriods(false));
    }

    @Test
    void srcuWithoutTheWaitOnTheInactiveIndexIsFound() {
        mustBeFound(() -> srcuTwoGracePeriods(true), "reader saw a freed object");
    }

    /**
     * SRCU's scan order (docs/ablation.md): a section inside across the grace period (slot 0), a
     * short section on another slot that may sample the old index before the flip, and the grace
     * period's flip and scan of the old index. The scan sums the unlocks before the locks; summed
     * the other way, the short section's lock after the lock sum and its unlock before the unlock
     * sum balance the long one's lock, and the old index looks drained with a reader in it.
     */
    static void srcuScanOrder(boolean locksFirst) {
        try (Srcu srcu = locksFirst ? TestGracePeriods.srcuSummingLocksFirst(2) : new Srcu(2)) {
            Box a = new Box();
            int idx = srcu.readLock(0); // a section that began before the grace period, inside throughout
            Thread brief = new Thread(() -> {
                int i = srcu.readLock(1);
                srcu.readUnlock(1, i);
            });
            Thread writer = new Thread(() -> {
                // the grace period's steps after its first wait: flip, then the scan of the old index
                int old = srcu.flip();
                if (srcu.drained(old)) {
                    a.freed = true;
                }
            });
            join(brief, writer);
            assertFalse(a.freed, "reader saw a freed object inside its section: the old index looked drained");
            srcu.readUnlock(0, idx);
        }
    }

    @Test
    void srcuScanSumsUnlocksBeforeLocks() {
        run(() -> srcuScanOrder(false));
    }

    @Test
    void srcuScanSummingLocksFirstIsFound() {
        mustBeFound(() -> srcuScanOrder(true), "reader saw a freed object");
    }

    // ---- seqcount: a reader that does not retry may use a torn read --------------------------

    static final class Pair {
        long a;
        long b;
    }

    static void seqcountScenario(boolean readerChecksRetry) {
        SeqCount seq = new SeqCount();
        Pair p = new Pair();
        long[] seen = new long[3];
        Thread writer = new Thread(() -> {
            seq.writeBegin();
            p.a = 1;
            p.b = 1;
            seq.writeEnd();
        });
        Thread reader = new Thread(() -> {
            long s = seq.begin();
            seen[0] = p.a;
            seen[1] = p.b;
            seen[2] = readerChecksRetry && seq.retry(s) ? 1 : 0;
        });
        join(writer, reader);
        if (seen[2] == 0) {
            assertEquals(seen[0], seen[1], "torn read accepted");
        }
    }

    @Test
    void seqcountRetryRejectsEveryTornRead() {
        run(() -> seqcountScenario(true));
    }

    @Test
    void aReaderThatSkipsTheRetryIsFound() {
        mustBeFound(() -> seqcountScenario(false), "torn read accepted");
    }

    // ---- percpu_ref: tryget_live against kill; release runs once, never under a holder ---------

    static final class RefState {
        int released;
        boolean releasedWhileHeld;
        boolean held;
    }

    static void percpuRefScenario(boolean switchBeforeGracePeriod) {
        try (Rcu rcu = TestGracePeriods.rcu(RcuFlavour.MEMB, 2, false, true)) {
            RefState st = new RefState();
            java.util.function.IntConsumer release = i -> {
                st.released++;
                st.releasedWhileHeld |= st.held;
            };
            PercpuRefs refs = switchBeforeGracePeriod
                    ? TestGracePeriods.refsSwitchingAtKill(rcu, 2, 1, release, PercpuRefs.Hooks.NONE)
                    : new PercpuRefs(rcu, 2, 1, release);
            refs.init(0);
            Thread reader = new Thread(() -> {
                rcu.online(0);
                if (refs.tryGetLive(0, 0)) {
                    st.held = true;
                    st.held = false;
                    refs.put(0, 0);
                }
                rcu.offline(0);
            });
            Thread killer = new Thread(() -> refs.kill(0));
            join(reader, killer);
            assertFalse(st.releasedWhileHeld, "released while a live get held it");
            assertEquals(1, st.released, "released exactly once");
        }
    }

    @Test
    void percpuRefReleasesOnceAndNeverUnderAHolder() {
        run(() -> percpuRefScenario(false));
    }

    @Test
    void percpuRefSwitchingBeforeTheGracePeriodIsFound() {
        mustBeFound(() -> percpuRefScenario(true), "release");
    }

    // ---- percpu-rwsem: readers and the writer never inside together ---------------------------

    static final class Section {
        int readers;
        boolean writer;
        boolean overlap;
    }

    static void rwsemScenario(boolean brokenGracePeriods) {
        rwsemScenario(brokenGracePeriods, rcu -> new PercpuRwSemaphore(rcu, 2));
    }

    static void rwsemScenario(boolean brokenGracePeriods, java.util.function.Function<Rcu, PercpuRwSemaphore> make) {
        // inline: rcu_sync's exit queues its return to idle
        try (Rcu rcu = TestGracePeriods.rcu(RcuFlavour.MEMB, 2, brokenGracePeriods, true)) {
            PercpuRwSemaphore sem = make.apply(rcu);
            Section s = new Section();
            Thread reader = new Thread(() -> {
                rcu.online(0);
                sem.readLock(0);
                s.readers++;
                s.overlap |= s.writer;
                s.readers--;
                sem.readUnlock(0);
                rcu.offline(0);
            });
            Thread writer = new Thread(() -> {
                sem.writeLock();
                s.writer = true;
                s.overlap |= s.readers != 0;
                s.writer = false;
                sem.writeUnlock();
            });
            join(reader, writer);
            assertFalse(s.overlap, "reader and writer inside together");
            assertEquals(0, sem.readersActive());
        }
    }

    @Test
    void percpuRwsemExcludesReadersAndWriter() {
        run(() -> rwsemScenario(false));
    }

    @Test
    void percpuRwsemWithBrokenGracePeriodsIsFound() {
        mustBeFound(() -> rwsemScenario(true), "inside together");
    }

    /** The writer's scan before its block: a slow-path reader passes the block check after the scan. */
    @Test
    void percpuRwsemWriterScanningBeforeItBlocksIsFound() {
        mustBeFound(() -> rwsemScenario(false, rcu -> AblationDoubles.rwsemScanningBeforeBlocking(rcu, 2)),
                "inside together");
    }

    /**
     * rcu_sync_enter()'s grace period before its state: a reader whose section begins after the
     * grace period still sees idle, and its fast-path count lands after the writer's scan.
     */
    @Test
    void rcuSyncEnterWithItsGracePeriodBeforeTheStateIsFound() {
        mustBeFound(20000, () -> rwsemScenario(false,
                rcu -> new PercpuRwSemaphore(rcu, 2, AblationDoubles.syncGracePeriodBeforeState(rcu))),
                "inside together");
    }

    // ---- the RCU-safe tree: lockless lookup against insert and erase --------------------------

    static void treeScenario(boolean retry) {
        RcuRbTree tree = new RcuRbTree();
        SeqCount seq = new SeqCount();
        KeyNode[] nodes = new KeyNode[8];
        for (int k = 1; k <= 5; k++) {
            nodes[k] = new KeyNode(k);
            tree.insertOrFind(nodes[k], 0, k);
        }
        long[] found = new long[1];
        Thread writer = new Thread(() -> {
            // Erasing 1 and 2 and inserting 6 and 7 rotates the paths to 3, 4 and 5.
            for (int k : new int[] {1, 2}) {
                seq.writeBegin();
                tree.erase(nodes[k]);
                seq.writeEnd();
            }
            for (int k : new int[] {6, 7}) {
                nodes[k] = new KeyNode(k);
                seq.writeBegin();
                tree.insertOrFind(nodes[k], 0, k);
                seq.writeEnd();
            }
        });
        Thread reader = new Thread(() -> {
            long missed = 0;
            for (long k = 3; k <= 5; k++) {
                RbNode n;
                while (true) {
                    long s = seq.begin();
                    n = tree.findBounded(0, k, 64);
                    if (n != null || !retry || !seq.retry(s)) {
                        break;
                    }
                }
                assertTrue(n != RcuRbTree.LOST, "lookup lost");
                if (n == null) {
                    missed++;
                } else {
                    assertEquals(k, n.keyLo(), "wrong node");
                }
            }
            found[0] = missed;
        });
        join(writer, reader);
        assertEquals(0, found[0], "stable key missed");
        tree.verify(); // throws naming the broken property
    }

    @Test
    void treeLookupWithTheRetryNeverMissesAStableKey() {
        run(() -> treeScenario(true));
    }

    @Test
    void treeLookupWithoutTheRetryMissesAndIsFound() {
        mustBeFound(() -> treeScenario(false), "stable key missed");
    }
}
