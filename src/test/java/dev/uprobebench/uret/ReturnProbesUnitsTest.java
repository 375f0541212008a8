package dev.uprobebench.uret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.backend.SeqcountRcuRegistry;
import dev.uprobebench.sync.CpuSlot;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The return-probe layer value by value: the configuration's bounds, the lifetimes' names and the
 * domain each needs, the hit's result, and the run's counts summed over tasks, exactly. The races
 * are held by the state-machine, timer and torture tests beside this one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReturnProbesUnitsTest {
    static final long T = ReturnProbeConfig.KERNEL_TIMEOUT_NANOS;

    static ReturnProbeConfig config(int permille, int hits, long nanos, int depth, long timeout) {
        return new ReturnProbeConfig(Lifetime.REFCOUNT, permille, hits, nanos, depth, timeout, "pool");
    }

    @Test
    void theConfigurationsBoundsAreInclusiveWhereTheKernelsAre() {
        assertEquals(0, config(0, 0, -1, 64, T).permille());
        assertEquals(1000, config(1000, 0, -1, 64, T).permille());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(1001, 0, -1, 64, T));
        assertTrue(e.getMessage().contains("got 1.001"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config(-1, 0, -1, 64, T));
        assertThrows(IllegalArgumentException.class, () -> config(1000, 0, 5, 64, T), "hits and a time");
        assertThrows(IllegalArgumentException.class, () -> config(1000, -1, -1, 64, T), "neither");
        assertEquals(0, config(1000, -1, 0, 64, T).durationNanos(), "a time of 0 ns is a time");
        assertEquals(1, config(1000, 0, -1, 1, T).maxDepth());
        assertThrows(IllegalArgumentException.class, () -> config(1000, 0, -1, 0, T));
        assertEquals(1, config(1000, 0, -1, 64, 1).timeoutNanos());
        assertThrows(IllegalArgumentException.class, () -> config(1000, 0, -1, 64, 0));
        e = assertThrows(IllegalArgumentException.class,
                () -> new ReturnProbeConfig(null, 1000, 0, -1, 64, T, "pool"));
        assertTrue(e.getMessage().contains("refcount, hprobe, srcu-updown"), e.getMessage());
        ReturnProbeConfig c = ReturnProbeConfig.of(Lifetime.HPROBE);
        assertEquals(0, c.withShare(0).permille());
        assertEquals(1000, c.withShare(1).permille());
        assertThrows(IllegalArgumentException.class, () -> c.withShare(-0.001));
        assertThrows(IllegalArgumentException.class, () -> c.withShare(-0.0001), "a negative share that rounds to 0");
        assertThrows(IllegalArgumentException.class, () -> c.withShare(1.0001), "above 1, rounding to 1000");
        assertThrows(IllegalArgumentException.class, () -> c.withShare(Double.NaN));
        assertEquals(5, c.withDepth(5).maxDepth());
        assertEquals(1_000_000, c.withTimeout("1ms").timeoutNanos());
        assertTrue(c.withRiAlloc("rcu-free").riRcuFree());
        assertFalse(c.withRiAlloc("rcu-free").riPool());
    }

    @Test
    void durationsPrintInTheLargestWholeUnit() {
        assertEquals("2ms", ReturnProbeConfig.formatNanos(2_000_000));
        assertEquals("1500us", ReturnProbeConfig.formatNanos(1_500_000));
        assertEquals("3us", ReturnProbeConfig.formatNanos(3_000));
        assertEquals("1500ns", ReturnProbeConfig.formatNanos(1_500));
        assertEquals("1500us", ReturnProbeConfig.of(Lifetime.REFCOUNT).withDuration("1500us").durationLabel());
    }

    @Test
    void eachLifetimeIsFoundByItsNameAndSaysWhetherItLeases() {
        for (Lifetime l : Lifetime.values()) {
            assertSame(l, Lifetime.byName(l.label()));
            assertFalse(l.description().isEmpty());
        }
        assertTrue(Lifetime.REFCOUNT.description().contains("6.12"));
        assertTrue(Lifetime.HPROBE.description().contains("6.13"));
        assertFalse(Lifetime.REFCOUNT.leases());
        assertTrue(Lifetime.HPROBE.leases());
        assertTrue(Lifetime.SRCU_UPDOWN.leases());
    }

    @Test
    void eachDesignRunsOnTheDomainItNeedsAndNoOther() {
        for (Lifetime l : Lifetime.values()) {
            RegistryConfig rc = RegistryConfig.of(16, 4);
            if (l == Lifetime.SRCU_UPDOWN) {
                rc = rc.withFastUretprobeSrcu();
            }
            ReturnProbeConfig c = ReturnProbeConfig.of(l);
            try (SeqcountRcuRegistry r = new SeqcountRcuRegistry(rc);
                    ReturnProbes p = new ReturnProbes(r, c, LeaseHooks.NONE, false)) {
                assertSame(l, p.lifetime().design());
                assertSame(c, p.config());
            }
        }
        try (SeqcountRcuRegistry fenced = new SeqcountRcuRegistry(RegistryConfig.of(16, 4))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ReturnProbes(fenced, ReturnProbeConfig.of(Lifetime.SRCU_UPDOWN), LeaseHooks.NONE, false));
            assertTrue(e.getMessage().contains("fast up/down"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Lifetime.SRCU_UPDOWN.create(fenced, fenced.invariants(), LeaseHooks.NONE));
            assertTrue(e.getMessage().contains("fast up/down"), e.getMessage());
        }
        try (SeqcountRcuRegistry fast = new SeqcountRcuRegistry(RegistryConfig.of(16, 4).withFastUretprobeSrcu())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ReturnProbes(fast, ReturnProbeConfig.of(Lifetime.HPROBE), LeaseHooks.NONE, false));
            assertTrue(e.getMessage().contains("a fenced SRCU domain"), e.getMessage());
        }
    }

    /**
     * Runs {@code body} on a thread of its own and waits for it (bounded): a reader's online slot is
     * per thread, and the common pool may have a single worker on a small machine.
     */
    static void onAThreadOfItsOwn(Runnable body) throws Exception {
        java.util.concurrent.ExecutorService own = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            own.submit(body).get(30, TimeUnit.SECONDS);
        } finally {
            own.shutdown();
        }
    }

    /** A consumer whose handler returns a value of its own, so that a hit's result can be checked. */
    static final class Seven extends UprobeConsumer {
        @Override
        public long handle(Uprobe uprobe) {
            return 7;
        }
    }

    @Test
    void aHitReturnsItsHandlersResultAndTheCountsSumEveryTask() throws Exception {
        try (SeqcountRcuRegistry r = new SeqcountRcuRegistry(RegistryConfig.of(16, 4));
                ReturnProbes p = new ReturnProbes(r, ReturnProbeConfig.of(Lifetime.REFCOUNT).withShare(0.5),
                        LeaseHooks.NONE, false)) {
            r.register(1, 5, new Seven()); // 5 % 1000 < 500: a return probe
            r.register(1, 700, new Seven()); // a plain uprobe
            onAThreadOfItsOwn(() -> {
                CpuSlot[] slots = {r.slots().acquire(), r.slots().acquire()};
                ReturnProbes.Task[] tasks = new ReturnProbes.Task[2];
                for (int i = 0; i < 2; i++) {
                    r.readerOnline(slots[i]);
                    tasks[i] = p.newTask(slots[i]);
                }
                assertEquals(7, tasks[0].hit(1, 5), "an entry hit returns its handlers' result");
                assertEquals(7, tasks[0].hit(1, 700), "a plain hit too");
                assertEquals(7, tasks[1].hit(1, 5));
                assertEquals(7, tasks[1].hit(1, 5));
                assertEquals(7, tasks[1].hit(1, 5));
                ReturnProbes.Counts mid = p.counts();
                assertEquals(4, mid.entries);
                assertEquals(4, mid.returns, "a function of 0 hits returns at the end of its own hit");
                assertEquals(0, mid.pending);
                for (int i = 0; i < 2; i++) {
                    tasks[i].drain();
                    r.readerOffline(slots[i]);
                    r.slots().release(slots[i]);
                }
            });
            ReturnProbes.Counts c = p.counts();
            assertEquals(4, c.entries);
            assertEquals(4, c.returns);
            assertEquals(0, c.returnsGone);
            assertEquals(0, c.refused);
            assertEquals(0, c.skippedDepth);
            assertEquals(0, c.pending);
            assertEquals(2, c.riAllocated, "one instance a task; every later entry reuses it");
            assertEquals(2, c.riReused);
            assertEquals(0, c.expired());
            assertEquals("entries 4, returns 4 (after GONE 0), refused 0, over depth 0; expired 0 (stable 0, gone 0) "
                    + "in 0 timer runs; instances allocated 2, reused 2, dropped 0, freed after a grace period 0; "
                    + "uretprobes_srcu grace periods " + c.gracePeriods + " (mean "
                    + (c.gracePeriods == 0 ? 0 : c.graceNanos / c.gracePeriods / 1000) + " us, max "
                    + c.graceMaxNanos / 1000 + " us)", c.toString());
        }
    }

    @Test
    void theCountsLineDividesTheGracePeriodsTimeByTheirNumberInMicroseconds() {
        ReturnProbes.Counts c = new ReturnProbes.Counts();
        c.gracePeriods = 4;
        c.graceNanos = 8_000_000;
        c.graceMaxNanos = 3_000_000;
        assertTrue(c.toString().endsWith(String.format("uretprobes_srcu grace periods 4 (mean %,d us, max %,d us)", 2000,
                3000)), c.toString());
        c.expiredStable = 2;
        c.expiredGone = 3;
        assertEquals(5, c.expired());
        assertTrue(c.toString().contains("expired 5 (stable 2, gone 3)"), c.toString());
    }

    /** hprobe leases on (1, 5) that return after 1000 hits, their timer driven by hand ({@code fire}). */
    static ReturnProbes leasesByHand(SeqcountRcuRegistry r) {
        ReturnProbes p = new ReturnProbes(r, ReturnProbeConfig.of(Lifetime.HPROBE).withDuration("1000"), LeaseHooks.NONE,
                false);
        r.register(1, 5, new Seven());
        return p;
    }

    @Test
    void theTimersGuardIsReleasedAfterEachRunSoAnExpiryOutsideOneStillTripsTheAssertion() {
        org.junit.jupiter.api.Assumptions.assumeTrue(HprobeLifetime.class.desiredAssertionStatus(),
                "needs -ea, as mvn verify runs the tests");
        try (SeqcountRcuRegistry r = new SeqcountRcuRegistry(RegistryConfig.of(16, 4));
                ReturnProbes p = leasesByHand(r)) {
            CpuSlot slot = r.slots().acquire();
            r.readerOnline(slot);
            ReturnProbes.Task task = p.newTask(slot);
            try {
                task.hit(1, 5);
                p.fire(task); // guard, expire, unguard: the guard count is back to zero
                assertEquals(1, p.counts().expired());
                ReturnInstance ri = new ReturnInstance();
                AssertionError e = assertThrows(AssertionError.class, () -> p.lifetime().expire(slot, ri));
                assertTrue(e.getMessage().contains("guard(srcu)"), e.getMessage());
            } finally {
                task.drain();
                r.readerOffline(slot);
            }
        }
    }

    @Test
    void refcountsReturnConsumesItsInstanceOnceSoASecondConsumeIsSeen() {
        try (SeqcountRcuRegistry r = new SeqcountRcuRegistry(RegistryConfig.of(16, 4))) {
            UretprobeLifetime l = Lifetime.REFCOUNT.create(r, r.invariants(), LeaseHooks.NONE);
            ReturnInstance ri = new ReturnInstance();
            ri.publish(null, 0, -1, ReturnInstance.STABLE);
            assertEquals(ReturnInstance.STABLE, l.consume(ri));
            assertEquals(ReturnInstance.CONSUMED, ri.stateOwner());
            assertEquals(ReturnInstance.CONSUMED, l.consume(ri), "consumed twice: the return path counts it");
        }
    }

    @Test
    void pendingReturnsAndTimerRunsSumOverTasks() {
        try (SeqcountRcuRegistry r = new SeqcountRcuRegistry(RegistryConfig.of(16, 4));
                ReturnProbes p = leasesByHand(r)) {
            CpuSlot slot = r.slots().acquire();
            r.readerOnline(slot);
            ReturnProbes.Task a = p.newTask(slot);
            ReturnProbes.Task b = p.newTask(slot);
            try {
                a.hit(1, 5);
                b.hit(1, 5);
                b.hit(1, 5);
                assertEquals(3, p.counts().pending);
                p.fire(a);
                p.fire(b);
                ReturnProbes.Counts c = p.counts();
                assertEquals(2, c.timerRuns);
                assertEquals(3, c.expiredStable, "every lease turned into a reference");
            } finally {
                a.drain();
                b.drain();
                r.readerOffline(slot);
            }
            assertEquals(0, p.counts().pending);
        }
    }

    @Test
    void aFunctionOfNHitsReturnsAtTheEndOfTheNthHitAfterItsEntry() {
        try (SeqcountRcuRegistry r = new SeqcountRcuRegistry(RegistryConfig.of(16, 4));
                ReturnProbes p = new ReturnProbes(r, ReturnProbeConfig.of(Lifetime.REFCOUNT).withShare(0.5)
                        .withDuration("2"), LeaseHooks.NONE, false)) {
            r.register(1, 5, new Seven()); // a return probe
            r.register(1, 700, new Seven()); // a plain uprobe
            CpuSlot slot = r.slots().acquire();
            r.readerOnline(slot);
            ReturnProbes.Task t = p.newTask(slot);
            org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(TimeUnit.SECONDS.toNanos(10), 2);
            t.recordReturnLatency(h);
            try {
                t.hit(1, 5);
                assertEquals(1, t.pending(), "entered");
                t.hit(1, 700);
                assertEquals(1, t.pending(), "one hit after its entry: still running");
                t.hit(1, 700);
                assertEquals(0, t.pending(), "returned at the end of the second hit after its entry");
                assertEquals(1, h.getTotalCount(), "each return's latency recorded");
                assertTrue(h.getMaxValue() < TimeUnit.SECONDS.toNanos(1), "the return path alone: " + h.getMaxValue());
            } finally {
                t.drain();
                r.readerOffline(slot);
            }
        }
    }

    @Test
    void beforeThePoolInstancesGoBackToTheSlabAfterAGracePeriodWhenTheTaskDrains() throws Exception {
        try (SeqcountRcuRegistry r = new SeqcountRcuRegistry(RegistryConfig.of(16, 4));
                ReturnProbes p = new ReturnProbes(r, ReturnProbeConfig.of(Lifetime.REFCOUNT).withDuration("1000")
                        .withRiAlloc("rcu-free"), LeaseHooks.NONE, false)) {
            r.register(1, 5, new Seven());
            onAThreadOfItsOwn(() -> {
                CpuSlot slot = r.slots().acquire();
                r.readerOnline(slot);
                ReturnProbes.Task t = p.newTask(slot);
                t.hit(1, 5);
                t.hit(1, 5);
                t.hit(1, 5);
                t.drain(); // three returns, fewer than a batch: the drain submits them
                r.readerOffline(slot);
                r.slots().release(slot);
            });
            r.barrier(); // the registry's RCU callbacks, the kfree_rcu batches among them
            ReturnProbes.Counts c = p.counts();
            assertEquals(3, c.riAllocated);
            assertEquals(3, c.riRcuFreed, "freed after a grace period, back in the task's slab");
        }
    }
}
