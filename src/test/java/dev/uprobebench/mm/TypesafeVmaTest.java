package dev.uprobebench.mm;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 6.15's VMA lifetime ({@link VmaLookup#SPECULATIVE_TYPESAFE}): an unmapped VMA is back in the
 * cache at once and the next mmap takes it (LIFO), inside the reader's grace period. A reader
 * stopped by a latch after reading its translation, while the VMA it found is freed and reused for
 * another range: its revalidation must send it to the locked path; without revalidation and
 * without the sequence check (the mutants, test doubles of {@link MmHooks}) the hit goes through
 * on the reused VMA and the checker counts {@link Violation#VMA_REUSED}. Then the translation
 * check ({@link Violation#WRONG_TRANSLATION}): a writer that changes a linked VMA's offset in
 * place, without its lock (so without moving the sequence), is caught on the next hit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TypesafeVmaTest {
    static Iterable<Backend> backends() {
        return SpeculationRaceTest.backends();
    }

    /** Pauses the first speculative reader after its reads; optionally without revalidation and the sequence check. */
    static final class Pause implements MmHooks {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        final boolean noRevalidation;
        final boolean noSequenceCheck;

        Pause(boolean noRevalidation, boolean noSequenceCheck) {
            this.noRevalidation = noRevalidation;
            this.noSequenceCheck = noSequenceCheck;
        }

        @Override
        public boolean revalidate(Vma vma, int generation, long vaddr) {
            return noRevalidation || vma.stillMaps(generation, vaddr);
        }

        @Override
        public boolean speculationMustRetry(MmapLock lock, long start) {
            return !noSequenceCheck && lock.speculateRetry(start);
        }

        @Override
        public void afterSpeculativeRead(CpuSlot slot, Vma vma) {
            if (reached.getCount() > 0) {
                reached.countDown();
                SpeculationRaceTest.await(proceed);
            }
        }
    }

    record Outcome(long oldCalls, long newCalls, long fallbacks, long revalidationFallbacks, long reused, long stale,
            long useAfterFree, boolean sameVmaReused) {
    }

    static Outcome race(Backend backend, Pause hook) throws Exception {
        try (UprobeRegistry registry = backend.create(RegistryConfig.of(1024, 4));
                AddressSpace mm = new AddressSpace(VmaLookup.SPECULATIVE_TYPESAFE, 4, 64, RcuFlavour.MEMB,
                        RegistryConfig.DEFAULT_STEP_BOUND, registry.invariants(), AddressSpace.Options.NONE
                                .withHooks(hook))) {
            CountingConsumer oldConsumer = new CountingConsumer();
            CountingConsumer newConsumer = new CountingConsumer();
            long old = SpeculationRaceTest.OLD_INODE;
            long off = SpeculationRaceTest.OFFSET;
            registry.register(old, off, oldConsumer);
            registry.register(SpeculationRaceTest.NEW_INODE, off, newConsumer);
            Layout.mapProbed(mm, old, 4096);
            Vma found = (Vma) mm.tree.find(0, Layout.probedBase(old));
            CompletableFuture<long[]> reader = CompletableFuture.supplyAsync(() -> {
                CpuSlot slot = registry.slots().acquire();
                VmaWalker w = mm.newWalker();
                registry.readerOnline(slot);
                mm.online(slot);
                w.hit(slot, Layout.vaddr(old, off), registry);
                mm.offline(slot);
                registry.readerOffline(slot);
                registry.slots().release(slot);
                return new long[] {w.fallbacks(), w.revalidationFallbacks()};
            });
            SpeculationRaceTest.await(hook.reached);
            // The reader is inside its read section with a translation from `found`. Unmap it: with
            // typesafe VMAs it is free at once, and the next mmap takes it for another range.
            mm.munmap(Layout.probedBase(old));
            Layout.mapRegion(mm, 0);
            boolean same = mm.tree.find(0, Layout.regionStart(0)) == found;
            Layout.mapFileAt(mm, old, SpeculationRaceTest.NEW_INODE, 4096);
            hook.proceed.countDown();
            long[] r = reader.get(30, TimeUnit.SECONDS);
            return new Outcome(oldConsumer.calls(), newConsumer.calls(), r[0], r[1],
                    registry.invariants().total(Violation.VMA_REUSED), registry.invariants().total(Violation.STALE_VMA),
                    registry.invariants().total(Violation.VMA_USE_AFTER_FREE), same);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aVmaReusedUnderItsReaderFailsRevalidationAndTheFallbackHitsTheNewMapping(Backend b) throws Exception {
        Outcome o = race(b, new Pause(false, false));
        assertTrue(o.sameVmaReused(), "the freed VMA was reused at once, inside the reader's grace period: " + o);
        assertEquals(0, o.oldCalls(), o.toString());
        assertEquals(1, o.newCalls(), "the locked path hit the file mapped now: " + o);
        assertEquals(1, o.revalidationFallbacks(), o.toString());
        assertEquals(0, o.reused() + o.stale() + o.useAfterFree(), "a reuse inside the read section is legal: " + o);
    }

    /** Revalidation alone suffices here: without the sequence check the reader still falls back. */
    @ParameterizedTest
    @MethodSource("backends")
    void revalidationAloneCatchesTheReuse(Backend b) throws Exception {
        Outcome o = race(b, new Pause(false, true));
        assertEquals(0, o.oldCalls(), o.toString());
        assertEquals(1, o.revalidationFallbacks(), o.toString());
        assertEquals(0, o.reused(), o.toString());
    }

    /** The mutant: no revalidation, no sequence check. The hit goes through the reused VMA and is counted. */
    @ParameterizedTest
    @MethodSource("backends")
    void withoutRevalidationTheHitOnTheReusedVmaIsCounted(Backend b) throws Exception {
        Outcome o = race(b, new Pause(true, true));
        assertEquals(1, o.oldCalls(), "the stale translation was used: " + o);
        assertEquals(1, o.reused(), "the checker counted the hit on a reused VMA: " + o);
        assertEquals(0, o.useAfterFree(), "a typesafe reuse is not a use after free: " + o);
    }

    /**
     * A writer that changes a linked VMA's file offset in place, outside the lock (so the sequence
     * does not move and no per-VMA state changes): the reader's translation is consistent with the
     * VMA it read and passes every other check, but not what the address space mapped.
     */
    @ParameterizedTest
    @MethodSource("dev.uprobebench.mm.VmaTortureTest#withAddressSpace")
    void aTranslationThatIsNotWhatWasMappedIsCounted(VmaLookup lookup) throws Exception {
        try (UprobeRegistry registry = Backend.SEQCOUNT_RCU.create(RegistryConfig.of(64, 4));
                AddressSpace mm = AddressSpaceTest.mm(lookup, registry)) {
            CountingConsumer right = new CountingConsumer();
            CountingConsumer wrong = new CountingConsumer();
            registry.register(7, 10, right);
            registry.register(7, 4096 + 10, wrong);
            Layout.mapProbed(mm, 7, 2 * AddressSpace.PAGE_SIZE);
            CpuSlot slot = registry.slots().acquire();
            VmaWalker w = mm.newWalker();
            assertEquals(10, w.hit(slot, Layout.vaddr(7, 10), registry));
            assertEquals(0, registry.invariants().total(Violation.WRONG_TRANSLATION), "a right translation passes");
            java.lang.reflect.Field pgoff = Vma.class.getDeclaredField("pgoff");
            pgoff.setAccessible(true);
            pgoff.setLong(mm.tree.find(0, Layout.probedBase(7)), 4096); // the rogue writer
            assertEquals(4096 + 10, w.hit(slot, Layout.vaddr(7, 10), registry));
            assertEquals(1, wrong.calls());
            assertEquals(1, registry.invariants().total(Violation.WRONG_TRANSLATION), "caught against the truth");
            assertEquals(0, registry.invariants().total(Violation.STALE_VMA), "no other check sees it");
            assertEquals(0, w.translationsUnchecked());
            registry.slots().release(slot);
        }
    }

    /** The truth keeps the last versions; an accepted hit validated against an older one is counted as unchecked. */
    @Test
    void theTruthAnswersForRecentSequencesOnly() {
        MappingTruth t = new MappingTruth();
        t.record(0x1000, 0x2000, 7, 0);
        t.publish(2);
        assertTrue(t.at(2).maps(0x1005, 7, 5));
        assertTrue(!t.at(2).maps(0x1005, 7, 6) && !t.at(2).maps(0x1005, 8, 5) && !t.at(2).maps(0x2000, 7, 0x1000));
        assertTrue(t.at(0).starts().length == 0, "the empty space before any write");
        for (long s = 4; s <= 2 + 2 * MappingTruth.VERSIONS; s += 2) {
            t.publish(s);
        }
        assertEquals(null, t.at(2), "left the ring");
        assertTrue(t.at(2 + 2 * MappingTruth.VERSIONS) != null);
    }
}
