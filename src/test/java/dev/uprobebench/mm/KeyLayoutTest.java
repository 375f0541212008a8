package dev.uprobebench.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Where each layout puts the two key sets, what it declares stable, and what it maps. */
class KeyLayoutTest {
    private static final int STABLE = 8;
    private static final int CHURN = 5;

    @Test
    void separateGivesTheChurnKeysAFileOfTheirOwnAfterEveryStableKey() {
        KeyLayout l = KeyLayout.SEPARATE;
        assertEquals(1, l.stableInode());
        assertEquals(2, l.churnInode());
        assertEquals(3, l.stableOffset(3));
        assertEquals(3, l.churnOffset(3));
        assertTrue(l.churnHasOwnFile());
    }

    @Test
    void interleavedPutsEachChurnKeyBetweenTwoStableKeysOfOneFile() {
        KeyLayout l = KeyLayout.INTERLEAVED;
        assertEquals(l.stableInode(), l.churnInode());
        for (int k = 0; k < CHURN; k++) {
            assertTrue(l.stableOffset(k) < l.churnOffset(k) && l.churnOffset(k) < l.stableOffset(k + 1),
                    "churn key " + k + " between stable keys " + k + " and " + (k + 1));
        }
        assertFalse(l.churnHasOwnFile());
    }

    @ParameterizedTest
    @EnumSource(KeyLayout.class)
    void noTwoKeysShareAnAddress(KeyLayout l) {
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < STABLE; k++) {
            assertTrue(seen.add(l.stableInode() + ":" + l.stableOffset(k)));
        }
        for (int k = 0; k < CHURN; k++) {
            assertTrue(seen.add(l.churnInode() + ":" + l.churnOffset(k)));
        }
    }

    @Test
    void interleavingRefusesMoreChurnKeysThanStableOnesAndNamesTheWayOut() {
        KeyLayout.INTERLEAVED.check(4, 4);
        KeyLayout.SEPARATE.check(1, 64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyLayout.INTERLEAVED.check(4, 5));
        assertTrue(e.getMessage().contains("no more churn keys (5) than stable ones (4)"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> KeyLayout.byName("mixed"));
        assertEquals("unknown key layout 'mixed'; valid: separate, interleaved", bad.getMessage());
        assertEquals(KeyLayout.INTERLEAVED, KeyLayout.byName("interleaved"));
    }

    /**
     * Through the address space, on one thread: every key of both sets has an address that
     * translates to it; a miss on a stable key is a false negative, a miss on a churn key (between
     * two stable keys when interleaved) is not.
     */
    @ParameterizedTest
    @EnumSource(KeyLayout.class)
    void everyKeyIsMappedAndOnlyStableMissesAreFalseNegatives(KeyLayout l) {
        try (UprobeRegistry registry = Backend.SEQCOUNT_RCU.create(RegistryConfig.of(64, 4));
                AddressSpace mm = AddressSpaceTest.mm(VmaLookup.MMAP_LOCK, registry)) {
            l.mapProbed(mm, STABLE, CHURN);
            l.declareStable(registry.invariants(), STABLE);
            UprobeConsumer c = new UprobeConsumer();
            for (int k = 0; k < STABLE; k++) {
                registry.register(l.stableInode(), l.stableOffset(k), c);
            }
            for (int k = 0; k < CHURN; k++) {
                registry.register(l.churnInode(), l.churnOffset(k), c);
            }
            CpuSlot slot = registry.slots().acquire();
            VmaWalker w = mm.newWalker();
            for (int k = 0; k < STABLE; k++) {
                assertEquals(l.stableOffset(k), w.hit(slot, Layout.vaddr(l.stableInode(), l.stableOffset(k)), registry));
            }
            for (int k = 0; k < CHURN; k++) {
                assertEquals(l.churnOffset(k), w.hit(slot, Layout.vaddr(l.churnInode(), l.churnOffset(k)), registry));
            }
            registry.unregister(l.churnInode(), l.churnOffset(2), c);
            registry.unregister(l.stableInode(), l.stableOffset(3), c);
            registry.synchronize();
            registry.barrier();
            assertEquals(UprobeRegistry.MISS, w.hit(slot, Layout.vaddr(l.churnInode(), l.churnOffset(2)), registry));
            assertEquals(0, registry.invariants().total(Violation.FALSE_NEGATIVE), "a churn key may be gone");
            assertEquals(UprobeRegistry.MISS, w.hit(slot, Layout.vaddr(l.stableInode(), l.stableOffset(3)), registry));
            assertEquals(1, registry.invariants().total(Violation.FALSE_NEGATIVE), "a stable key may not");
            registry.slots().release(slot);
        }
    }
}
