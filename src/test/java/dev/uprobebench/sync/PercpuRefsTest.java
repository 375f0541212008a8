package dev.uprobebench.sync;

import static dev.uprobebench.sync.GracePeriodTest.await;
import static dev.uprobebench.sync.GracePeriodTest.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PercpuRefsTest {
    private final List<Integer> released = Collections.synchronizedList(new ArrayList<>());

    @Test
    void perCpuGetsAndPutsNeverWriteASharedWord() {
        try (Rcu rcu = Rcu.create(RcuFlavour.QSBR, 4)) {
            PercpuRefs refs = new PercpuRefs(rcu, 4, 8, released::add);
            refs.init(3);
            for (int i = 0; i < 1000; i++) {
                refs.get(0, 3);
                assertTrue(refs.tryGetLive(1, 3));
                refs.put(1, 3);
                refs.put(0, 3);
            }
            assertEquals(0, refs.sharedWrites(), "per-CPU mode wrote the shared count");
            assertEquals(1, refs.count(3), "only the base reference is left");
            assertTrue(refs.isPercpu(3));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qsbr", "memb"})
    void killWithOutstandingReferencesReleasesOnceAfterTheLastPut(String flavour) {
        try (Rcu rcu = Rcu.create(RcuFlavour.byName(flavour), 4)) {
            PercpuRefs refs = new PercpuRefs(rcu, 4, 8, released::add);
            refs.init(5);
            refs.get(0, 5);
            refs.get(1, 5);
            refs.kill(5);
            rcu.barrier(); // the switch to atomic mode has run
            assertFalse(refs.isPercpu(5));
            assertEquals(2, refs.count(5));
            assertTrue(released.isEmpty());
            refs.put(1, 5);
            assertTrue(released.isEmpty(), "released with a reference outstanding");
            refs.put(0, 5);
            assertEquals(List.of(5), released);
        }
    }

    @Test
    void killWithNoReferencesReleasesAfterTheSwitch() {
        try (Rcu rcu = Rcu.create(RcuFlavour.QSBR, 4)) {
            PercpuRefs refs = new PercpuRefs(rcu, 4, 8, released::add);
            refs.init(2);
            refs.kill(2);
            rcu.barrier();
            assertEquals(List.of(2), released);
        }
    }

    @Test
    void tryGetLiveFailsOnceKilledBeforeAndAfterTheSwitch() {
        try (Rcu rcu = Rcu.create(RcuFlavour.QSBR, 4)) {
            PercpuRefs refs = new PercpuRefs(rcu, 4, 8, released::add);
            refs.init(1);
            refs.get(0, 1);
            refs.kill(1);
            assertFalse(refs.tryGetLive(0, 1), "tryGetLive succeeded during the switch");
            rcu.barrier();
            assertFalse(refs.tryGetLive(0, 1), "tryGetLive succeeded after the switch");
            refs.put(0, 1);
            assertEquals(List.of(1), released);
        }
    }

    /**
     * A put that has read "per-CPU mode" and not yet decremented when the ref is killed. The switch
     * must wait for it (a grace period): then the count reaches zero and the release runs once.
     * Returns how many releases ran.
     */
    private int releasesAfterAKillRacingAnInFlightPut(boolean switchBeforeGracePeriod) {
        released.clear();
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        try (Rcu rcu = Rcu.create(RcuFlavour.MEMB, 4)) {
            PercpuRefs.Hooks pause = new PercpuRefs.Hooks() {
                @Override
                public void afterModeCheck(int slot, int index) {
                    if (slot == 1 && checked.getCount() > 0) {
                        checked.countDown();
                        await(go);
                    }
                }
            };
            PercpuRefs refs = switchBeforeGracePeriod
                    ? TestGracePeriods.refsSwitchingAtKill(rcu, 4, 8, released::add, pause)
                    : new PercpuRefs(rcu, 4, 8, released::add, pause);
            refs.init(4);
            refs.get(0, 4); // taken on slot 0, dropped on slot 1, as a migrated task does
            Thread putter = new Thread(() -> refs.put(1, 4), "putter");
            putter.start();
            await(checked);
            refs.kill(4);
            go.countDown();
            join(putter);
            rcu.barrier();
            return released.size();
        }
    }

    @Test
    void theSwitchWaitsForPerCpuOperationsInFlight() {
        assertEquals(1, releasesAfterAKillRacingAnInFlightPut(false));
        assertEquals(List.of(4), released);
    }

    @Test
    void summingBeforeTheGracePeriodLosesTheInFlightPutAndIsCaught() {
        assertNotEquals(1, releasesAfterAKillRacingAnInFlightPut(true),
                "a switch that does not wait for in-flight per-CPU operations went unnoticed");
    }

    @Test
    void theCountIsExactInBothModesAndAtomicModeWritesTheSharedWord() {
        try (Rcu rcu = Rcu.create(RcuFlavour.MEMB, 4)) {
            PercpuRefs refs = new PercpuRefs(rcu, 4, 8, released::add);
            refs.init(4);
            assertEquals(8, refs.capacity());
            refs.get(0, 4);
            refs.get(2, 4);
            refs.get(2, 4);
            assertEquals(4, refs.count(4), "base + 3, summed over the slots in per-CPU mode");
            refs.kill(4);
            rcu.barrier();
            long before = refs.sharedWrites();
            assertEquals(3, refs.count(4), "the base reference dropped, the three gets summed into the atomic count");
            refs.get(1, 4); // a plain get after the switch goes to the shared word
            assertEquals(4, refs.count(4));
            assertTrue(refs.sharedWrites() > before, "atomic mode writes the shared count");
            for (int i = 0; i < 4; i++) {
                refs.put(i == 3 ? 2 : i, 4);
            }
            assertEquals(0, refs.count(4));
            assertEquals(List.of(4), released);
        }
    }

    @Test
    void aSecondKillIsRefused() {
        try (Rcu rcu = Rcu.create(RcuFlavour.QSBR, 4)) {
            PercpuRefs refs = new PercpuRefs(rcu, 4, 8, released::add);
            refs.init(6);
            refs.kill(6);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> refs.kill(6));
            assertTrue(e.getMessage().contains("killed twice"), e.getMessage());
        }
    }
}
