package dev.uprobebench.uret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.check.TortureConfig;
import dev.uprobebench.check.TortureDriver;
import dev.uprobebench.check.TortureResult;
import dev.uprobebench.check.TortureRuns;
import dev.uprobebench.registry.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Torture with return probes on every uprobe, for each lifetime design: readers enter and return
 * while a writer registers and unregisters the churn keys half the reads aim at, so leases and
 * references outlive their uprobe's registration. Zero violations and zero leaks in every run.
 */
class UretprobeTortureTest {
    /** Half the reads on churn keys: uprobes are unregistered under pending returns. */
    private static TortureConfig base(ReturnProbeConfig uret) {
        return TortureConfig.defaults().withMillis(800).withChurn(32, 0.5).withUretprobes(uret);
    }

    /** Short functions (16 hits): returns come quickly; the timer is re-armed by every entry. */
    @ParameterizedTest
    @EnumSource(Lifetime.class)
    void shortFunctionsAreCleanForEveryDesign(Lifetime design) {
        TortureConfig c = base(ReturnProbeConfig.of(design).withDuration("16").withTimeout("1ms"));
        TortureRuns runs = TortureRuns.until(i -> TortureDriver.run(Backend.SEQCOUNT_RCU, c.withSeed(c.seed() + i)),
                t -> t.sum(r -> r.uretprobes().entries) > 1000);
        assertTrue(runs.sum(r -> r.uretprobes().entries) > 1000, runs.format());
        assertEquals(runs.sum(r -> r.uretprobes().entries), runs.sum(r -> r.uretprobes().returns),
                "every entry returned: " + runs.format());
        assertEquals(0, runs.sum(r -> r.uretprobes().pending), runs.format());
    }

    /**
     * Long functions (2 ms, past the 1 ms lease timeout): stacks fill to their depth, entries stop,
     * and the timer expires the leases under the returns, some of them on unregistered uprobes.
     */
    @ParameterizedTest
    @MethodSource("dev.uprobebench.uret.HprobeStateMachineTest#leasing")
    void longFunctionsHaveTheirLeasesExpiredByTheTimerAndStayClean(Lifetime design) {
        TortureConfig c = base(ReturnProbeConfig.of(design).withDuration("2ms").withTimeout("1ms"));
        TortureRuns runs = TortureRuns.until(i -> TortureDriver.run(Backend.SEQCOUNT_RCU, c.withSeed(c.seed() + i)),
                t -> t.sum(r -> r.uretprobes().expired()) > 0 && t.sum(r -> r.uretprobes().returns) > 100);
        assertTrue(runs.sum(r -> r.uretprobes().expired()) > 0, "the timer expired leases: " + runs.format());
        assertTrue(runs.sum(r -> r.uretprobes().skippedDepth) > 0, "stacks reached their depth: " + runs.format());
        assertEquals(runs.sum(r -> r.uretprobes().entries), runs.sum(r -> r.uretprobes().returns), runs.format());
    }

    /**
     * The whole uretprobe hit path: entries resolve their address through the address space while
     * an address-space writer maps and unmaps regions and remaps the churn file under them, for
     * every design and each speculative VMA lifetime (6.14 and 6.15). Clean, every entry returned,
     * and the address space was exercised.
     */
    @ParameterizedTest
    @EnumSource(Lifetime.class)
    void theVmaPathAndTheReturnPathTogetherAreCleanForEveryDesign(Lifetime design) {
        for (dev.uprobebench.mm.VmaLookup lookup : java.util.List.of(dev.uprobebench.mm.VmaLookup.SPECULATIVE,
                dev.uprobebench.mm.VmaLookup.SPECULATIVE_TYPESAFE)) {
            TortureConfig c = base(ReturnProbeConfig.of(design).withDuration("16").withTimeout("1ms"))
                    .withVma(lookup, 1);
            TortureRuns runs = TortureRuns.until(i -> TortureDriver.run(Backend.SEQCOUNT_RCU,
                    c.withSeed(c.seed() + i)), t -> t.sum(r -> r.uretprobes().entries) > 1000
                            && t.sum(TortureResult::mmOps) > 10 && t.sum(TortureResult::speculations) > 1000);
            assertTrue(runs.sum(r -> r.uretprobes().entries) > 1000, runs.format());
            assertTrue(runs.sum(TortureResult::mmOps) > 10, "the address space changed: " + runs.format());
            assertTrue(runs.sum(TortureResult::speculations) > 1000, "entries went through the VMA lookup: "
                    + runs.format());
            assertEquals(runs.sum(r -> r.uretprobes().entries), runs.sum(r -> r.uretprobes().returns), runs.format());
        }
    }

    @Test
    void returnInstancesAllocatedPerEntryAreCleanToo() {
        TortureConfig c = base(ReturnProbeConfig.of(Lifetime.HPROBE).withDuration("4").withTimeout("1ms")
                .withRiAlloc("alloc"));
        TortureRuns runs = TortureRuns.until(i -> TortureDriver.run(Backend.SEQCOUNT_RCU, c.withSeed(c.seed() + i)),
                t -> t.sum(r -> r.uretprobes().entries) > 1000);
        assertEquals(0, runs.sum(r -> r.uretprobes().riReused), "no pool: " + runs.format());
        assertEquals(runs.sum(r -> r.uretprobes().entries), runs.sum(r -> r.uretprobes().riAllocated), runs.format());
    }

    /**
     * Before 6.14 ({@code ri-alloc=rcu-free}): every entry allocates from its task's slab, every
     * return frees through a grace period of the lookup's RCU ({@code kfree_rcu}), and the freed
     * instances come back to the slab and serve later entries. Clean, with the timer running.
     */
    @Test
    void returnInstancesFreedAfterAGracePeriodComeBackToTheSlabAndAreCleanToo() {
        TortureConfig c = base(ReturnProbeConfig.of(Lifetime.HPROBE).withDuration("4").withTimeout("1ms")
                .withRiAlloc("rcu-free"));
        TortureRuns runs = TortureRuns.until(i -> TortureDriver.run(Backend.SEQCOUNT_RCU, c.withSeed(c.seed() + i)),
                t -> t.sum(r -> r.uretprobes().entries) > 1000 && t.sum(r -> r.uretprobes().riReused) > 0);
        assertEquals(runs.sum(r -> r.uretprobes().entries), runs.sum(r -> r.uretprobes().riAllocated),
                "a kmalloc per entry: " + runs.format());
        assertTrue(runs.sum(r -> r.uretprobes().riRcuFreed) > 0, "freed through grace periods: " + runs.format());
        assertTrue(runs.sum(r -> r.uretprobes().riReused) > 0, "and served later entries: " + runs.format());
        assertTrue(runs.sum(r -> r.uretprobes().riRcuFreed) <= runs.sum(r -> r.uretprobes().returns), runs.format());
    }

    @Test
    void otherBackEndsAreRefusedWithTheValidChoice() {
        TortureConfig c = base(ReturnProbeConfig.of(Lifetime.REFCOUNT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TortureDriver.run(Backend.RWLOCK, c));
        assertTrue(e.getMessage().contains("valid: seqcount-rcu"), e.getMessage());
    }

    @Test
    void aPooledRunReusesItsInstances() {
        TortureResult r = TortureDriver.run(Backend.SEQCOUNT_RCU,
                base(ReturnProbeConfig.of(Lifetime.REFCOUNT).withDuration("0")).withMillis(300));
        assertEquals(0, r.totalViolations(), r.format());
        assertTrue(r.uretprobes().riReused > r.uretprobes().riAllocated, r.format());
    }
}
