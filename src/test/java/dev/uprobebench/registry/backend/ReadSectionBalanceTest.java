package dev.uprobebench.registry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.RaceHooks;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RcuFlavour;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every path through a hit of the designs on {@link dev.uprobebench.sync.Rcu} enters exactly one
 * read section and leaves it: the found path, the voided lookup ({@link UprobeRegistry#RETRY}) and
 * the miss. Run under the memb flavour, where a read section is visible (a per-slot counter set
 * by the lock and cleared by the unlock); under QSBR, the tests' default, the lock and unlock are
 * empty, and a missing one is the same program. A hit that forgot its unlock would leave a reader
 * inside for ever (the next grace period would never end); one that forgot its lock would run the
 * lookup with no grace period waiting for it.
 */
class ReadSectionBalanceTest {
    private static final long INODE = 3;
    private static final long OFFSET = 64;

    /** The reader counts the hook saw inside the section, and the registry under test. */
    private static final class Probe implements RaceHooks {
        final AtomicInteger insideAtFind = new AtomicInteger(-1);
        RcuTreeRegistry registry;

        @Override
        public void afterFind(CpuSlot slot, Uprobe u) {
            insideAtFind.set(registry.rcu().readersInside());
        }
    }

    private static RcuTreeRegistry open(Backend b, Probe probe) {
        RegistryConfig config = RegistryConfig.of(16, 4).withRcuFlavour(RcuFlavour.MEMB).withHooks(probe);
        RcuTreeRegistry r = (RcuTreeRegistry) b.create(config);
        probe.registry = r;
        return r;
    }

    @ParameterizedTest
    @MethodSource("dev.uprobebench.registry.backend.BackendsBuiltOn#rcuTree")
    void aHitIsInsideOneReadSectionAtItsLookupAndInNoneAfterIt(Backend b) {
        Probe probe = new Probe();
        try (RcuTreeRegistry r = open(b, probe)) {
            r.register(INODE, OFFSET, new UprobeConsumer());
            CpuSlot slot = r.slots().acquire();
            r.readerOnline(slot);
            assertEquals(0, r.rcu().readersInside(), "online is not inside, under memb");
            assertEquals(OFFSET, r.hit(slot, INODE, OFFSET));
            assertEquals(1, probe.insideAtFind.get(), b.cliName() + ": the lookup ran outside a read section");
            assertEquals(0, r.rcu().readersInside(), b.cliName() + ": the hit left a reader inside");
            assertEquals(UprobeRegistry.MISS, r.hit(slot, INODE, OFFSET + 1));
            assertEquals(0, r.rcu().readersInside(), b.cliName() + ": the miss left a reader inside");
            r.readerOffline(slot);
            assertEquals(0, r.invariants().totalViolations(), r.invariants().snapshot().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.uprobebench.registry.backend.BackendsBuiltOn#rcuTree")
    void aVoidedLookupLeavesItsReadSection(Backend b) {
        Probe probe = new Probe();
        HitCheck voiding = new HitCheck() {
            @Override
            public boolean found(CpuSlot slot) {
                return false; // the translation the key came from was stale
            }
        };
        try (RcuTreeRegistry r = open(b, probe)) {
            CountingHandler handler = new CountingHandler();
            r.register(INODE, OFFSET, handler);
            CpuSlot slot = r.slots().acquire();
            r.readerOnline(slot);
            assertEquals(UprobeRegistry.RETRY, r.hit(slot, INODE, OFFSET, voiding));
            assertEquals(1, probe.insideAtFind.get());
            assertEquals(0, r.rcu().readersInside(), b.cliName() + ": the voided lookup left a reader inside");
            assertEquals(0, handler.calls.get(), "a voided lookup runs no handler");
            assertEquals(0, r.invariants().hits(), "nor counts a hit");
            r.readerOffline(slot);
        }
    }

    /** {@code handle_trampoline}'s read section around a return (6.13: RCU Tasks Trace). */
    @org.junit.jupiter.api.Test
    void aReturnIsInsideOneReadSectionFromEnterToExit() {
        Probe probe = new Probe();
        try (RcuTreeRegistry r = open(Backend.SEQCOUNT_RCU, probe)) {
            SeqcountRcuRegistry seq = (SeqcountRcuRegistry) r;
            CpuSlot slot = r.slots().acquire();
            r.readerOnline(slot);
            seq.returnEnter(slot);
            assertEquals(1, r.rcu().readersInside(), "returnEnter did not enter a read section");
            seq.returnExit(slot);
            assertEquals(0, r.rcu().readersInside(), "returnExit did not leave it");
            r.readerOffline(slot);
        }
    }

    private static final class CountingHandler extends UprobeConsumer {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public long handle(Uprobe u) {
            calls.incrementAndGet();
            return super.handle(u);
        }
    }
}
