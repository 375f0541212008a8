package dev.uprobebench.registry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.sync.CpuSlot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The lockless back-ends' write side, seen from inside the package. */
class SeqcountTreeInternalsTest {
    static SeqcountTreeRegistry open(Backend b) {
        return (SeqcountTreeRegistry) b.create(RegistryConfig.of(8, 4));
    }

    static Uprobe live(SeqcountTreeRegistry r) {
        for (int i = 0; i < r.slab().capacity(); i++) {
            if (r.slab().object(i).state() == Uprobe.State.LIVE) {
                return r.slab().object(i);
            }
        }
        throw new AssertionError("no live uprobe");
    }

    /** {@code srcu} (6.12): the last put erases at once; an SRCU reader holds the free back. */
    @org.junit.jupiter.api.Test
    void theLastPutErasesAtOnceAndFreesAfterTheGracePeriod() {
        try (SeqcountTreeRegistry r = open(Backend.SRCU)) {
            CpuSlot reader = r.slots().acquire();
            UprobeConsumer c = new UprobeConsumer();
            r.register(1, 1, c);
            Uprobe u = live(r);
            int idx = ((SrcuRegistry) r).srcu.readLock(reader.id());
            r.unregister(1, 1, c);
            assertEquals(Uprobe.State.ERASED, u.state(), "unlinked at once, not yet freed");
            ((SrcuRegistry) r).srcu.readUnlock(reader.id(), idx);
            r.barrier();
            assertEquals(Uprobe.State.FREED, u.state());
        }
    }

    /**
     * {@code seqcount-rcu} (6.13): the last put only schedules work; the work erases; the free waits
     * for the uretprobe SRCU grace period and then for an RCU grace period started after it. With
     * an SRCU reader holding the first, waiting out every RCU callback queued so far frees nothing:
     * a chain that went straight to {@code call_rcu} would have freed here.
     */
    @org.junit.jupiter.api.Test
    void theLastPutSchedulesWorkAndTheFreeWaitsForBothGracePeriodsInTurn() {
        try (SeqcountRcuRegistry r = (SeqcountRcuRegistry) open(Backend.SEQCOUNT_RCU)) {
            UprobeConsumer c = new UprobeConsumer();
            r.register(1, 1, c);
            Uprobe u = live(r);
            int idx = r.uretprobesSrcu().readLock(2);
            r.unregister(1, 1, c);
            r.awaitPutWork();
            assertEquals(Uprobe.State.ERASED, u.state(), "erased by the put work");
            r.rcu.barrier();
            assertEquals(Uprobe.State.ERASED, u.state(), "not freed while the uretprobe SRCU reader holds");
            r.uretprobesSrcu().readUnlock(2, idx);
            r.barrier();
            assertEquals(Uprobe.State.FREED, u.state());
            assertEquals(0, r.checkLeaks());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"SEQCOUNT_RCU", "SRCU", "PERCPU_REF"})
    void aWriterSectionLeftOpenIsALeak(Backend b) {
        try (SeqcountTreeRegistry r = open(b)) {
            assertEquals(0, r.checkLeaks());
            r.seqcount.writeBegin();
            assertEquals(1, r.checkLeaks(), "an odd sequence count at teardown");
            r.seqcount.writeEnd();
            assertEquals(0, r.checkLeaks());
        }
    }

    /**
     * {@code __insert_uprobe}: a registration that meets a dying uprobe (its count already 0, its
     * last put waiting for the tree lock) erases it and inserts the new one inside one seqcount
     * write section, so no lockless reader sees the key absent with an even count. One section is
     * one step of 2 in the count; two sections (erase, then insert) would be 4.
     */
    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"SEQCOUNT_RCU", "SRCU"})
    void replacingADyingUprobeIsOneWriteSection(Backend b) {
        try (SeqcountTreeRegistry r = open(b)) {
            UprobeConsumer old = new UprobeConsumer();
            r.register(1, 1, old);
            Uprobe dying = live(r);
            assertEquals(0, dying.decrementAndGetRef(), "the last put has run up to the lock");
            long before = r.seqcount.valueOpaque();
            UprobeConsumer next = new UprobeConsumer();
            r.register(1, 1, next);
            assertEquals(before + 2, r.seqcount.valueOpaque(), "erase and insert in one section");
            assertEquals(Uprobe.State.ERASED, dying.state());
            Uprobe fresh = (Uprobe) r.tree.find(1, 1);
            org.junit.jupiter.api.Assertions.assertNotSame(dying, fresh);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new UprobeConsumer[] {next}, fresh.consumersAcquire());
            r.eraseAndDeferFree(dying); // the waiting last put goes on: already unlinked, so only the free
            r.unregister(1, 1, next);
            r.synchronize();
            assertEquals(0, r.checkLeaks());
            assertEquals(0, r.invariants().totalViolations());
        }
    }

    /** A registration at a live key shares its uprobe; the one it allocated is freed unpublished. */
    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"SEQCOUNT_RCU", "SRCU", "PERCPU_REF"})
    void aSecondRegistrationSharesTheUprobeAndFreesItsOwn(Backend b) {
        try (SeqcountTreeRegistry r = open(b)) {
            UprobeConsumer a = new UprobeConsumer();
            UprobeConsumer c = new UprobeConsumer();
            r.register(1, 1, a);
            long allocations = r.slab().allocations();
            r.register(1, 1, c);
            assertEquals(allocations + 1, r.slab().allocations(), "allocated before the lock, as alloc_uprobe does");
            assertEquals(1, r.slab().inUse(), "and freed again, never published");
            assertEquals(2, ((Uprobe) r.tree.find(1, 1)).consumersAcquire().length);
            r.unregister(1, 1, a);
            r.unregister(1, 1, c);
            r.synchronize();
            assertEquals(0, r.checkLeaks());
        }
    }
}

