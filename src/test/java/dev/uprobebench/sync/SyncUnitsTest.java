package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The primitives' single-threaded contracts, step by step: what each returns, counts and leaves
 * behind, where the concurrent tests only see the end result. Written for the gaps PIT found in
 * `sync/` against its own tests (docs/mutation-equivalents.md).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncUnitsTest {

    // ---- the tree's lookups, exact without a writer --------------------------------------------

    static RcuRbTree treeOfTens() {
        RcuRbTree t = new RcuRbTree();
        for (int k = 10; k <= 100; k += 10) {
            t.insertOrFind(new KeyNode(k), 0, k);
        }
        return t;
    }

    @Test
    void theFloorLookupIsTheGreatestKeyNotAboveTheQuery() {
        RcuRbTree t = treeOfTens();
        for (long q = 0; q <= 110; q++) {
            RbNode f = t.findFloorBounded(0, q, 64);
            if (q < 10) {
                assertNull(f, "no key at or below " + q);
            } else {
                assertEquals(Math.min(100, q / 10 * 10), f.keyLo(), "floor of " + q);
            }
            RbNode e = t.findBounded(0, q, 64);
            if (q % 10 == 0 && q >= 10 && q <= 100) {
                assertEquals(q, e.keyLo());
            } else {
                assertNull(e, "no key " + q);
            }
        }
    }

    @Test
    void theStepBoundCountsTheNodesVisited() {
        RcuRbTree t = treeOfTens();
        RbNode root = t.rootAcquire();
        long r = root.keyLo();
        assertSame(root, t.findBounded(0, r, 1), "the root is one step away");
        assertSame(root, t.findFloorBounded(0, r, 1));
        assertSame(RcuRbTree.LOST, t.findBounded(0, r, 0));
        assertSame(RcuRbTree.LOST, t.findFloorBounded(0, r, 0));
        RbNode child = root.leftAcquire();
        assertSame(child, t.findBounded(0, child.keyLo(), 2));
        assertSame(RcuRbTree.LOST, t.findBounded(0, child.keyLo(), 1), "a child is two steps away");
        assertSame(RcuRbTree.LOST, t.findFloorBounded(0, child.keyLo(), 1));
    }

    // ---- SRCU ------------------------------------------------------------------------------------

    @Test
    void theFlipReturnsTheIndexItLeaves() {
        Srcu s = new Srcu(1);
        assertEquals(0, s.flip());
        assertEquals(1, s.flip());
        assertEquals(0, s.flip());
    }

    @Test
    void aGracePeriodIsCountedOnceItEnds() {
        try (Srcu s = new Srcu(1)) {
            assertEquals(0, s.completedAcquire());
            s.synchronize();
            assertEquals(1, s.completedAcquire());
        }
        try (Rcu r = Rcu.create(RcuFlavour.MEMB, 1)) {
            assertEquals(0, r.completedAcquire());
            r.synchronize();
            assertEquals(1, r.completedAcquire());
        }
    }

    @Test
    void theFastReadSideCountsOnTheIndexItTookAfterAFlip() {
        Srcu s = Srcu.fastUpDown(2, () -> {
        });
        assertEquals(0, s.flip());
        int idx = s.readLockFast(0);
        assertEquals(1, idx, "the active index after one flip");
        assertFalse(s.drained(1), "a fast lock on index 1 keeps it from draining");
        assertTrue(s.drained(0));
        s.readUnlockFast(1, idx); // unlocked on another slot: the sums are what count
        assertTrue(s.drained(1));
        assertTrue(s.drained(0));
    }

    // ---- per-CPU references ----------------------------------------------------------------------

    @Test
    void eachReferenceCountsOnItsOwnCounters() {
        try (Rcu rcu = Rcu.create(RcuFlavour.MEMB, 2)) {
            PercpuRefs refs = new PercpuRefs(rcu, 2, 2, i -> {
            });
            refs.init(0);
            refs.init(1);
            refs.get(0, 0);
            assertTrue(refs.tryGetLive(1, 0));
            assertEquals(3, refs.count(0));
            assertEquals(1, refs.count(1), "the other reference is untouched");
            refs.put(1, 0);
            assertEquals(2, refs.count(0));
            assertEquals(0, rcu.readersInside(), "every get, tryget and put closes its read section");
        }
    }

    @Test
    void aPutInAtomicModeClosesItsReadSectionAndReleasesAtZero() {
        AtomicInteger released = new AtomicInteger();
        try (Rcu rcu = TestGracePeriods.rcu(RcuFlavour.MEMB, 1, false, true)) {
            PercpuRefs refs = new PercpuRefs(rcu, 1, 1, i -> released.incrementAndGet());
            refs.init(0);
            refs.get(0, 0);
            refs.kill(0); // inline: switched to atomic mode, the holder's reference left
            assertEquals(1, refs.count(0));
            refs.get(0, 0); // atomic mode
            assertEquals(2, refs.count(0));
            refs.put(0, 0);
            refs.put(0, 0);
            assertEquals(1, released.get());
            assertEquals(0, rcu.readersInside(), "the atomic-mode get and puts closed their read sections");
        }
    }

    @Test
    void exitDropsAnUnpublishedReferenceWithoutARelease() {
        AtomicInteger released = new AtomicInteger();
        try (Rcu rcu = Rcu.create(RcuFlavour.MEMB, 1)) {
            PercpuRefs refs = new PercpuRefs(rcu, 1, 1, i -> released.incrementAndGet());
            refs.init(0);
            refs.exit(0);
            assertEquals(0, refs.count(0));
            assertFalse(refs.isPercpu(0));
            assertFalse(refs.tryGetLive(0, 0));
            assertEquals(0, released.get());
        }
    }

    @Test
    void aReferenceKilledAndReleasedIsLiveAgainAfterInit() {
        AtomicInteger released = new AtomicInteger();
        try (Rcu rcu = TestGracePeriods.rcu(RcuFlavour.MEMB, 1, false, true)) {
            PercpuRefs refs = new PercpuRefs(rcu, 1, 1, i -> released.incrementAndGet());
            refs.init(0);
            refs.kill(0); // inline: the switch and the release run here
            assertEquals(1, released.get());
            assertFalse(refs.isPercpu(0));
            refs.init(0);
            assertTrue(refs.isPercpu(0), "init puts the reference back in per-CPU mode");
            assertTrue(refs.tryGetLive(0, 0));
            assertEquals(2, refs.count(0));
        }
    }

    // ---- RCU -------------------------------------------------------------------------------------

    @Test
    void eachFlavourNamesItself() {
        try (Rcu q = Rcu.create(RcuFlavour.QSBR, 1); Rcu m = Rcu.create(RcuFlavour.MEMB, 1)) {
            assertEquals("qsbr", q.flavour());
            assertEquals("memb", m.flavour());
        }
        assertEquals(RcuFlavour.QSBR, RcuFlavour.byName("qsbr"));
        assertEquals(RcuFlavour.MEMB, RcuFlavour.byName("memb"));
        assertThrows(IllegalArgumentException.class, () -> RcuFlavour.byName("tree"));
    }

    @Test
    void aQsbrReaderHoldsUpAGracePeriodUntilItAnnouncesAQuiescentState() {
        try (Rcu r = Rcu.create(RcuFlavour.QSBR, 1)) {
            r.online(0);
            long target = r.advance();
            assertTrue(r.holdsUp(0, target), "online since before the advance");
            r.quiescent(0);
            assertFalse(r.holdsUp(0, target), "the announcement is at the new counter");
            r.offline(0);
            assertFalse(r.holdsUp(0, r.advance()), "offline holds nothing up");
        }
    }

    @Test
    void anOnlineQsbrReaderIsOnlineAgainAfterItsOwnGracePeriodAndBarrier() {
        try (Rcu r = Rcu.create(RcuFlavour.QSBR, 2)) {
            r.online(0);
            r.synchronize();
            assertEquals(1, r.readersInside(), "back online after waiting offline");
            assertTrue(r.holdsUp(0, r.advance()));
            r.quiescent(0);
            AtomicInteger ran = new AtomicInteger();
            r.call(ran::incrementAndGet);
            r.barrier(); // the callback's grace period must not wait for this thread
            assertEquals(1, ran.get());
            assertEquals(1, r.readersInside(), "back online after the barrier");
            r.offline(0);
            assertEquals(0, r.readersInside());
        }
    }

    @Test
    void aReaderThatWentOfflineStaysOfflineThroughItsOwnGracePeriod() {
        try (Rcu r = Rcu.create(RcuFlavour.QSBR, 2)) {
            r.online(0);
            r.offline(0);
            r.synchronize();
            assertEquals(0, r.readersInside(), "a grace period from an offline thread leaves it offline");
            r.call(() -> {
            });
            r.barrier();
            assertEquals(0, r.readersInside());
        }
    }

    // ---- the seqcount, rcu_sync, the rwlock, the kernel's sources ---------------------------------

    @Test
    void tryBeginRefusesOnlyWhileAWriterIsInside() {
        SeqCount s = new SeqCount();
        assertEquals(0, s.tryBegin());
        s.writeBegin();
        assertEquals(-1, s.tryBegin());
        s.writeEnd();
        assertEquals(2, s.tryBegin());
    }

    @Test
    void rcuSyncWaitsAGracePeriodOnlyWhenLeavingIdle() {
        try (TestGracePeriods.DeferringRcu rcu = new TestGracePeriods.DeferringRcu(1)) {
            RcuSync s = new RcuSync(rcu);
            s.enter();
            assertEquals(1, rcu.gracePeriods.get(), "from idle: readers may be on the fast path");
            assertFalse(s.isIdle());
            s.exit();
            s.enter(); // before the exit's callback: no grace period of its own
            assertEquals(1, rcu.gracePeriods.get());
            s.exit();
            rcu.runQueued();
            assertTrue(s.isIdle());
            s.enter();
            assertEquals(2, rcu.gracePeriods.get());
            assertEquals(2, s.gracePeriodsWaited());
        }
    }

    @Test
    void theSlotArraysTakeOneToSixtyFourFields() {
        assertEquals(1, new SlotLongs(1, 1).fields());
        assertEquals(4 * SlotLongs.STRIDE, new SlotLongs(1, 4 * SlotLongs.STRIDE).fields());
        assertThrows(IllegalArgumentException.class, () -> new SlotLongs(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SlotLongs(1, 4 * SlotLongs.STRIDE + 1));
    }

    @Test
    void theKernelsSourcesMakeTheKernelsPrimitives() {
        GracePeriods k = GracePeriods.KERNEL;
        assertEquals("kernel", k.toString());
        try (Rcu r = k.rcu(RcuFlavour.QSBR, 1); Srcu s = k.srcu(1); Srcu f = k.srcuFastUpDown(1, () -> {
        })) {
            assertEquals("qsbr", r.flavour());
            assertFalse(s.isFast());
            assertTrue(f.isFast());
        }
        CallbackReclaimer w = k.putWork("units-put-work");
        assertNotNull(w);
        w.close();
    }
}
