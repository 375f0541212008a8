package dev.uprobebench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.Violation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The age oracle under torture (rcutorture's Reader Pipe): the designs whose readers are protected
 * by a grace period use unlinked uprobes (age 0 or 1, counted in the histogram) and never one two
 * grace periods old, over {@value #MILLIS} ms each (scaled down under mutation testing). Readers
 * aim half their hits at churn keys so that uses of unlinked uprobes happen.
 */
class AgeOracleTortureTest {
    static final long MILLIS = 5000;

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"SRCU", "SEQCOUNT_RCU", "PERCPU_REF"})
    void noSafeDesignLetsAReaderUseAnObjectTwoGracePeriodsOld(Backend b) {
        TortureConfig c = TortureConfig.defaults().withMillis(MILLIS).withChurn(32, 0.5);
        TortureResult r = TortureDriver.run(b, c);
        System.out.println(r.format());
        assertEquals(0, r.count(Violation.TOO_OLD), r.format());
        assertEquals(0, r.totalViolations(), r.format());
        long[] ages = r.readerAge();
        assertTrue(ages[0] + ages[1] > 0 || b == Backend.PERCPU_REF,
                "readers used unlinked uprobes, young ones: " + r.format());
    }
}
