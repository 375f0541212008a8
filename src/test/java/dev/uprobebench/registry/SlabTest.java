package dev.uprobebench.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlabTest {
    @Test
    void allocationGivesALiveObjectWithOneReferenceAndTheKey() {
        Slab slab = new Slab(4, new InvariantCounters(1));
        Uprobe u = slab.allocate(3, 5);
        assertEquals(Uprobe.State.LIVE, u.state());
        assertEquals(1, u.refOpaque());
        assertTrue(u.hasKey(3, 5));
        assertEquals(1, slab.inUse());
    }

    @Test
    void freePoisonsAndTheNextAllocationRecyclesWithANewGeneration() {
        Slab slab = new Slab(4, new InvariantCounters(1));
        Uprobe u = slab.allocate(3, 5);
        int gen = u.generationAcquire();
        assertTrue(slab.free(u));
        assertEquals(Uprobe.State.FREED, u.state());
        assertEquals(Uprobe.POISON, u.inode());
        assertEquals(Uprobe.POISON, u.offset());
        Uprobe again = slab.allocate(7, 9);
        assertSame(u, again, "LIFO: an early free is recycled at once");
        assertEquals(gen + 1, again.generationAcquire());
        assertTrue(again.hasKey(7, 9));
    }

    @Test
    void doubleFreeIsRefusedAndCountedAsAViolation() {
        InvariantCounters counts = new InvariantCounters(1);
        Slab slab = new Slab(2, counts);
        Uprobe u = slab.allocate(1, 1);
        assertTrue(slab.free(u));
        assertFalse(slab.free(u));
        assertEquals(1, counts.total(Violation.DOUBLE_FREE));
        assertEquals(1, counts.totalViolations());
        assertEquals(0, slab.inUse());
    }

    @Test
    void exhaustionIsAnErrorNotAnAllocation() {
        Slab slab = new Slab(1, new InvariantCounters(1));
        slab.allocate(1, 1);
        assertNull(slab.tryAllocate(1, 2));
        SlabExhaustedException e = assertThrows(SlabExhaustedException.class, () -> slab.allocate(1, 2));
        assertTrue(e.getMessage().contains("slab"), e.getMessage());
    }

    @Test
    void freeOfAForeignObjectIsRefused() {
        Slab a = new Slab(1, new InvariantCounters(1));
        Slab b = new Slab(1, new InvariantCounters(1));
        Uprobe u = a.allocate(1, 1);
        assertThrows(IllegalArgumentException.class, () -> b.free(u));
    }
}
