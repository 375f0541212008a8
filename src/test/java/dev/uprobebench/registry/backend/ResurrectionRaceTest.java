package dev.uprobebench.registry.backend;

import dev.uprobebench.sync.TestGracePeriods;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RaceHooks;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RcuFlavour;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Oleg Nesterov's race against the RFC "perf/uprobe: RCU-ify find_uprobe()", driven step by step
 * with latches at the back-ends' race hooks (no sleeps):
 *
 * <ol>
 *   <li>the reader finds U and stops before doing anything with it;</li>
 *   <li>the unregistering thread drops U's last reference to 0, erases it and queues its free;</li>
 *   <li>the reader goes on: the RFC's {@code get_uprobe()} raises 0 to 1 and leaves the read
 *       section, then blocks (offline, as a sleeping QSBR reader is);</li>
 *   <li>the grace period ends, the free runs and the slab hands U out again for another key;</li>
 *   <li>the reader runs U's handlers: U is freed and recycled under it.</li>
 * </ol>
 *
 * The same script forced on the fixed designs cannot reach step 4 before the reader has finished
 * with U: the grace period waits for it, and the hit returns U's own result, or a miss where the
 * design refuses a dying uprobe ({@code percpu-ref}).
 */
class ResurrectionRaceTest {
    private static final long BOUND_SECONDS = 20;
    private static final long INODE = 9;
    private static final long KEY = 4096;
    private static final long OTHER_KEY = 8192;

    /** The interleaving points, bound to one registry and one reader. */
    static final class Script implements RaceHooks {
        final CountDownLatch found = new CountDownLatch(1);
        final CountDownLatch writerDropped = new CountDownLatch(1);
        final CountDownLatch recycled = new CountDownLatch(1);
        final AtomicReference<Uprobe> target = new AtomicReference<>();
        volatile UprobeRegistry registry;

        @Override
        public void afterFind(CpuSlot slot, Uprobe u) {
            if (target.compareAndSet(null, u)) {
                found.countDown();
                await(writerDropped);
            }
        }

        @Override
        public void afterReadUnlock(CpuSlot slot, Uprobe u) {
            if (u == target.get()) {
                // Out of the read section, the reader blocks (offline, as a QSBR thread that sleeps
                // must be): nothing it does holds the grace period any more.
                registry.readerOffline(slot);
                await(recycled);
                registry.readerOnline(slot);
            }
        }
    }

    static void await(CountDownLatch l) {
        try {
            assertTrue(l.await(BOUND_SECONDS, TimeUnit.SECONDS), "step not reached within bound");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertFalse(t.isAlive(), t.getName() + " hung");
    }

    /** The reader: one hit on KEY, then a quiescent state. */
    static Thread reader(UprobeRegistry r, AtomicLong result) {
        return new Thread(() -> {
            CpuSlot slot = r.slots().acquire();
            r.readerOnline(slot);
            result.set(r.hit(slot, INODE, KEY));
            r.readerQuiescent(slot);
            r.readerOffline(slot);
            r.slots().release(slot);
        }, "reader");
    }

    static UprobeRegistry open(Backend b, String flavour, Script script, boolean brokenGracePeriods) {
        RegistryConfig c = RegistryConfig.of(8, 4).withHooks(script).withRcuFlavour(RcuFlavour.byName(flavour));
        UprobeRegistry r = b.create(brokenGracePeriods ? c.withGracePeriods(TestGracePeriods.BROKEN) : c);
        script.registry = r;
        return r;
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({"seqcount-rcu-rfc, qsbr", "seqcount-rcu-rfc, memb", "seqcount-rcu, qsbr", "seqcount-rcu, memb",
            "srcu, qsbr", "percpu-ref, qsbr", "percpu-ref, memb"})
    void theListInterleaving(String name, String flavour) throws InterruptedException {
        Backend b = Backend.byName(name);
        Script script = new Script();
        try (UprobeRegistry r = open(b, flavour, script, false)) {
            UprobeConsumer c = new UprobeConsumer();
            r.register(INODE, KEY, c);
            AtomicLong result = new AtomicLong();
            Thread reader = reader(r, result);
            reader.start();
            await(script.found);
            Uprobe u = script.target.get();
            int generation = u.generationAcquire();

            r.unregister(INODE, KEY, c); // last put: count 0; erased and free queued, or ref killed
            assertEquals(0, u.refOpaque());
            assertNotEquals(Uprobe.State.FREED, u.state());
            script.writerDropped.countDown();

            Thread reclaim = new Thread(() -> {
                r.barrier(); // the grace period ends and the free runs
                r.register(INODE, OTHER_KEY, new UprobeConsumer()); // LIFO slab: U again
                script.recycled.countDown();
            }, "reclaim");
            reclaim.start();
            join(reader);
            join(reclaim);

            assertSame(u, r.slab().object(u.slabIndex()));
            assertNotEquals(generation, u.generationAcquire(), "U was freed and handed out again");
            long resurrections = r.invariants().total(Violation.RESURRECTION);
            long useAfterFree = r.invariants().total(Violation.USE_AFTER_FREE);
            if (b.safe()) {
                assertEquals(0, r.invariants().totalViolations(), r.invariants().snapshot().toString());
                // U, found before the unregistration, is still U (not the recycled object) for as
                // long as the reader uses it; its consumer list was already empty. percpu-ref's
                // tryGetLive refuses the killed ref: a miss. seqcount-rcu (6.13) sees U with no
                // consumer left, its erase still pending in the put work: its breakpoints went with
                // its last consumer, so that is a miss too (checked for use after free all the same).
                long expected = b == Backend.PERCPU_REF || b == Backend.SEQCOUNT_RCU ? UprobeRegistry.MISS : 0;
                assertEquals(expected, result.get(), "the reader ran U's (empty) handler chain, not another key's");
            } else {
                assertEquals(1, resurrections, "get_uprobe() raised 0 to 1");
                assertEquals(1, useAfterFree, "the reader used U after its free");
            }
        }
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({"seqcount-rcu, qsbr", "seqcount-rcu, memb", "srcu, qsbr"})
    void aGracePeriodThatEndsAtOnceLetsTheReaderSeeARecycledUprobe(String name, String flavour)
            throws InterruptedException {
        Script script = new Script();
        try (UprobeRegistry r = open(Backend.byName(name), flavour, script, true)) {
            UprobeConsumer c = new UprobeConsumer();
            r.register(INODE, KEY, c);
            AtomicLong result = new AtomicLong();
            Thread reader = reader(r, result);
            reader.start();
            await(script.found);
            r.unregister(INODE, KEY, c);
            r.barrier(); // the mutant does not wait for the reader
            r.register(INODE, OTHER_KEY, new UprobeConsumer());
            script.writerDropped.countDown();
            script.recycled.countDown();
            join(reader);
            assertEquals(OTHER_KEY, result.get(), "the reader ran the recycled object's handler");
            // recycled between the find and the use: its generation moved on since the reader found it
            assertEquals(1, r.invariants().total(Violation.USE_AFTER_FREE), r.invariants().snapshot().toString());
            assertEquals(1, r.invariants().totalViolations(), r.invariants().snapshot().toString());
        }
    }
}
