package dev.uprobebench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Short torture runs of every safe back-end: zero violations, zero leaks. */
class TortureTest {
    static Stream<Backend> safeChurnBackends() {
        return Backend.models().stream().filter(b -> b.safe() && b.allowsChurn());
    }

    @ParameterizedTest
    @MethodSource("safeChurnBackends")
    void twoReadersAndAWriterFindNoViolations(Backend b) {
        TortureConfig c = TortureConfig.defaults().withMillis(1500);
        TortureRuns runs = TortureRuns.until(i -> TortureDriver.run(b, c.withSeed(c.seed() + i)),
                t -> t.sum(TortureResult::hits) > 1000 && t.sum(TortureResult::writerOps) > 100
                        && t.sum(TortureResult::misses) > 0);
        assertTrue(runs.sum(TortureResult::hits) > 1000, "readers made progress: " + runs.format());
        assertTrue(runs.sum(TortureResult::writerOps) > 100, "writers made progress: " + runs.format());
        assertTrue(runs.sum(TortureResult::misses) > 0, "churn keys were seen absent: " + runs.format());
    }

    @ParameterizedTest
    @MethodSource("safeChurnBackends")
    void readsAimedOnlyAtChurnKeysFindNoViolations(Backend b) {
        TortureResult r = TortureDriver.run(b, TortureConfig.defaults().withMillis(1000).withChurn(8, 1.0));
        assertEquals(0, r.totalViolations(), r.format());
    }

    @Test
    void theCeilingRunsReadersOnlyAndIsClean() {
        TortureResult r = TortureDriver.run(Backend.UNSYNC, TortureConfig.defaults().withThreads(2, 0).withMillis(500));
        assertEquals(0, r.totalViolations(), r.format());
        assertEquals(0, r.writerOps());
        assertTrue(r.hits() > 1000);
    }

    @Test
    void theCeilingRefusesWriters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TortureDriver.run(Backend.UNSYNC, TortureConfig.defaults()));
        assertTrue(e.getMessage().contains("unsync"), e.getMessage());
    }
}
