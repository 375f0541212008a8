package dev.uprobebench.registry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RaceHooks;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each term of a back-end's teardown leak check, left non-zero on its own: a lock still held, a
 * reader still inside, a seqcount write section still open, a per-CPU reference still counted on
 * a freed uprobe. {@code checkLeaks()} must count exactly that one more than the same registry
 * without it. A correct run leaves every term at zero, so only a test that raises one at a time
 * tells a term that is summed from one that is dropped or subtracted.
 */
class LeakTermsTest {
    private static final long BOUND_SECONDS = 20;

    /** The leaks {@code during} adds to the registry as it is, run on this thread. */
    private static long extraLeaks(UprobeRegistry r, Runnable during, Runnable after) {
        long before = r.checkLeaks();
        during.run();
        long with;
        try {
            with = r.checkLeaks();
        } finally {
            after.run();
        }
        assertEquals(before, r.checkLeaks(), "the term went back to zero once released");
        return with - before;
    }

    @ParameterizedTest
    @MethodSource("dev.uprobebench.registry.backend.BackendsBuiltOn#lockedTree")
    void aWriterHoldingTheLockAtTeardownIsALeak(Backend b) {
        try (UprobeRegistry r = b.create(RegistryConfig.of(16, 4))) {
            LockedTreeRegistry locked = (LockedTreeRegistry) r;
            // percpu-rwsem: the write lock, and rcu_sync, which is not idle while a writer holds it
            long expected = locked instanceof PercpuRwsemRegistry ? 2 : 1;
            assertEquals(expected, extraLeaks(r, locked::writeLock, locked::writeUnlock));
        }
    }

    /** A reader stopped inside the read lock (at its lookup) while another thread checks. */
    @ParameterizedTest
    @MethodSource("dev.uprobebench.registry.backend.BackendsBuiltOn#lockedTree")
    void aReaderHoldingTheReadLockAtTeardownIsALeak(Backend b) throws Exception {
        CountDownLatch atFind = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RaceHooks stop = new RaceHooks() {
            @Override
            public void afterFind(CpuSlot slot, Uprobe u) {
                atFind.countDown();
                ResurrectionRaceTest.await(release); // bounded: the test releases it
            }
        };
        try (UprobeRegistry r = b.create(RegistryConfig.of(16, 4).withHooks(stop))) {
            r.register(1, 1, new UprobeConsumer());
            r.barrier(); // the registration's rcu_sync callbacks, before a reader can hold a grace period
            long before = r.checkLeaks();
            long online;
            long inside;
            CompletableFuture<Long> reader;
            try {
                reader = OneReader.hitAsync(r, 1, 1);
                assertTrue(atFind.await(BOUND_SECONDS, TimeUnit.SECONDS));
                inside = r.checkLeaks();
            } finally {
                release.countDown();
            }
            assertEquals(1, reader.get(BOUND_SECONDS, TimeUnit.SECONDS));
            // The reader was still online when checked: a QSBR reader, where the design runs on RCU.
            online = r instanceof RcuReaders ? 1 : 0;
            assertEquals(1 + online, inside - before, b.cliName() + ": the held read lock");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.uprobebench.registry.backend.BackendsBuiltOn#seqcountTree")
    void aWriterHoldingTheTreeLockAtTeardownIsALeak(Backend b) {
        try (UprobeRegistry r = b.create(RegistryConfig.of(16, 4))) {
            SeqcountTreeRegistry tree = (SeqcountTreeRegistry) r;
            assertEquals(1, extraLeaks(r, tree.treeLock()::lock, tree.treeLock()::unlock));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.uprobebench.registry.backend.BackendsBuiltOn#seqcountTree")
    void aSeqcountWriteSectionOpenAtTeardownIsALeak(Backend b) {
        try (UprobeRegistry r = b.create(RegistryConfig.of(16, 4))) {
            SeqcountTreeRegistry tree = (SeqcountTreeRegistry) r;
            assertEquals(1, extraLeaks(r, tree.seqcount::writeBegin, tree.seqcount::writeEnd));
        }
    }

    @Test
    void anSrcuReaderInsideAtTeardownIsALeak() {
        try (SrcuRegistry r = (SrcuRegistry) Backend.SRCU.create(RegistryConfig.of(16, 4))) {
            int[] idx = new int[1];
            assertEquals(1, extraLeaks(r, () -> idx[0] = r.srcu.readLock(2), () -> r.srcu.readUnlock(2, idx[0])));
        }
    }

    /** 6.13: a return instance still holding {@code uretprobes_srcu} at teardown. */
    @Test
    void aUretprobeSrcuReaderInsideAtTeardownIsALeak() {
        try (SeqcountRcuRegistry r = (SeqcountRcuRegistry) Backend.SEQCOUNT_RCU.create(RegistryConfig.of(16, 4))) {
            int[] idx = new int[1];
            assertEquals(1, extraLeaks(r, () -> idx[0] = r.uretprobeDomain().readLock(2),
                    () -> r.uretprobeDomain().readUnlock(2, idx[0])));
        }
    }

    /**
     * A per-CPU reference counted on a uprobe that was freed: the reference a broken hit path
     * would take after the kill, or never put. Each such uprobe counts once.
     */
    @Test
    void aPercpuReferenceOnAFreedUprobeAtTeardownIsALeak() {
        OneReader.Found found = new OneReader.Found();
        try (PercpuRefRegistry r = (PercpuRefRegistry) Backend.PERCPU_REF.create(
                RegistryConfig.of(16, 4).withHooks(found))) {
            UprobeConsumer c = new UprobeConsumer();
            r.register(1, 1, c);
            r.register(2, 2, new UprobeConsumer()); // live, and never counted: its reference is allowed
            Uprobe u = OneReader.hitOnce(r, found, 1, 1, 1);
            CpuSlot slot = r.slots().acquire();
            int index = u.slabIndex();
            r.unregister(1, 1, c);
            r.barrier();
            assertTrue(u.isFreedAcquire(), "freed once its reference count reached zero");
            long before = r.checkLeaks();
            // Not put back: at zero the put would run the release (erase and free) a second time.
            r.refs().get(slot.id(), index);
            assertEquals(before + 1, r.checkLeaks(), "the reference still counted on the freed uprobe");
            assertTrue(r.invariants().total(Violation.LEAK) >= 1);
        }
    }
}
