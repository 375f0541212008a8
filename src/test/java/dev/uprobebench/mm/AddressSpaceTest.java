package dev.uprobebench.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.CountingConsumer;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RcuFlavour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** The address space's contract, on one thread: mappings, translation, misses, leaks. */
class AddressSpaceTest {
    static AddressSpace mm(VmaLookup lookup, UprobeRegistry registry) {
        return new AddressSpace(lookup, 4, 32, RcuFlavour.MEMB, RegistryConfig.DEFAULT_STEP_BOUND,
                registry.invariants(), AddressSpace.Options.NONE);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> everyBackendAndLookup() {
        return Backend.models().stream().flatMap(b -> VmaTortureTest.withAddressSpace()
                .map(l -> org.junit.jupiter.params.provider.Arguments.of(b, l)));
    }

    /** The registry's contract through the address space: every back-end, every VMA lookup. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("everyBackendAndLookup")
    void anAddressTranslatesThroughItsMappingsFileOffset(Backend backend, VmaLookup lookup) {
        try (UprobeRegistry registry = backend.create(RegistryConfig.of(64, 4));
                AddressSpace mm = mm(lookup, registry)) {
            CountingConsumer c = new CountingConsumer();
            registry.register(7, 8192 + 10, c);
            // File 7 mapped from file offset 8192: address base + 10 is offset 8202.
            mm.mmap(Layout.probedBase(7), 2 * AddressSpace.PAGE_SIZE, 7, 8192);
            for (int j = 0; j < 8; j++) {
                Layout.mapRegion(mm, j); // neighbours in the tree
            }
            CpuSlot slot = registry.slots().acquire();
            VmaWalker w = mm.newWalker();
            assertEquals(8202, w.hit(slot, Layout.probedBase(7) + 10, registry));
            assertEquals(1, c.calls());
            assertEquals(UprobeRegistry.MISS, w.hit(slot, Layout.probedBase(7) + 11, registry), "no uprobe there");
            assertEquals(UprobeRegistry.MISS, w.hit(slot, Layout.probedBase(7) + 2 * AddressSpace.PAGE_SIZE, registry),
                    "past the end of the mapping");
            assertEquals(UprobeRegistry.MISS, w.hit(slot, Layout.regionStart(3) + 1, registry), "a region without uprobes");
            assertEquals(3, registry.invariants().misses(), "each miss counted once, after any fallback");
            assertEquals(1, registry.invariants().hits());
            if (lookup.speculative()) {
                assertEquals(4, w.speculations());
                assertEquals(3, w.fallbacks(), "a speculative miss is retried under the lock, as in the kernel");
            } else {
                assertEquals(0, w.speculations());
            }
            registry.slots().release(slot);
            registry.unregister(7, 8202, c);
            registry.synchronize();
            assertEquals(UprobeRegistry.MISS, w.hit(registry.slots().acquire(), Layout.probedBase(7) + 10, registry),
                    "unregistered and synchronized: gone");
            mm.unmapAll();
            assertEquals(0, mm.mappings());
            assertEquals(0, mm.checkLeaks());
            assertEquals(0, registry.checkLeaks());
            assertEquals(0, registry.invariants().totalViolations());
        }
    }

    /** mmap_lock_speculate_try_begin / _retry around a writer section, on one thread. */
    @Test
    void speculationFailsWhileAWriterHoldsTheLockAndIsVoidedByOneThatRan() {
        MmapLock lock = new MmapLock();
        long s = lock.speculateTryBegin();
        assertTrue(s >= 0);
        assertTrue(!lock.speculateRetry(s), "nothing ran");
        lock.writeLock();
        assertEquals(-1, lock.speculateTryBegin(), "a writer holds the lock");
        assertTrue(lock.isWriteLocked() && lock.sequenceOdd());
        lock.writeUnlock();
        assertTrue(lock.speculateRetry(s), "a writer ran since s");
        long after = lock.speculateTryBegin();
        assertEquals(s + 2, after, "one write section moves the sequence by 2");
        lock.readLock();
        assertEquals(1, lock.readersOpaque());
        assertTrue(!lock.speculateRetry(after), "readers do not move the sequence");
        lock.readUnlock();
        assertEquals(0, lock.readersOpaque());
    }

    @Test
    void overlappingAndMissingMappingsAreRefused() {
        try (UprobeRegistry registry = Backend.SRCU.create(RegistryConfig.of(64, 4));
                AddressSpace mm = mm(VmaLookup.SPECULATIVE, registry)) {
            mm.mmap(0x10000, 0x3000, 1, 0);
            assertThrows(IllegalArgumentException.class, () -> mm.mmap(0x12000, 0x1000, 2, 0));
            assertThrows(IllegalArgumentException.class, () -> mm.mmap(0xf000, 0x2000, 2, 0));
            assertThrows(IllegalArgumentException.class, () -> mm.mmap(0x20000, 0, 2, 0));
            assertThrows(IllegalArgumentException.class, () -> mm.munmap(0x11000), "not the start of a mapping");
            mm.mmap(0x13000, 0x1000, 2, 0); // adjacent is fine
            mm.munmap(0x10000);
            assertThrows(IllegalArgumentException.class, () -> mm.munmap(0x10000), "already unmapped");
            assertEquals(1, mm.mappings());
            mm.unmapAll();
            assertEquals(0, mm.checkLeaks());
        }
    }

    @Test
    void aMappingLeftAtTeardownIsALeak() {
        try (UprobeRegistry registry = Backend.SRCU.create(RegistryConfig.of(64, 4));
                AddressSpace mm = mm(VmaLookup.MMAP_LOCK, registry)) {
            mm.mmap(0x10000, 0x1000, 1, 0);
            assertEquals(2, mm.checkLeaks(), "its VMA and its file");
            assertEquals(2, registry.invariants().total(Violation.LEAK));
        }
    }

    @Test
    void aReaderLeftInsideIsALeak() {
        try (UprobeRegistry registry = Backend.SRCU.create(RegistryConfig.of(64, 4));
                AddressSpace mm = mm(VmaLookup.SPECULATIVE, registry)) {
            mm.rcu.readLock(1);
            assertTrue(mm.checkLeaks() >= 1);
            mm.rcu.readUnlock(1);
        }
    }

    @Test
    void theRegistryOnlyModeHasNoAddressSpace() {
        try (UprobeRegistry registry = Backend.SRCU.create(RegistryConfig.of(64, 4))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mm(VmaLookup.NONE, registry));
            assertTrue(e.getMessage().contains("mmap-lock, speculative"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VmaLookup.byName("maple"));
        assertEquals("unknown VMA lookup 'maple'; valid: none, mmap-lock, speculative, speculative-typesafe", e.getMessage());
    }

    /**
     * A speculative lookup that gives up at the tree's step bound is counted apart from the ordinary
     * fallbacks (issue 23's blind spot): with a bound of one step and several VMAs, every
     * speculation that must walk further falls back for that reason, and the locked walk that
     * follows counts a lost lookup (the bound is a loss detector).
     */
    @Test
    void aSpeculationThatGivesUpAtTheStepBoundIsCountedApart() {
        try (UprobeRegistry registry = Backend.SRCU.create(RegistryConfig.of(64, 4));
                AddressSpace mm = new AddressSpace(VmaLookup.SPECULATIVE, 4, 32, RcuFlavour.MEMB, 1,
                        registry.invariants(), AddressSpace.Options.NONE)) {
            for (int j = 0; j < 8; j++) {
                Layout.mapRegion(mm, j);
            }
            CpuSlot slot = registry.slots().acquire();
            VmaWalker w = mm.newWalker();
            int walks = 0;
            for (int j = 0; j < 8; j++) {
                w.hit(slot, Layout.regionStart(j) + 1, registry);
                walks++;
            }
            assertEquals(walks, w.speculations());
            assertTrue(w.stepBoundFallbacks() > 0 && w.stepBoundFallbacks() <= w.fallbacks(),
                    w.stepBoundFallbacks() + " of " + w.fallbacks());
            assertEquals(w.stepBoundFallbacks(), registry.invariants().snapshot().get(Violation.LOST_LOOKUP),
                    "each locked walk after it reached the bound too");
            registry.slots().release(slot);
            mm.unmapAll();
        }
    }
}
