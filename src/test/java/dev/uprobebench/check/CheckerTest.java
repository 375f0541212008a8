package dev.uprobebench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.check.BrokenRegistry.Fault;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of violation, injected through a broken registry, is counted, and only that kind. */
class CheckerTest {
    private static Map<Violation, Long> oneHit(Fault fault, long inode, long offset) {
        BrokenRegistry r = new BrokenRegistry(fault, 16, 2);
        r.register(1, 10, new UprobeConsumer());
        r.register(1, 11, new UprobeConsumer());
        r.invariants().declareStable(1, 10, 12);
        CpuSlot slot = r.slots().acquire();
        r.hit(slot, inode, offset);
        return r.invariants().snapshot();
    }

    private static void assertOnly(Map<Violation, Long> counts, Violation expected, long n) {
        for (Map.Entry<Violation, Long> e : counts.entrySet()) {
            assertEquals(e.getKey() == expected ? n : 0, e.getValue(), e.getKey() + " in " + counts);
        }
    }

    @Test
    void freeingAUprobeAReaderHoldsIsAUseAfterFree() {
        assertOnly(oneHit(Fault.FREE_WHILE_HELD, 1, 10), Violation.USE_AFTER_FREE, 1);
    }

    @Test
    void raisingAZeroRefcountIsAResurrection() {
        assertOnly(oneHit(Fault.GET_FROM_ZERO, 1, 10), Violation.RESURRECTION, 1);
    }

    @Test
    void returningAnotherKeysUprobeIsAWrongHit() {
        assertOnly(oneHit(Fault.WRONG_NODE, 1, 10), Violation.WRONG_HIT, 1);
    }

    @Test
    void aLookupOverTheStepBoundIsLost() {
        assertOnly(oneHit(Fault.ENDLESS_LOOKUP, 1, 10), Violation.LOST_LOOKUP, 1);
    }

    @Test
    void aCleanHitCountsNothing() {
        assertOnly(oneHit(Fault.LEAK_ON_UNREGISTER, 1, 10), Violation.LEAK, 0);
    }

    @Test
    void tortureCountsFalseNegativesOnDroppedStableKeys() {
        TortureResult r = TortureDriver.run(new BrokenRegistry(Fault.DROP_STABLE_KEYS, 4096, 4),
                TortureConfig.defaults().withThreads(1, 1).withMillis(300));
        assertTrue(r.count(Violation.FALSE_NEGATIVE) > 0, r.format());
        assertEquals(r.count(Violation.FALSE_NEGATIVE), r.totalViolations(), r.format());
    }

    @Test
    void tortureCountsEveryUprobeNotFreedAtTeardownAsALeak() {
        TortureResult r = TortureDriver.run(new BrokenRegistry(Fault.LEAK_ON_UNREGISTER, 8192, 4),
                TortureConfig.defaults().withThreads(1, 1).withMillis(300));
        assertEquals(TortureConfig.defaults().stableSize(), r.count(Violation.LEAK), r.format());
        assertEquals(r.count(Violation.LEAK), r.totalViolations(), r.format());
    }

    @Test
    void tortureCountsAPutTooManyAsDoubleFreesAndTheRunIsNotClean() {
        TortureResult r = TortureDriver.run(new BrokenRegistry(Fault.DOUBLE_FREE_ON_UNREGISTER, 4096, 4),
                TortureConfig.defaults().withThreads(1, 1).withMillis(300));
        assertTrue(r.count(Violation.DOUBLE_FREE) > 0, r.format());
        assertFalse(r.clean(), r.format());
        assertTrue(r.format().contains("double-free"), r.format());
    }

    @Test
    void missOnAChurnKeyIsNotAViolation() {
        BrokenRegistry r = new BrokenRegistry(Fault.LEAK_ON_UNREGISTER, 16, 2);
        r.invariants().declareStable(1, 0, 4);
        CpuSlot slot = r.slots().acquire();
        assertEquals(UprobeRegistry.MISS, r.hit(slot, 2, 0));
        assertEquals(0, r.invariants().totalViolations());
        assertEquals(1, r.invariants().misses());
    }
}
