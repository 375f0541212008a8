package dev.uprobebench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.RcuFlavour;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The age oracle under torture (rcutorture's Reader Pipe). Every safe design that takes churn
 * runs {@value #MILLIS} ms (scaled down under mutation testing) with readers aiming half their hits
 * at churn keys, so that uses of unlinked uprobes happen: none is two grace periods old, and where
 * readers are protected by a grace period (not by a lock the writer waits for) young uses of unlinked
 * uprobes are seen and counted. The RFC control, under perturbed schedules (its resurrection window
 * is a few instructions wide on two cores without them), shows too-old uses.
 */
class AgeOracleTortureTest {
    static final long MILLIS = 15_000;

    static Stream<Backend> safeDesigns() {
        return Backend.models().stream().filter(b -> b.safe() && b.allowsChurn());
    }

    @ParameterizedTest
    @MethodSource("safeDesigns")
    void noSafeDesignLetsAReaderUseAnObjectTwoGracePeriodsOld(Backend b) {
        TortureConfig c = TortureConfig.defaults().withMillis(MILLIS).withChurn(32, 0.5);
        TortureResult r = TortureDriver.run(b, c);
        System.out.println(r.format());
        assertEquals(0, r.count(Violation.TOO_OLD), r.format());
        assertEquals(0, r.totalViolations(), r.format());
        long[] ages = r.readerAge();
        if (b == Backend.SRCU || b == Backend.SEQCOUNT_RCU) {
            assertTrue(ages[0] + ages[1] > 0, "readers used unlinked uprobes, young ones: " + r.format());
        }
    }

    @Test
    void theRfcControlShowsTooOldUsesUnderTorture() {
        long tooOld = 0;
        StringBuilder runs = new StringBuilder();
        for (int seed = 42; seed < 42 + TortureRuns.MAX_RUNS && tooOld == 0; seed++) {
            PerturbingHooks hooks = new PerturbingHooks(seed, StressTortureTest.ONE_IN);
            TortureResult r = TortureDriver.run(PerturbingHooks.stressed(Backend.SEQCOUNT_RCU_RFC, hooks),
                    StressTortureTest.STRESS, RcuFlavour.MEMB, Backend.SEQCOUNT_RCU_RFC);
            System.out.println("stressed " + r.format());
            runs.append(r.format()).append('\n');
            tooOld += r.count(Violation.TOO_OLD);
            assertTrue(tooOld == 0 || r.readerAge()[2] > 0, "a too-old use is in the histogram's oldest bin: "
                    + r.format());
        }
        assertTrue(tooOld > 0, "the RFC control's resurrected uses are too old: " + runs);
    }
}
