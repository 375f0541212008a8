package dev.uprobebench.registry.backend;

import dev.uprobebench.sync.TestGracePeriods;
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
import dev.uprobebench.sync.RcuFlavour;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checker's counting calls on each design's hit path, each shown to count when the design is
 * broken between its lookup and its last use of the uprobe. A correct design never gives them
 * anything to count, so only a broken one tells a check that runs from one that was left out.
 * Each test breaks one design one way and drives the interleaving with latches:
 * <ul>
 *   <li>a grace period that does not wait ({@code withBrokenGracePeriods}), with a reader inside
 *       a handler: {@code srcu}, {@code seqcount-rcu}, whose handlers run inside the read
 *       section;</li>
 *   <li>a reference dropped by the reader itself before its handlers (a put too many): the
 *       refcounting designs, {@code rwlock}, {@code percpu-rwsem}, {@code percpu-ref};</li>
 *   <li>a reference taken on a count another put already dropped to zero: {@code rwlock},
 *       {@code percpu-rwsem};</li>
 *   <li>a last put that runs twice: the erase path of the designs that defer their free.</li>
 * </ul>
 */
class CheckerSeesBrokenLifetimesTest {
    private static final long BOUND_SECONDS = 20;

    /**
     * A reader stopped inside the handler of the uprobe at (1, 1) while this thread unregisters
     * it and waits for every deferred free; then the reader finishes. Returns the registry's
     * use-after-free count.
     */
    private static long useAfterFreeWithAReaderInAHandler(Function<RegistryConfig, UprobeRegistry> create,
            RegistryConfig config) throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        UprobeConsumer blocking = OneReader.blocking(inHandler, release);
        try (UprobeRegistry r = create.apply(config)) {
            r.register(1, 1, blocking);
            CompletableFuture<Long> reader = OneReader.hitAsync(r, 1, 1);
            try {
                assertTrue(inHandler.await(BOUND_SECONDS, TimeUnit.SECONDS));
                r.unregister(1, 1, blocking);
                r.barrier(); // a broken lifetime has freed the uprobe by now
                assertEquals(0, r.invariants().total(Violation.USE_AFTER_FREE),
                        "nothing is counted before the reader's last use");
            } finally {
                release.countDown();
            }
            assertEquals(0, reader.get(BOUND_SECONDS, TimeUnit.SECONDS));
            return r.invariants().total(Violation.USE_AFTER_FREE);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"SRCU", "SEQCOUNT_RCU"})
    void aGracePeriodThatDoesNotWaitForAReaderInAHandlerIsAUseAfterFreeAtItsLastUse(Backend b) throws Exception {
        long uaf = useAfterFreeWithAReaderInAHandler(b::create, config(RaceHooks.NONE).withGracePeriods(TestGracePeriods.BROKEN));
        assertEquals(1, uaf, b.cliName() + ": the free under the handler, counted once at the hit's last use");
    }

    /**
     * The same scenario on the correct refcounting designs: the reader's reference holds the free
     * off, nothing counts. (On the grace-period designs barrier() would wait for the reader in
     * the handler; SynchronizeWaitsForReadersTest covers them.)
     */
    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"RWLOCK", "PERCPU_RWSEM", "PERCPU_REF"})
    void theCorrectRefcountingDesignsCountNothingInTheSameScenario(Backend b) throws Exception {
        assertEquals(0, useAfterFreeWithAReaderInAHandler(b::create, config(RaceHooks.NONE)));
    }

    /** A hit path that puts its reference as soon as it leaves the lock: a put too many. */
    @ParameterizedTest
    @MethodSource("dev.uprobebench.registry.backend.BackendsBuiltOn#lockedTree")
    void aReaderThatPutsItsReferenceBeforeItsHandlersIsAUseAfterFreeAtItsLastUse(Backend b) throws Exception {
        RaceHooks earlyPut = new RaceHooks() {
            @Override
            public void afterReadUnlock(CpuSlot slot, Uprobe u) {
                assertTrue(u.decrementAndGetRef() > 0, "the tree's reference still holds it");
            }
        };
        long uaf = useAfterFreeWithAReaderInAHandler(b::create, config(earlyPut));
        assertEquals(1, uaf, b.cliName() + ": the unregistering writer's put freed it under the handler");
    }

    /** {@code percpu-ref}: the reader's per-CPU reference put back before its handlers. */
    @org.junit.jupiter.api.Test
    void aPercpuRefReaderThatPutsItsReferenceBeforeItsHandlersIsAUseAfterFreeAtItsLastUse() throws Exception {
        AtomicReference<PercpuRefRegistry> self = new AtomicReference<>();
        RaceHooks earlyPut = new RaceHooks() {
            @Override
            public void afterReadUnlock(CpuSlot slot, Uprobe u) {
                self.get().refs().put(slot.id(), u.slabIndex());
            }
        };
        // The grace periods are broken too, so that barrier() does not wait for the reader: the
        // free then waits only for the reference count, which the early put has let down.
        long uaf = useAfterFreeWithAReaderInAHandler(c -> {
            PercpuRefRegistry r = (PercpuRefRegistry) Backend.PERCPU_REF.create(c);
            self.set(r);
            return r;
        }, config(earlyPut).withGracePeriods(TestGracePeriods.BROKEN));
        assertEquals(1, uaf);
    }

    /**
     * A reader that finds a uprobe whose count another put has just dropped to zero and takes a
     * plain reference on it (the RFC's bug on the locked designs): a resurrection.
     */
    @ParameterizedTest
    @MethodSource("dev.uprobebench.registry.backend.BackendsBuiltOn#lockedTree")
    void aReferenceTakenOnAZeroCountIsAResurrection(Backend b) {
        RaceHooks dropTheTreesReference = new RaceHooks() {
            @Override
            public void afterFind(CpuSlot slot, Uprobe u) {
                assertEquals(0, u.decrementAndGetRef());
            }
        };
        try (UprobeRegistry r = b.create(RegistryConfig.of(16, 4).withHooks(dropTheTreesReference))) {
            r.register(1, 1, new UprobeConsumer());
            CpuSlot slot = r.slots().acquire();
            r.readerOnline(slot);
            assertEquals(1, r.hit(slot, 1, 1));
            r.readerOffline(slot);
            assertEquals(1, r.invariants().total(Violation.RESURRECTION), r.invariants().snapshot().toString());
        }
    }

    /**
     * The last put's erase path reached a second time for a uprobe already freed (a put too many
     * after the last one): the erase path's own writer-side check counts it, once.
     */
    @ParameterizedTest
    @MethodSource("dev.uprobebench.registry.backend.BackendsBuiltOn#seqcountTree")
    void aSecondLastPutOnAFreedUprobeIsAWriterUseAfterFree(Backend b) {
        OneReader.Found found = new OneReader.Found();
        try (UprobeRegistry r = b.create(RegistryConfig.of(16, 4).withHooks(found))) {
            SeqcountTreeRegistry tree = (SeqcountTreeRegistry) r;
            UprobeConsumer c = new UprobeConsumer();
            r.register(1, 1, c);
            Uprobe u = OneReader.hitOnce(r, found, 1, 1, 1);
            r.unregister(1, 1, c);
            r.barrier();
            assertTrue(u.isFreedAcquire());
            assertEquals(0, r.invariants().total(Violation.WRITER_USE_AFTER_FREE));
            tree.eraseAndDeferFree(u);
            assertEquals(1, r.invariants().total(Violation.WRITER_USE_AFTER_FREE));
            r.barrier();
            assertEquals(1, r.invariants().total(Violation.DOUBLE_FREE), "and its second free is refused and counted");
        }
    }

    /**
     * The memb flavour: a reader in a handler is outside its read section (the handlers of the
     * refcounting designs run after the unlock), so the writer's grace periods (percpu-rwsem's
     * rcu_sync, percpu-ref's switch to atomic mode) do not wait for it, as in the kernel. Under
     * QSBR an online reader holds every grace period until its next quiescent state.
     */
    private static RegistryConfig config(RaceHooks hooks) {
        return RegistryConfig.of(16, 4).withRcuFlavour(RcuFlavour.MEMB).withHooks(hooks);
    }
}
