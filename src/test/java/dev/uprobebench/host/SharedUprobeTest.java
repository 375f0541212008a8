package dev.uprobebench.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.host.ProbeTargets.Trap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared-probe attach shape: one tracefs definition, one counting event per CPU. */
class SharedUprobeTest {
    static final int CPUS = Runtime.getRuntime().availableProcessors();
    static Tracefs tracefs;

    @BeforeAll
    static void tracefsWithRealUprobes() throws IOException {
        RealUprobes.require();
        tracefs = Tracefs.mountOrFind(); // root here: a failure to mount fails the test, it is not skipped
    }

    /** {@code n} calls from a thread pinned to {@code cpu}. */
    static void hitOn(int cpu, ProbeTargets.Function f, long n) throws Exception {
        CompletableFuture.runAsync(() -> {
            Affinity.setAffinity(cpu);
            f.callMany(n);
        }, task -> Thread.ofPlatform().daemon().start(task)).get(60, TimeUnit.SECONDS);
    }

    @Test
    void eachPinnedReadersHitsAreCountedOnItsOwnCpuExactly() throws Exception {
        try (ProbeTargets t = ProbeTargets.create(RealUprobes.scratch(), List.of(Trap.NOP5));
                SharedUprobe probe = SharedUprobe.open(tracefs, t.function(0), false, CPUS)) {
            long[] expected = new long[CPUS];
            for (int cpu = 0; cpu < CPUS; cpu++) {
                expected[cpu] = 1_000L * (cpu + 1);
                hitOn(cpu, t.function(0), expected[cpu]);
            }
            probe.disable();
            assertArrayEquals(expected, probe.counts());
        }
    }

    @Test
    void aSharedReturnProbeCountsReturns() throws Exception {
        try (ProbeTargets t = ProbeTargets.create(RealUprobes.scratch(), List.of(Trap.INT3));
                SharedUprobe probe = SharedUprobe.open(tracefs, t.function(0), true, CPUS)) {
            hitOn(0, t.function(0), 321);
            assertEquals(321, probe.count(0));
        }
    }

    @Test
    void closingRemovesTheDefinitionAndReleasesTheEvents() throws Exception {
        long fds = UprobeEventTest.openDescriptors();
        Path definition;
        try (ProbeTargets t = ProbeTargets.create(RealUprobes.scratch(), List.of(Trap.NOP5));
                SharedUprobe probe = SharedUprobe.open(tracefs, t.function(0), false, CPUS)) {
            definition = tracefs.root().resolve("events").resolve(probe.name());
            assertTrue(Files.isDirectory(definition), definition.toString());
            assertEquals(fds + CPUS, UprobeEventTest.openDescriptors());
        }
        assertFalse(Files.exists(definition), "the tracefs definition is removed on close");
        assertEquals(fds, UprobeEventTest.openDescriptors());
    }
}
