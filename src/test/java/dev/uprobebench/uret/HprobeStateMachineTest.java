package dev.uprobebench.uret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.registry.backend.SeqcountRcuRegistry;
import dev.uprobebench.sync.CpuSlot;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lease state machine of 6.13's {@code hprobe} (and of {@code srcu-updown}, which shares it),
 * driven step by step: the timer's expiry runs on a test thread standing in for the timer, and the
 * race points are latches in {@link LeaseHooks} (no sleeps). Every wait is bounded.
 */
class HprobeStateMachineTest {
    private static final long BOUND_SECONDS = 20;

    /** Every design that holds a lease the timer expires: a new one joins by joining the enum. */
    static java.util.stream.Stream<Lifetime> leasing() {
        return java.util.Arrays.stream(Lifetime.values()).filter(Lifetime::leases);
    }
    private static final long INODE = 1;
    private static final long KEY = 7;

    /** A consumer that counts its handler runs: entry and return handlers both come here. */
    static final class CountingConsumer extends UprobeConsumer {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public long handle(Uprobe uprobe) {
            runs.incrementAndGet();
            return super.handle(uprobe);
        }
    }

    /** One registry with one uprobe, one task on the test thread, the timer driven by hand. */
    static final class Fixture implements AutoCloseable {
        final SeqcountRcuRegistry registry;
        final ReturnProbes probes;
        final ReturnProbes.Task task;
        final CpuSlot slot;
        final CountingConsumer consumer = new CountingConsumer();
        final Uprobe uprobe;
        final int generation;

        Fixture(Lifetime design, LeaseHooks hooks, boolean mutant) {
            RegistryConfig rc = RegistryConfig.of(16, 4);
            registry = new SeqcountRcuRegistry(design == Lifetime.SRCU_UPDOWN ? rc.withFastUretprobeSrcu() : rc);
            ReturnProbeConfig c = ReturnProbeConfig.of(design).withDuration("1000");
            probes = mutant
                    ? new ReturnProbes(registry, c,
                            s -> new NoCompareAndSetHprobe(s, registry.invariants(), hooks), false)
                    : new ReturnProbes(registry, c, hooks, false);
            registry.register(INODE, KEY, consumer);
            slot = registry.slots().acquire();
            registry.readerOnline(slot);
            task = probes.newTask(slot);
            assertNotEquals(UprobeRegistry.MISS, task.hit(INODE, KEY));
            assertEquals(1, task.pending(), "the entry pushed a return instance");
            uprobe = task.frameAcquire(0).uprobe();
            generation = uprobe.generationAcquire();
        }

        ReturnInstance lease() {
            return task.frameAcquire(0);
        }

        long violations(Violation v) {
            return registry.invariants().total(v);
        }

        /** Runs the timer's expiry of the task on its own thread. */
        CompletableFuture<Void> timerAsync() {
            return CompletableFuture.runAsync(() -> probes.fire(task));
        }

        @Override
        public void close() {
            registry.readerOffline(slot);
            probes.close();
            registry.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.uprobebench.uret.HprobeStateMachineTest#leasing")
    void theTimerWinsAndTheReturnPutsTheReferenceItTookOver(Lifetime design) throws Exception {
        try (Fixture f = new Fixture(design, LeaseHooks.NONE, false)) {
            ReturnInstance ri = f.lease();
            assertEquals(ReturnInstance.LEASED, ri.stateAcquire());
            assertEquals(1, f.registry.uretprobeDomain().readersInside(), "the lease holds uretprobes_srcu");
            int ref = f.uprobe.refOpaque();
            f.timerAsync().get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(ReturnInstance.STABLE, ri.stateAcquire());
            assertEquals(1, ri.unlocks(), "the timer did the lease's unlock");
            assertEquals(ref + 1, f.uprobe.refOpaque(), "the lease became a reference");
            assertEquals(0, f.registry.uretprobeDomain().readersInside());
            int before = f.consumer.runs.get();
            f.task.drain();
            assertEquals(before + 1, f.consumer.runs.get(), "the return handlers ran on the held uprobe");
            assertEquals(1, ri.unlocks(), "the return did not unlock again");
            assertEquals(ref, f.uprobe.refOpaque(), "the return put the reference");
            assertEquals(1, f.probes.counts().expiredStable);
            assertEquals(0, f.violations(Violation.LEASE_UNLOCK));
            assertEquals(0, f.violations(Violation.RETURN_USE_AFTER_FREE));
        }
    }

    /** Where the timer is held: after reading LEASED, or between its try_get and its swap. */
    enum Point { SAW_LEASED, BEFORE_SWAP }

    /** Holds the timer at one point of its expiry until the test lets it go on. */
    static final class TimerPaused implements LeaseHooks {
        final Point at;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);

        TimerPaused(Point at) {
            this.at = at;
        }

        private void pauseIf(Point p) {
            if (p == at) {
                reached.countDown();
                await(proceed);
            }
        }

        @Override
        public void timerSawLeased(ReturnInstance ri) {
            pauseIf(Point.SAW_LEASED);
        }

        @Override
        public void timerBeforeSwap(ReturnInstance ri) {
            pauseIf(Point.BEFORE_SWAP);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.uprobebench.uret.HprobeStateMachineTest#leasing")
    void theReturnWinsAndTheTimerUndoesItsReference(Lifetime design) throws Exception {
        TimerPaused script = new TimerPaused(Point.BEFORE_SWAP);
        try (Fixture f = new Fixture(design, script, false)) {
            ReturnInstance ri = f.lease();
            int ref = f.uprobe.refOpaque();
            CompletableFuture<Void> timer = f.timerAsync();
            await(script.reached);
            assertEquals(ref + 1, f.uprobe.refOpaque(), "the timer holds its try_get reference");
            f.task.drain(); // xchg to CONSUMED, handlers, the lease's unlock
            assertEquals(1, ri.unlocks());
            script.proceed.countDown();
            timer.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(ReturnInstance.CONSUMED, ri.stateAcquire(), "the timer's compare-and-set failed");
            assertEquals(1, ri.unlocks(), "one unlock: the return's");
            assertEquals(ref, f.uprobe.refOpaque(), "the losing timer put its reference back");
            assertEquals(0, f.registry.uretprobeDomain().readersInside());
            assertEquals(0, f.probes.counts().expired());
            assertEquals(0, f.violations(Violation.LEASE_UNLOCK));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.uprobebench.uret.HprobeStateMachineTest#leasing")
    void aTimerThatReadLeasedStillFindsTheUprobeAfterTheReturnFinished(Lifetime design) throws Exception {
        TimerPaused script = new TimerPaused(Point.SAW_LEASED);
        try (Fixture f = new Fixture(design, script, false)) {
            ReturnInstance ri = f.lease();
            int ref = f.uprobe.refOpaque();
            CompletableFuture<Void> timer = f.timerAsync();
            await(script.reached);
            f.task.drain(); // consumed, unlocked: the whole return
            script.proceed.countDown();
            timer.get(BOUND_SECONDS, TimeUnit.SECONDS); // reads the uprobe, loses the swap, puts back
            assertEquals(1, ri.unlocks());
            assertEquals(ref, f.uprobe.refOpaque());
            assertEquals(0, f.probes.counts().expired());
            assertEquals(0, f.violations(Violation.LEASE_UNLOCK));
        }
    }

    @Test
    void withoutTheCompareAndSetBothSidesUnlockAndTheCheckerCountsIt() throws Exception {
        TimerPaused script = new TimerPaused(Point.BEFORE_SWAP);
        try (Fixture f = new Fixture(Lifetime.HPROBE, script, true)) {
            ReturnInstance ri = f.lease();
            CompletableFuture<Void> timer = f.timerAsync();
            await(script.reached);
            f.task.drain(); // reads LEASED too, and unlocks
            script.proceed.countDown();
            timer.get(BOUND_SECONDS, TimeUnit.SECONDS); // writes STABLE over CONSUMED and unlocks again
            assertEquals(2, ri.unlocks());
            assertTrue(f.violations(Violation.LEASE_UNLOCK) > 0, "the second unlock is a lease-unlock violation");
            assertEquals(-1, f.registry.uretprobeDomain().readersInside(), "the domain's count went below zero");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.uprobebench.uret.HprobeStateMachineTest#leasing")
    void theTimerFindsTheUprobeDyingAndTheReturnRunsNoHandler(Lifetime design) throws Exception {
        try (Fixture f = new Fixture(design, LeaseHooks.NONE, false)) {
            ReturnInstance ri = f.lease();
            f.registry.unregister(INODE, KEY, f.consumer); // the last put: count 0, free chain queued
            assertEquals(0, f.uprobe.refOpaque());
            f.timerAsync().get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(ReturnInstance.GONE, ri.stateAcquire());
            assertEquals(1, ri.unlocks());
            int before = f.consumer.runs.get();
            f.task.drain();
            assertEquals(before, f.consumer.runs.get(), "no return handler ran on a GONE uprobe");
            assertEquals(1, f.probes.counts().returnsGone);
            assertEquals(1, f.probes.counts().expiredGone);
            f.registry.readerOffline(f.slot);
            f.registry.barrier(); // the free chain, now that the lease is gone
            f.registry.readerOnline(f.slot);
            assertTrue(f.uprobe.isFreedAcquire() || f.uprobe.generationAcquire() != f.generation,
                    "freed once the lease ended");
            assertEquals(0, f.violations(Violation.RETURN_USE_AFTER_FREE));
            assertEquals(0, f.violations(Violation.LEASE_UNLOCK));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.uprobebench.uret.HprobeStateMachineTest#leasing")
    void aLeaseKeepsAnUnregisteredUprobeAllocatedUntilItsReturn(Lifetime design) throws Exception {
        try (Fixture f = new Fixture(design, LeaseHooks.NONE, false)) {
            f.registry.unregister(INODE, KEY, f.consumer);
            f.registry.readerOffline(f.slot); // the task sleeps in the probed function
            CompletableFuture<Void> sync = CompletableFuture.runAsync(f.registry::synchronize);
            // synchronize_srcu(&uretprobes_srcu) cannot end while the lease is held: nothing here
            // expires it, so the uprobe must still be allocated whatever the scheduler does.
            assertFalse(f.uprobe.isFreedAcquire(), "a leased uprobe is not freed");
            assertEquals(f.generation, f.uprobe.generationAcquire());
            f.registry.readerOnline(f.slot);
            f.task.drain(); // the lease's unlock ends the grace period
            f.registry.readerOffline(f.slot);
            sync.get(BOUND_SECONDS, TimeUnit.SECONDS);
            f.registry.barrier();
            f.registry.readerOnline(f.slot);
            assertTrue(f.uprobe.isFreedAcquire());
            assertEquals(0, f.violations(Violation.RETURN_USE_AFTER_FREE));
        }
    }

    /**
     * A return that never comes: with the real timer running, {@code uprobe_unregister_sync()} of
     * a leased uprobe ends once the timer expires the lease, while the return is still pending.
     */
    @ParameterizedTest
    @MethodSource("dev.uprobebench.uret.HprobeStateMachineTest#leasing")
    void aStuckReturnIsRescuedByTheTimer(Lifetime design) throws Exception {
        RegistryConfig rc = RegistryConfig.of(16, 4);
        try (SeqcountRcuRegistry registry = new SeqcountRcuRegistry(
                design == Lifetime.SRCU_UPDOWN ? rc.withFastUretprobeSrcu() : rc);
                ReturnProbes probes = new ReturnProbes(registry,
                        ReturnProbeConfig.of(design).withDuration("1000").withTimeout("2ms"))) {
            CountingConsumer consumer = new CountingConsumer();
            registry.register(INODE, KEY, consumer);
            CpuSlot slot = registry.slots().acquire();
            registry.readerOnline(slot);
            ReturnProbes.Task task = probes.newTask(slot);
            task.hit(INODE, KEY);
            assertEquals(1, task.pending());
            registry.unregister(INODE, KEY, consumer);
            registry.readerOffline(slot); // stuck in the function: never returns by itself
            CompletableFuture.runAsync(registry::synchronize).get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, task.pending(), "the return is still pending");
            assertEquals(1, probes.counts().expired(), "the timer expired the lease");
            assertEquals(0, registry.uretprobeDomain().readersInside());
            registry.readerOnline(slot);
            task.drain();
            registry.readerOffline(slot);
            registry.slots().release(slot);
            probes.close();
            registry.synchronize();
            assertEquals(0, registry.checkLeaks(), "nothing leaked");
            assertEquals(0, registry.invariants().totalViolations(), registry.invariants().snapshot().toString());
        }
    }

    /**
     * 6.14's {@code ri_pool}: a return while the timer runs over the task's stack (inside
     * {@code ri_seqcount}'s write section) must not put its instance back in the pool, where the
     * next entry would reuse it under the timer; with no timer inside, it does.
     */
    @ParameterizedTest
    @MethodSource("dev.uprobebench.uret.HprobeStateMachineTest#leasing")
    void aReturnDuringATimerRunDropsItsInstanceInsteadOfPoolingIt(Lifetime design) throws Exception {
        TimerPaused script = new TimerPaused(Point.BEFORE_SWAP);
        try (Fixture f = new Fixture(design, script, false)) {
            CompletableFuture<Void> timer = f.timerAsync();
            await(script.reached); // the timer is inside the task's sequence write section
            f.task.drain();
            script.proceed.countDown();
            timer.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, f.probes.counts().riDropped, "not pooled while the timer ran");
            f.task.hit(INODE, KEY); // a new entry: a fresh instance, not the dropped one
            assertEquals(2, f.probes.counts().riAllocated);
            f.task.drain(); // no timer now: this one goes back to the pool
            f.task.hit(INODE, KEY);
            assertEquals(1, f.probes.counts().riReused);
            f.task.drain();
            assertEquals(0, f.violations(Violation.LEASE_UNLOCK));
        }
    }

    @Test
    void theRefcountDesignHoldsAReferenceAndHasNoTimerWork() throws Exception {
        try (Fixture f = new Fixture(Lifetime.REFCOUNT, LeaseHooks.NONE, false)) {
            ReturnInstance ri = f.lease();
            assertEquals(ReturnInstance.STABLE, ri.stateAcquire());
            assertEquals(2, f.uprobe.refOpaque(), "the registration's reference and the entry's");
            f.timerAsync().get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(ReturnInstance.STABLE, ri.stateAcquire(), "nothing to expire");
            f.task.drain();
            assertEquals(1, f.uprobe.refOpaque());
            assertEquals(0, f.registry.uretprobeDomain().readersInside());
        }
    }

    static void await(CountDownLatch l) {
        try {
            if (!l.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("interleaving step not reached within " + BOUND_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
