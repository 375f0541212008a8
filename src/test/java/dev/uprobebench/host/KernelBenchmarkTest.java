package dev.uprobebench.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.bench.KernelBenchmark;
import dev.uprobebench.bench.TrialFiles;
import dev.uprobebench.bench.TrialRecord;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.pin.PinPolicy;
import dev.uprobebench.pin.PinningPlan;
import dev.uprobebench.registry.LostHitCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
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

    /**
     * As the harness runs a kernel row: a throughput and a latency fork, each leaving a trial record
     * with the hits, invariant 11's counts (both zero), the reader's and writer's pins, and, for the
     * latency fork, the timer floor and a latency log of every timed hit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"throughput", "latency"})
    void underTheHarnessAForkLeavesItsTrialRecordWithTheHitCheck(String mode, @TempDir Path out) throws Exception {
        RealUprobes.require();
        Options o = new OptionsBuilder()
                .include(KernelBenchmark.class.getName() + "." + mode + "$")
                .threadGroups(1, 1)
                .param("trap", "nop5")
                .param("churnRate", "1000")
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300))
                .forks(1)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-D" + TrialFiles.OUT_PROPERTY + "=" + out,
                        "-D" + TrialFiles.PIN_PROPERTY + "=" + PinningPlan.plan(CpuTopology.read(), PinPolicy.NONE, 1, 1)
                                .encode())
                .shouldFailOnError(true)
                .build();
        new Runner(o).run();
        List<Path> trials;
        try (Stream<Path> s = Files.list(out)) {
            trials = s.filter(p -> p.getFileName().toString().matches("trial-\\d+\\.json")).toList();
        }
        assertEquals(1, trials.size(), "one trial record");
        TrialRecord r = TrialFiles.read(trials.get(0));
        assertEquals("kernel", r.backend);
        assertTrue(r.hits > 0, "hits " + r.hits);
        assertEquals(Map.of(LostHitCheck.LOST, 0L, LostHitCheck.EXTRA, 0L), r.invariants);
        assertEquals(0, r.violations);
        assertEquals(2, r.pins.size(), "the reader's and the writer's");
        if (mode.equals("latency")) {
            assertTrue(r.latencyLog != null && Files.size(out.resolve(r.latencyLog)) > 0, "latency log");
            assertTrue(r.timerFloorNanos.containsKey("p50"), r.timerFloorNanos.toString());
        } else {
            assertEquals(null, r.latencyLog);
        }
    }
}
