package dev.uprobebench.uret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uprobebench.registry.CountingConsumer;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.registry.backend.SeqcountRcuRegistry;
import dev.uprobebench.sync.CpuSlot;
import org.junit.jupiter.api.Test;

/**
 * The timer's {@code guard(srcu)(&uretprobes_srcu)} under {@code -ea}: a timer that expires leases
 * without it (the negative control, a test double) trips the assertion in {@code hprobe_expire()};
 * with it, nothing does. And the return path's exact unlock balance at close.
 */
class TimerGuardAssertionTest {
    /** The mutant: the timer takes no SRCU guard around its expiry. */
    static final class UnguardedTimer extends HprobeLifetime {
        UnguardedTimer(dev.uprobebench.registry.ReturnProbeSupport s, dev.uprobebench.registry.InvariantCounters i) {
            super(s, i, LeaseHooks.NONE);
        }

        @Override
        int timerGuard(CpuSlot timerSlot) {
            return -1;
        }

        @Override
        void timerUnguard(CpuSlot timerSlot, int idx) {
        }
    }

    private static void withOneLease(boolean unguarded, java.util.function.BiConsumer<ReturnProbes,
            ReturnProbes.Task> body) {
        try (SeqcountRcuRegistry registry = new SeqcountRcuRegistry(RegistryConfig.of(16, 4))) {
            ReturnProbeConfig c = ReturnProbeConfig.of(Lifetime.HPROBE).withDuration("1000");
            ReturnProbes probes = unguarded
                    ? new ReturnProbes(registry, c, s -> new UnguardedTimer(s, registry.invariants()), false)
                    : new ReturnProbes(registry, c, LeaseHooks.NONE, false);
            registry.register(1, 5, new CountingConsumer());
            CpuSlot slot = registry.slots().acquire();
            registry.readerOnline(slot);
            ReturnProbes.Task task = probes.newTask(slot);
            task.hit(1, 5);
            assertEquals(1, task.pending());
            try {
                body.accept(probes, task);
            } finally {
                task.drain();
                registry.readerOffline(slot);
                probes.close();
            }
        }
    }

    @Test
    void aTimerWithoutItsGuardTripsTheAssertion() {
        assumeTrue(HprobeLifetime.class.desiredAssertionStatus(), "needs -ea, as mvn verify runs the tests");
        withOneLease(true, (probes, task) -> {
            AssertionError e = assertThrows(AssertionError.class, () -> probes.fire(task));
            assertTrue(e.getMessage().contains("guard(srcu)"), e.getMessage());
        });
    }

    @Test
    void aGuardedTimerExpiresTheLeaseAndTheUnlocksBalance() {
        withOneLease(false, (probes, task) -> {
            probes.fire(task);
            assertEquals(1, probes.counts().expired());
        });
    }

    /**
     * A lease unlocked twice where the per-instance count cannot see it (its count reset, as a
     * simultaneous race can leave it): the balance of leases and unlocks at close still counts it.
     */
    /** Sets the instance's unlock count back to 0, as two racing unlocks that both read 0 would leave it. */
    private static void forgetUnlocks(ReturnInstance ri) {
        try {
            java.lang.invoke.MethodHandles.privateLookupIn(ReturnInstance.class, java.lang.invoke.MethodHandles.lookup())
                    .findVarHandle(ReturnInstance.class, "unlocks", int.class).setOpaque(ri, 0);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theUnlockBalanceAtCloseCountsADoubleUnlockThePerInstanceCountMissed() {
        try (SeqcountRcuRegistry registry = new SeqcountRcuRegistry(RegistryConfig.of(16, 4))) {
            ReturnProbeConfig c = ReturnProbeConfig.of(Lifetime.HPROBE).withDuration("1000");
            ReturnProbes probes = new ReturnProbes(registry, c, LeaseHooks.NONE, false);
            registry.register(1, 5, new CountingConsumer());
            CpuSlot slot = registry.slots().acquire();
            registry.readerOnline(slot);
            ReturnProbes.Task task = probes.newTask(slot);
            task.hit(1, 5);
            ReturnInstance ri = task.frameAcquire(0);
            probes.fire(task); // the timer wins: LEASED -> STABLE, one unlock
            ri.compareAndSetState(ReturnInstance.STABLE, ReturnInstance.LEASED); // a broken state machine
            forgetUnlocks(ri);
            task.drain(); // the return sees LEASED and unlocks again: the per-instance count saw one
            registry.readerOffline(slot);
            long before = registry.invariants().total(Violation.LEASE_UNLOCK);
            probes.close();
            assertEquals(0, before, "the per-instance count missed it");
            assertEquals(1, registry.invariants().total(Violation.LEASE_UNLOCK), "the balance at close did not");
        }
    }
}
