package dev.uprobebench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.RcuFlavour;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Torture in stress mode ({@link PerturbingHooks}): schedules perturbed at the race points. The
 * RFC's use after free, which plain torture on two cores almost never reaches (the reclaimer must
 * finish a grace period while the reader runs handlers), must show; the designs must stay clean.
 */
class StressTortureTest {
    static final TortureConfig STRESS = HeavyChurnTortureTest.HEAVY_CHURN.withMillis(1500).withHandlerWork(16);
    static final int ONE_IN = 16;

    @ParameterizedTest(name = "seqcount-rcu-rfc (memb)")
    @CsvSource({"memb"})
    void theRfcsUseAfterFreeShowsUnderPerturbation(String flavour) {
        PerturbingHooks hooks = new PerturbingHooks(42, ONE_IN);
        TortureResult r = TortureDriver.run(PerturbingHooks.stressed(Backend.SEQCOUNT_RCU_RFC, hooks), STRESS,
                RcuFlavour.byName(flavour), Backend.SEQCOUNT_RCU_RFC);
        System.out.println("stressed " + r.format() + "\n  perturbations " + hooks.perturbations());
        assertTrue(hooks.perturbations() > 0, "the race points were perturbed");
        assertTrue(r.count(Violation.USE_AFTER_FREE) > 0, r.format());
    }

    /** Every safe back-end that allows churn, with each RCU flavour where it has the axis (from the table). */
    static Stream<Arguments> designs() {
        return Backend.models().stream().filter(b -> b.safe() && b.allowsChurn())
                .flatMap(b -> (b.usesRcuFlavour() ? Arrays.stream(RcuFlavour.values()) : Stream.of(RcuFlavour.QSBR))
                        .map(f -> Arguments.of(b.cliName(), f.cliName())));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("designs")
    void theDesignsStayCleanUnderPerturbation(String name, String flavour) {
        Backend b = Backend.byName(name);
        PerturbingHooks hooks = new PerturbingHooks(42, ONE_IN);
        TortureResult r = TortureDriver.run(PerturbingHooks.stressed(b, hooks), STRESS, RcuFlavour.byName(flavour), b);
        System.out.println("stressed " + r.format() + "\n  perturbations " + hooks.perturbations());
        assertTrue(hooks.perturbations() > 0, "the race points were perturbed");
        assertEquals(0, r.totalViolations(), r.format());
    }
}
