package dev.uprobebench.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.CpuSlots;
import dev.uprobebench.sync.RcuFlavour;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The address space's small parts on their own, value by value: the layout's addresses, a file's
 * and a VMA's lifetime fields, the pools' order and double-free checks, and the lookups' names.
 * The races these parts take part in are held by the torture and latched tests beside this one.
 */
class MmUnitsTest {
    static final long PAGE = AddressSpace.PAGE_SIZE;

    @Test
    void theLayoutPutsEachProbedFileInItsOwnWindowAndChurnRegionsAPageApart() {
        assertEquals(0x40_0000L, Layout.probedBase(1));
        assertEquals(0x40_0000L + (1L << 32), Layout.probedBase(2));
        assertEquals(0x40_0000L + 4094L * (1L << 32), Layout.probedBase(4095));
        assertEquals(Layout.probedBase(3) + 0x123, Layout.vaddr(3, 0x123));
        for (long bad : new long[] {0, -1, 4096}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layout.probedBase(bad));
            assertTrue(e.getMessage().contains("1..4095"), e.getMessage());
        }
        assertEquals(0x7f00_0000_0000L, Layout.regionStart(0));
        assertEquals(0x7f00_0000_0000L + 6 * PAGE, Layout.regionStart(3));
        assertEquals((1L << 40) + 5, Layout.regionInode(5));
        assertEquals(0, Layout.pageAligned(0));
        assertEquals(PAGE, Layout.pageAligned(1));
        assertEquals(PAGE, Layout.pageAligned(PAGE));
        assertEquals(2 * PAGE, Layout.pageAligned(PAGE + 1));
    }

    @Test
    void aFileMovesItsGenerationAtEveryOpenAndCloseAndReadsPoisonWhileFree() {
        MappedFile f = new MappedFile(7);
        assertEquals(7, f.index());
        assertTrue(f.isFree());
        assertEquals(MappedFile.POISON, f.inodeAcquire());
        assertEquals(0, f.generationAcquire());
        f.open(42);
        assertFalse(f.isFree());
        assertEquals(42, f.inodeAcquire());
        assertEquals(1, f.generationAcquire());
        f.close();
        assertTrue(f.isFree());
        assertEquals(MappedFile.POISON, f.inodeAcquire());
        assertEquals(2, f.generationAcquire());
        f.open(43);
        assertEquals("file#7{inode=43, gen=3}", f.toString());
    }

    @Test
    void theFilePoolReusesTheLastClosedFileFirstAndRefusesASecondClose() {
        InvariantCounters inv = new InvariantCounters(1);
        FilePool pool = new FilePool(inv);
        MappedFile a = pool.open(1);
        MappedFile b = pool.open(2);
        assertEquals(0, a.index());
        assertEquals(1, b.index());
        assertEquals(2, pool.open());
        pool.close(a);
        assertEquals(1, pool.open());
        assertTrue(a.isFree());
        MappedFile c = pool.open(3);
        assertSame(a, c, "the most recently closed file comes back first");
        assertEquals(3, c.inodeAcquire());
        pool.close(b);
        pool.close(b);
        assertEquals(1, inv.total(Violation.DOUBLE_FREE));
        assertEquals(1, pool.open(), "the second close was not applied");
        assertEquals(2, b.generationAcquire(), "opened once, closed once");
    }

    @Test
    void theVmaPoolHandsOutTheLastFreedFirstRefusesStrangersAndCountsASecondFree() {
        InvariantCounters inv = new InvariantCounters(1);
        assertThrows(IllegalArgumentException.class, () -> new VmaPool(0, inv));
        VmaPool one = new VmaPool(1, inv);
        assertEquals(1, one.capacity());
        Vma only = one.tryAllocate(0, PAGE, 0);
        assertEquals(1, one.inUse());
        assertNull(one.tryAllocate(PAGE, 2 * PAGE, 0), "none left: null, never a new object");
        VmaPool pool = new VmaPool(3, inv);
        assertEquals(3, pool.capacity());
        assertThrows(IllegalArgumentException.class, () -> pool.free(only), "a VMA of another pool");
        Vma a = pool.tryAllocate(0, PAGE, 0);
        Vma b = pool.tryAllocate(PAGE, 2 * PAGE, 0);
        pool.free(a);
        assertEquals(1, pool.inUse());
        assertSame(a, pool.tryAllocate(5 * PAGE, 6 * PAGE, 0), "the last freed comes back first");
        pool.free(b);
        pool.free(b);
        assertEquals(1, inv.total(Violation.DOUBLE_FREE));
        assertEquals(1, pool.inUse(), "the second free was not applied");
    }

    @Test
    void aVmaCoversItsHalfOpenRangeAndTranslatesByItsOffset() {
        Vma v = new Vma(3);
        v.initialize(0x1000, 0x3000, 0x500);
        assertEquals(0x1000, v.start());
        assertEquals(0x3000, v.end());
        assertEquals(0x500, v.pgoff());
        assertTrue(v.contains(0x1000));
        assertTrue(v.contains(0x2fff));
        assertFalse(v.contains(0x3000));
        assertFalse(v.contains(0xfff));
        assertEquals(0x500 + 0x800, v.fileOffset(0x1800));
        assertEquals(0, v.compareKey(0, 0x1000));
        assertTrue(v.compareKey(1, 0) > 0, "the high key first");
        assertTrue(v.compareKey(0, 0x2000) > 0);
        assertTrue(v.compareKey(0, 0x800) < 0);
        assertEquals(0, v.keyHi());
        assertEquals(0x1000, v.keyLo());
        assertEquals("vma#3[1000, 3000)", v.toString());
    }

    @Test
    void aVmaIsRevalidatedByStateGenerationAndRangeAndPoisonedOnce() {
        Vma v = new Vma(0);
        v.initialize(0x1000, 0x2000, 0);
        int gen = v.generationAcquire();
        assertEquals(1, gen);
        assertEquals(Vma.State.DETACHED, v.stateAcquire());
        assertFalse(v.stillMaps(gen, 0x1000), "not linked yet");
        MappedFile f = new MappedFile(0);
        v.setFile(f);
        v.markLinked();
        assertSame(f, v.fileAcquire());
        assertTrue(v.stillMaps(gen, 0x1000));
        assertFalse(v.stillMaps(gen, 0x2000), "outside its range");
        assertFalse(v.stillMaps(gen + 1, 0x1000), "another generation");
        v.markDetached();
        assertFalse(v.stillMaps(gen, 0x1000));
        assertTrue(v.poison());
        assertEquals(Vma.State.FREED, v.stateAcquire());
        assertNull(v.fileAcquire(), "a freed VMA maps no file");
        assertFalse(v.poison(), "a second free is refused");
        v.initialize(0x5000, 0x6000, 0);
        assertEquals(2, v.generationAcquire(), "reuse moves the generation");
        v.markLinked();
        assertFalse(v.stillMaps(gen, 0x5000), "a reader of the old mapping sees the reuse");
    }

    @Test
    void eachLookupKnowsItsNameLifetimeAndVersion() {
        assertFalse(VmaLookup.NONE.speculative());
        assertFalse(VmaLookup.MMAP_LOCK.speculative());
        assertTrue(VmaLookup.SPECULATIVE.speculative());
        assertTrue(VmaLookup.SPECULATIVE_TYPESAFE.speculative());
        assertFalse(VmaLookup.SPECULATIVE.typesafe());
        assertTrue(VmaLookup.SPECULATIVE_TYPESAFE.typesafe());
        assertEquals("rcu", VmaLookup.SPECULATIVE.vmaFree());
        assertEquals("typesafe", VmaLookup.SPECULATIVE_TYPESAFE.vmaFree());
        assertEquals("rcu", VmaLookup.MMAP_LOCK.vmaFree());
        assertSame(VmaLookup.SPECULATIVE_TYPESAFE, VmaLookup.SPECULATIVE.withVmaFree("typesafe"));
        assertSame(VmaLookup.SPECULATIVE, VmaLookup.SPECULATIVE_TYPESAFE.withVmaFree("rcu"));
        assertSame(VmaLookup.SPECULATIVE, VmaLookup.SPECULATIVE.withVmaFree("rcu"));
        assertSame(VmaLookup.MMAP_LOCK, VmaLookup.MMAP_LOCK.withVmaFree("typesafe"), "a locked reader has no lifetime axis");
        assertSame(VmaLookup.NONE, VmaLookup.NONE.withVmaFree("rcu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VmaLookup.SPECULATIVE.withVmaFree("slab"));
        assertTrue(e.getMessage().contains("rcu, typesafe"), e.getMessage());
        Set<String> descriptions = new HashSet<>();
        for (VmaLookup v : VmaLookup.values()) {
            assertSame(v, VmaLookup.byName(v.label()));
            assertFalse(v.description().isEmpty());
            assertTrue(descriptions.add(v.description()), "one description each");
        }
        assertTrue(VmaLookup.MMAP_LOCK.description().contains("6.13"));
        assertTrue(VmaLookup.SPECULATIVE_TYPESAFE.description().contains("6.15"));
        assertThrows(IllegalArgumentException.class, () -> VmaLookup.byName("rcu"));
        assertNotEquals(VmaLookup.SPECULATIVE.label(), VmaLookup.SPECULATIVE_TYPESAFE.label());
    }

    @Test
    void theTruthKeepsTheLastSixteenVersionsOfTheMappings() {
        MappingTruth t = new MappingTruth();
        assertEquals(0, t.at(0).starts().length, "the empty address space before any write");
        for (int k = 1; k <= MappingTruth.VERSIONS; k++) {
            t.record(4 * k * PAGE, 4 * k * PAGE + PAGE, k, 0);
            t.publish(2L * k);
        }
        for (int k = 1; k <= MappingTruth.VERSIONS; k++) {
            MappingTruth.Snapshot s = t.at(2L * k);
            assertNotNull(s, "version " + 2 * k + " is still in the ring");
            assertEquals(k, s.starts().length);
            assertTrue(s.maps(4 * k * PAGE + 5, k, 5));
        }
        assertNull(t.at(0), "the seventeenth version back has left the ring");
        t.forget(4 * PAGE);
        t.publish(2L * (MappingTruth.VERSIONS + 1));
        assertFalse(t.at(2L * (MappingTruth.VERSIONS + 1)).maps(4 * PAGE, 1, 0), "forgotten");
    }

    static AddressSpace mm(VmaLookup lookup, int vmaCapacity, InvariantCounters inv) {
        return new AddressSpace(lookup, 2, vmaCapacity, RcuFlavour.QSBR, 64, inv, AddressSpace.Options.NONE);
    }

    @Test
    void mmapRefusesEmptyNegativeWrappingAndOverlappingRangesAndAcceptsAdjacentOnes() {
        InvariantCounters inv = new InvariantCounters(2);
        try (AddressSpace m = mm(VmaLookup.MMAP_LOCK, 8, inv)) {
            assertThrows(IllegalArgumentException.class, () -> m.mmap(PAGE, 0, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> m.mmap(-PAGE, PAGE, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> m.mmap(Long.MAX_VALUE - 10, PAGE, 1, 0));
            m.mmap(0, PAGE, 1, 0);
            m.mmap(2 * PAGE, PAGE, 2, 0);
            m.mmap(PAGE, PAGE, 3, 0); // touches both neighbours, overlaps neither
            assertEquals(3, m.mappings());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.mmap(2 * PAGE + 16, PAGE, 4, 0));
            assertTrue(e.getMessage().startsWith("mapping [2010, 3010) overlaps vma#"), e.getMessage());
            assertEquals(3, m.mappings());
            MappingTruth.Snapshot now = m.truth.at(m.lock.sequenceOpaque());
            assertNotNull(now, "a refused mapping's write section publishes the mappings as they are");
            assertTrue(now.maps(PAGE + 8, 3, 8));
            m.munmap(PAGE);
            now = m.truth.at(m.lock.sequenceOpaque());
            assertNotNull(now, "every write publishes the mappings at its sequence");
            assertFalse(now.maps(PAGE + 8, 3, 8), "unmapped");
            assertTrue(now.maps(2 * PAGE, 2, 0));
            assertThrows(IllegalArgumentException.class, () -> m.munmap(PAGE));
            assertNotNull(m.truth.at(m.lock.sequenceOpaque()), "and so does a refused unmapping's");
            m.unmapAll();
            assertEquals(0, m.checkLeaks());
        }
    }

    @Test
    void anEmptyVmaPoolIsSaidAfterWaitingForGracePeriods() {
        InvariantCounters inv = new InvariantCounters(2);
        try (AddressSpace m = mm(VmaLookup.MMAP_LOCK, 2, inv)) {
            m.mmap(0, PAGE, 1, 0);
            m.mmap(2 * PAGE, PAGE, 2, 0);
            IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(IllegalStateException.class, () -> m.mmap(4 * PAGE, PAGE, 3, 0)));
            assertTrue(e.getMessage().contains("VMA pool exhausted: 2 VMAs"), e.getMessage());
            m.munmap(0); // freed after a grace period: the next mapping waits for it
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> m.mmap(4 * PAGE, PAGE, 3, 0));
            m.unmapAll();
            assertEquals(0, m.checkLeaks());
        }
    }

    @Test
    void theLeakCheckAddsEveryKindOfLeftover() {
        InvariantCounters inv = new InvariantCounters(2);
        CpuSlots slots = new CpuSlots(2);
        try (AddressSpace m = mm(VmaLookup.SPECULATIVE, 8, inv)) {
            m.mmap(0, PAGE, 1, 0);
            m.mmap(2 * PAGE, PAGE, 2, 0);
            assertEquals(4, m.checkLeaks(), "two VMAs and two files");
            m.unmapAll();
            assertEquals(0, m.checkLeaks());
            m.lock.readLock();
            assertEquals(1, m.checkLeaks(), "a reader holding mmap_lock");
            m.lock.readUnlock();
            m.lock.writeLock();
            assertEquals(2, m.checkLeaks(), "a writer holding it, with the sequence odd");
            m.lock.writeUnlock();
            CpuSlot slot = slots.acquire();
            m.online(slot);
            assertEquals(1, m.checkLeaks(), "an RCU reader still online");
            m.offline(slot);
            assertEquals(0, m.checkLeaks());
            assertEquals(4 + 1 + 2 + 1, inv.total(Violation.LEAK));
        }
    }

    @Test
    void aGracePeriodWaitsForAnOnlineReaderUntilItAnnouncesAQuiescentState() throws Exception {
        InvariantCounters inv = new InvariantCounters(2);
        CpuSlots slots = new CpuSlots(2);
        ExecutorService own = Executors.newSingleThreadExecutor();
        try (AddressSpace m = mm(VmaLookup.SPECULATIVE, 8, inv)) {
            m.mmap(0, PAGE, 1, 0);
            CountDownLatch online = new CountDownLatch(1);
            AtomicBoolean freed = new AtomicBoolean();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                CpuSlot slot = slots.acquire();
                m.online(slot);
                online.countDown();
                while (!freed.get()) {
                    m.quiescent(slot);
                    Thread.onSpinWait();
                }
                m.offline(slot);
            }, own);
            assertTrue(online.await(20, TimeUnit.SECONDS));
            m.munmap(0); // the VMA's free waits for a grace period, which waits for the reader
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> m.rcu.barrier(),
                    "the reader's quiescent states let the grace period end");
            freed.set(true);
            reader.get(20, TimeUnit.SECONDS);
            assertEquals(0, m.checkLeaks());
        } finally {
            own.shutdown();
        }
    }

    @Test
    void aLookupThatGivesUpAtTheStepBoundIsCountedOnBothPaths() {
        InvariantCounters inv = new InvariantCounters(2);
        CpuSlots slots = new CpuSlots(2);
        try (AddressSpace m = new AddressSpace(VmaLookup.SPECULATIVE, 2, 16, RcuFlavour.QSBR, 1, inv,
                AddressSpace.Options.NONE)) {
            for (int k = 0; k < 8; k++) {
                m.mmap(2 * k * PAGE, PAGE, k + 1, 0);
            }
            CpuSlot slot = slots.acquire();
            m.online(slot);
            VmaWalker w = m.newWalker();
            long[] looked = new long[1];
            VmaWalker.Lookup registry = (s, ino, off, check) -> {
                looked[0]++;
                return check.found(s) ? 1 : UprobeRegistry.RETRY;
            };
            // the deepest mapping is more than one step from the root: both lookups give up there
            long r = w.hit(slot, 14 * PAGE + 8, registry);
            assertEquals(UprobeRegistry.MISS, r);
            assertEquals(0, looked[0]);
            assertEquals(1, w.speculations());
            assertEquals(1, w.fallbacks());
            assertEquals(1, w.stepBoundFallbacks(), "the speculation gave up at the step bound");
            assertEquals(1, inv.total(Violation.LOST_LOOKUP), "and so did the locked lookup");
            m.offline(slot);
            m.unmapAll();
        }
    }

    @Test
    void aTypesafeSpeculationOnALinkedVmaHitsWithoutFallingBackAndTheDefaultRevalidationSeesAReuse() {
        InvariantCounters inv = new InvariantCounters(2);
        CpuSlots slots = new CpuSlots(2);
        try (AddressSpace m = mm(VmaLookup.SPECULATIVE_TYPESAFE, 8, inv)) {
            assertSame(VmaLookup.SPECULATIVE_TYPESAFE, m.lookup());
            m.mmap(0, PAGE, 1, 0);
            CpuSlot slot = slots.acquire();
            m.online(slot);
            VmaWalker w = m.newWalker();
            long[] seen = new long[2];
            long r = w.hit(slot, 8, (s, ino, off, check) -> {
                seen[0] = ino;
                seen[1] = off;
                return check.found(s) ? 1 : UprobeRegistry.RETRY;
            });
            assertEquals(1, r);
            assertEquals(1, seen[0]);
            assertEquals(8, seen[1]);
            assertEquals(1, w.speculations());
            assertEquals(0, w.fallbacks(), "a linked VMA, no writer: the speculation stands");
            assertEquals(0, inv.totalViolations());
            m.offline(slot);
            m.unmapAll();
        }
        Vma v = new Vma(0);
        v.initialize(0x1000, 0x2000, 0);
        v.markLinked();
        int gen = v.generationAcquire();
        assertTrue(MmHooks.NONE.revalidate(v, gen, 0x1000));
        v.markDetached();
        v.poison();
        v.initialize(0x1000, 0x2000, 0); // freed and reused at once for the same range
        v.markLinked();
        assertFalse(MmHooks.NONE.revalidate(v, gen, 0x1000), "the generation moved: the reader must fall back");
    }
}
