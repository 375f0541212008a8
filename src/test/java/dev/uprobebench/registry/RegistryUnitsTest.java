package dev.uprobebench.registry;

import dev.uprobebench.sync.GracePeriods;
import dev.uprobebench.sync.TestGracePeriods;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.CpuSlots;
import dev.uprobebench.sync.RcuFlavour;
import org.junit.jupiter.api.Test;

/**
 * The registry package's small contracts that the mutation run found unasserted: configuration
 * bounds, the stable range, the counters' totals, the slab's and uprobe's accessors, the back-end
 * table's lookups.
 */
class RegistryUnitsTest {
    @Test
    void aConfigurationOutOfBoundsIsRefusedAndItsBoundsAreAccepted() {
        RegistryConfig ok = new RegistryConfig(1, 1, 64, RcuFlavour.QSBR, RaceHooks.NONE, GracePeriods.KERNEL, false);
        assertEquals(64, ok.stepBound());
        assertThrows(IllegalArgumentException.class, () -> RegistryConfig.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> RegistryConfig.of(1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RegistryConfig(1, 1, 63, RcuFlavour.QSBR, RaceHooks.NONE, GracePeriods.KERNEL, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RegistryConfig(1, 1, 64, null, RaceHooks.NONE, GracePeriods.KERNEL, false));
        assertTrue(e.getMessage().contains(RcuFlavour.names()), e.getMessage());
        assertSame(TestGracePeriods.INLINE, ok.withGracePeriods(TestGracePeriods.INLINE).gracePeriods());
        assertSame(GracePeriods.KERNEL, RegistryConfig.of(1, 1).gracePeriods(), "main builds the kernel's only");
        assertThrows(IllegalArgumentException.class,
                () -> new RegistryConfig(1, 1, 64, RcuFlavour.QSBR, RaceHooks.NONE, null, false));
    }

    @Test
    void theStableRangeHoldsEveryStrideThOffsetFromItsStartToItsEnd() {
        InvariantCounters c = new InvariantCounters(1);
        c.declareStable(1, 10, 20, 2);
        InvariantCounters.StableRange r = c.stable();
        assertTrue(r.contains(1, 10));
        assertTrue(r.contains(1, 18));
        assertFalse(r.contains(1, 19), "between two stable keys");
        assertFalse(r.contains(1, 20), "the end is outside");
        assertFalse(r.contains(1, 9), "before the start");
        assertFalse(r.contains(1, 8), "before the start, on the stride");
        assertFalse(r.contains(2, 10), "another inode");
        assertThrows(IllegalArgumentException.class, () -> c.declareStable(1, 0, 1, 0));
        // The stride counts from the start, not from offset 0: a start off the stride.
        c.declareStable(1, 1, 10, 3);
        InvariantCounters.StableRange odd = c.stable();
        assertTrue(odd.contains(1, 1) && odd.contains(1, 4) && odd.contains(1, 7));
        assertFalse(odd.contains(1, 3) || odd.contains(1, 5) || odd.contains(1, 6), "off the stride from the start");
    }

    @Test
    void theCountersTotalHitsAndRetries() {
        InvariantCounters c = new InvariantCounters(2);
        CpuSlots slots = new CpuSlots(2);
        CpuSlot a = slots.acquire();
        CpuSlot b = slots.acquire();
        Uprobe u = new Slab(1, c).allocate(1, 1);
        for (CpuSlot s : new CpuSlot[] {a, b}) {
            int gen = c.beginUse(s, u, u.generationAcquire(), 1, 1);
            c.endUse(s, u, gen);
        }
        assertEquals(2, c.hits(), "one hit per slot, summed");
        c.onRetry(a);
        c.onRetry(b);
        c.onRetry(b);
        assertEquals(3, c.retries());
        assertEquals(2, c.retries(b));
        assertEquals(0, c.totalViolations());
    }

    @Test
    void aSlabNeedsOneObjectAndAFreedUprobeKeepsNoConsumer() {
        assertThrows(IllegalArgumentException.class, () -> new Slab(0, new InvariantCounters(1)));
        Slab slab = new Slab(2, new InvariantCounters(1));
        Uprobe u = slab.allocate(3, 7);
        assertEquals(3, u.keyHi());
        assertEquals(7, u.keyLo());
        assertTrue(u.toString().contains("3:7"), u.toString());
        u.setConsumersRelease(new UprobeConsumer[] {new UprobeConsumer()});
        assertTrue(slab.free(u));
        assertArrayEquals(new UprobeConsumer[0], u.consumersAcquire(), "a freed uprobe runs nothing");
    }

    @Test
    void aConsumerRefusesNegativeWorkAndReportsItsOwn() {
        assertThrows(IllegalArgumentException.class, () -> new UprobeConsumer(-1));
        assertEquals(5, new UprobeConsumer(5).work());
        assertEquals(0, new UprobeConsumer().work());
    }

    @Test
    void theBackEndTableAnswersByRoleAndSeries() {
        assertSame(Backend.UNSYNC, Backend.withRole(Backend.Role.CEILING));
        assertSame(Backend.RWLOCK, Backend.withRole(Backend.Role.BASELINE));
        assertSame(Backend.NULL, Backend.withRole(Backend.Role.FLOOR));
        assertEquals(Backend.Role.DESIGN, Backend.SRCU.role());
        assertEquals("SRCU", Backend.SRCU.publishedSeries());
        assertEquals("RCU Tasks Trace", Backend.SEQCOUNT_RCU.publishedSeries());
        assertEquals("seqcount-rcu", Backend.SEQCOUNT_RCU.toString());
        assertTrue(Backend.safeOnes().contains(Backend.SRCU) && Backend.safeOnes().contains(Backend.NULL));
        assertEquals(Backend.values().length - 2, Backend.safeOnes().size(),
                "every one but the negative control and the host kernel's reference");
    }
}
