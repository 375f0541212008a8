package dev.uprobebench.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.bench.KernelBenchmark;
import java.util.Collection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The {@code kernel} back-end through JMH, end to end: a forked JVM opens real uprobes, a reader
 * hits them from the native loop while the writer registers and unregisters others, and the run
 * ends with the counts checked (a mismatch would fail the fork, and with it this run).
 */
class KernelBenchmarkTest {
    @ParameterizedTest
    @ValueSource(strings = {"thread", "shared"})
    void aReaderAndAChurnWriterRunAgainstTheRealKernelWithExactCounts(String attach) throws Exception {
        RealUprobes.require();
        Options o = new OptionsBuilder()
                .include(KernelBenchmark.class.getName() + ".throughput")
                .threadGroups(1, 1)
                .param("trap", "nop5")
                .param("probe", "uprobe")
                .param("attach", attach)
                .param("churnRate", "max")
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300))
                .forks(1)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(o).run();
        assertEquals(1, results.size());
        RunResult r = results.iterator().next();
        double hits = r.getSecondaryResults().get("hits").getScore();
        double writes = r.getSecondaryResults().get("registryWrites").getScore();
        assertTrue(hits > 0 && writes > 0, "hits/s " + hits + ", registry writes/s " + writes);
    }
}
