package dev.uprobebench.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.check.TortureConfig;
import dev.uprobebench.check.TortureDriver;
import dev.uprobebench.check.TortureResult;
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
        return Arrays.stream(Backend.values()).filter(b -> b.safe() && b.allowsChurn())
                .flatMap(b -> withAddressSpace().map(l -> Arguments.of(b, l)));
    }

    /** Every VMA lookup that has an address space: a new one joins by joining the enum. */
    static Stream<VmaLookup> withAddressSpace() {
        return Arrays.stream(VmaLookup.values()).filter(l -> l != VmaLookup.NONE);
    }

    @ParameterizedTest
    @MethodSource("safeBackendsAndLookups")
    void everySafeBackEndIsCleanThroughEveryVmaLookup(Backend b, VmaLookup lookup) {
        TortureResult r = TortureDriver.run(b, TortureConfig.defaults().withMillis(800).withVma(lookup, 1));
        System.out.println(r.format());
        assertEquals(0, r.totalViolations(), r.format());
        assertTrue(r.hits() > 1000, r.format());
        assertTrue(r.mmOps() > 10, "the address space changed: " + r.format());
        if (lookup == VmaLookup.SPECULATIVE) {
            assertTrue(r.speculations() > 1000, r.format());
            assertTrue(r.fallbacks() > 0, "churn-key misses, at least, fall back: " + r.format());
        } else {
            assertEquals(0, r.speculations(), r.format());
        }
    }

    /**
     * The mutant whose speculation skips {@code mmap_lock_speculate_retry}: with the churn file
     * remapped under the readers, stale hits get through, and torture alone (no latches) sees them.
     */
    @Test
    void tortureCatchesASpeculationWithoutTheSequenceCheck() {
        TortureConfig c = TortureConfig.defaults().withMillis(1500).withChurn(64, 0.9)
                .withVma(VmaLookup.SPECULATIVE, 1);
        try (UprobeRegistry registry = Backend.SEQCOUNT_RCU.create(RegistryConfig.of(c.slabCapacity(), c.slots()))) {
            TortureResult r = TortureDriver.run(registry, c, AddressSpace.Options.NONE.withoutSpeculationRetry());
            System.out.println(r.format());
            assertTrue(r.count(Violation.STALE_VMA) > 0, r.format());
        }
    }
}
