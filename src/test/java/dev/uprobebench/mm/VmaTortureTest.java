package dev.uprobebench.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.check.TortureConfig;
import dev.uprobebench.check.TortureDriver;
import dev.uprobebench.check.TortureResult;
import dev.uprobebench.check.TortureRuns;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Torture with the whole hit path: readers hit addresses through each VMA lookup while registry
 * writers churn uprobes and an address-space writer maps, unmaps and remaps under them.
 */
class VmaTortureTest {
    static Stream<Arguments> safeBackendsAndLookups() {
        return Backend.models().stream().filter(b -> b.safe() && b.allowsChurn())
                .flatMap(b -> withAddressSpace().map(l -> Arguments.of(b, l)));
    }

    /** Every VMA lookup that has an address space: a new one joins by joining the enum. */
    static Stream<VmaLookup> withAddressSpace() {
        return Arrays.stream(VmaLookup.values()).filter(l -> l != VmaLookup.NONE);
    }

    @ParameterizedTest
    @MethodSource("safeBackendsAndLookups")
    void everySafeBackEndIsCleanThroughEveryVmaLookup(Backend b, VmaLookup lookup) {
        // A 2-core host running two writers beside the readers can starve the readers of a
        // writer-heavy design (rwlock under mmap_lock: 628 hits in 800 ms on one CI run), so
        // progress is judged over up to TortureRuns.MAX_RUNS clean runs.
        TortureConfig c = TortureConfig.defaults().withMillis(800).withVma(lookup, 1);
        TortureRuns runs = TortureRuns.until(i -> TortureDriver.run(b, c.withSeed(c.seed() + i)),
                t -> t.sum(TortureResult::hits) > 1000 && t.sum(TortureResult::mmOps) > 10
                        && (!lookup.speculative() || t.sum(TortureResult::speculations) > 1000
                                && t.sum(TortureResult::fallbacks) > 0));
        assertTrue(runs.sum(TortureResult::hits) > 1000, runs.format());
        assertTrue(runs.sum(TortureResult::mmOps) > 10, "the address space changed: " + runs.format());
        if (lookup.speculative()) {
            assertTrue(runs.sum(TortureResult::speculations) > 1000, runs.format());
            assertTrue(runs.sum(TortureResult::fallbacks) > 0, "churn-key misses, at least, fall back: " + runs.format());
        } else {
            assertEquals(0, runs.sum(TortureResult::speculations), runs.format());
        }
    }

    /** The mutant: a speculation that never consults the sequence again. */
    static final MmHooks NO_SEQUENCE_CHECK = new MmHooks() {
        @Override
        public boolean speculationMustRetry(MmapLock lock, long start) {
            return false;
        }
    };

    /**
     * The mutant whose speculation skips {@code mmap_lock_speculate_retry}: with the churn file
     * remapped under the readers, stale hits get through, and torture alone (no latches) sees them.
     */
    @Test
    void tortureCatchesASpeculationWithoutTheSequenceCheck() {
        TortureConfig c = TortureConfig.defaults().withMillis(1500).withChurn(64, 0.9)
                .withVma(VmaLookup.SPECULATIVE, 1);
        try (UprobeRegistry registry = Backend.SEQCOUNT_RCU.create(RegistryConfig.of(c.slabCapacity(), c.slots()))) {
            TortureResult r = TortureDriver.run(registry, c, AddressSpace.Options.NONE.withHooks(NO_SEQUENCE_CHECK));
            System.out.println(r.format());
            assertTrue(r.count(Violation.STALE_VMA) > 0, r.format());
        }
    }
}
