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

    /** An online QSBR reader holds the grace period, so the erased uprobe waits to be freed. */
    @org.junit.jupiter.api.Test
    void theLastPutErasesAtOnceAndFreesAfterTheGracePeriod() {
        try (SeqcountTreeRegistry r = open(Backend.SEQCOUNT_RCU)) {
            CpuSlot reader = r.slots().acquire();
            UprobeConsumer c = new UprobeConsumer();
            r.register(1, 1, c);
            Uprobe u = live(r);
            r.readerOnline(reader);
            r.unregister(1, 1, c);
            assertEquals(Uprobe.State.ERASED, u.state(), "unlinked at once, not yet freed");
            r.readerOffline(reader);
            r.barrier();
            assertEquals(Uprobe.State.FREED, u.state());
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
}
