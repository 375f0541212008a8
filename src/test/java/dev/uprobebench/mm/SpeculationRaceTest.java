package dev.uprobebench.mm;

import dev.uprobebench.sync.TestGracePeriods;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.CountingConsumer;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RcuFlavour;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A speculative reader stopped (by a latch at {@link MmHooks#afterSpeculativeRead}) between
 * reading its translation and looking the uprobe up, while another thread unmaps the file and maps
 * another one over the same addresses (reusing the same file object, as the type-stable file cache
 * does). The sequence check must void the speculation and the locked fallback must hit the new
 * mapping; without the check the stale hit gets through and the checker must count it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpeculationRaceTest {
    static final long OLD_INODE = 2;
    static final long NEW_INODE = 5;
    static final long OFFSET = 5;

    static Iterable<Backend> backends() {
        return Backend.models().stream().filter(Backend::allowsChurn).filter(Backend::safe).toList();
    }

    /** Pauses the first speculative reader that gets to the hook until {@code proceed} opens. */
    static final class PauseOnce implements MmHooks {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        volatile Vma seen;
        /** The mutant: the speculation never consults the sequence again, so stale hits get through. */
        final boolean withoutSequenceCheck;

        PauseOnce(boolean withoutSequenceCheck) {
            this.withoutSequenceCheck = withoutSequenceCheck;
        }

        @Override
        public boolean speculationMustRetry(MmapLock lock, long start) {
            return !withoutSequenceCheck && lock.speculateRetry(start);
        }

        @Override
        public void afterSpeculativeRead(CpuSlot slot, Vma vma) {
            if (reached.getCount() > 0) {
                seen = vma;
                reached.countDown();
                await(proceed);
            }
        }
    }

    static void await(CountDownLatch l) {
        try {
            assertTrue(l.await(30, TimeUnit.SECONDS), "latch not released");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    record Outcome(long result, long oldCalls, long newCalls, long fallbacks, long stale, long vmaUseAfterFree) {
    }

    static Outcome race(Backend backend, AddressSpace.Options options, boolean freeAndReuseTheVma) throws Exception {
        return race(backend, options, freeAndReuseTheVma, false);
    }

    static Outcome race(Backend backend, AddressSpace.Options options, boolean freeAndReuseTheVma,
            boolean withoutSequenceCheck) throws Exception {
        PauseOnce hook = new PauseOnce(withoutSequenceCheck);
        try (UprobeRegistry registry = backend.create(RegistryConfig.of(1024, 4));
                AddressSpace mm = new AddressSpace(VmaLookup.SPECULATIVE, 4, 64, RcuFlavour.MEMB,
                        RegistryConfig.DEFAULT_STEP_BOUND, registry.invariants(), options.withHooks(hook))) {
            CountingConsumer oldConsumer = new CountingConsumer();
            CountingConsumer newConsumer = new CountingConsumer();
            registry.register(OLD_INODE, OFFSET, oldConsumer);
            registry.register(NEW_INODE, OFFSET, newConsumer);
            Layout.mapProbed(mm, OLD_INODE, 4096);
            CompletableFuture<long[]> reader = CompletableFuture.supplyAsync(() -> {
                CpuSlot slot = registry.slots().acquire();
                VmaWalker w = mm.newWalker();
                registry.readerOnline(slot);
                mm.online(slot);
                long r = w.hit(slot, Layout.vaddr(OLD_INODE, OFFSET), registry);
                mm.offline(slot);
                registry.readerOffline(slot);
                registry.slots().release(slot);
                return new long[] {r, w.fallbacks()};
            });
            await(hook.reached);
            // The reader holds a translation to OLD_INODE. Replace the mapping under it.
            mm.munmap(Layout.probedBase(OLD_INODE));
            if (freeAndReuseTheVma) {
                mm.rcu.barrier(); // returns at once only if grace periods are broken
                Layout.mapRegion(mm, 0); // takes the just-freed VMA (LIFO)
            }
            Layout.mapFileAt(mm, OLD_INODE, NEW_INODE, 4096);
            hook.proceed.countDown();
            long[] r = reader.get(30, TimeUnit.SECONDS);
            return new Outcome(r[0], oldConsumer.calls(), newConsumer.calls(), r[1],
                    registry.invariants().total(Violation.STALE_VMA),
                    registry.invariants().total(Violation.VMA_USE_AFTER_FREE));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theSequenceCheckVoidsTheStaleTranslationAndTheFallbackHitsTheNewMapping(Backend b) throws Exception {
        Outcome o = race(b, AddressSpace.Options.NONE, false);
        assertEquals(OFFSET, o.result());
        assertEquals(0, o.oldCalls(), "no handler of the unmapped file ran: " + o);
        assertEquals(1, o.newCalls(), "the fallback hit the file mapped now: " + o);
        assertEquals(1, o.fallbacks(), o.toString());
        assertEquals(0, o.stale(), o.toString());
        assertEquals(0, o.vmaUseAfterFree(), o.toString());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void withoutTheSequenceCheckTheStaleHitIsCounted(Backend b) throws Exception {
        Outcome o = race(b, AddressSpace.Options.NONE, false, true);
        assertEquals(1, o.oldCalls(), "the stale translation was used: " + o);
        assertEquals(0, o.fallbacks(), o.toString());
        assertEquals(1, o.stale(), "the checker counted the stale hit: " + o);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aVmaFreedUnderItsReaderIsCountedWhenGracePeriodsAreBroken(Backend b) throws Exception {
        Outcome o = race(b, AddressSpace.Options.NONE.withGracePeriods(TestGracePeriods.BROKEN), true);
        assertEquals(1, o.vmaUseAfterFree(), o.toString());
        assertEquals(1, o.fallbacks(), "the sequence check still voided the translation: " + o);
    }
}
