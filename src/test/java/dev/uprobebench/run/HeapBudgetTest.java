package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

class HeapBudgetTest {
    static final long GIB = 1L << 30;

    @Test
    void theEstimatePerUprobeCoversWhatTheSlabReallyHolds() {
        long uprobe = ClassLayout.parseClass(Uprobe.class).instanceSize();
        long consumers = GraphLayout.parseInstance((Object) new UprobeConsumer[] {null}).totalSize();
        long slot = 8; // a reference in the slab's array, uncompressed at worst
        assertTrue(uprobe + consumers + slot <= HeapBudget.UPROBE_BYTES,
                "Uprobe " + uprobe + " B + consumer array " + consumers + " B + slot: " + HeapBudget.UPROBE_BYTES);
    }

    @Test
    void theEstimatePerVmaCoversWhatThePoolReallyHolds() {
        long vma = ClassLayout.parseClass(dev.uprobebench.mm.Vma.class).instanceSize();
        long slot = 8 + 4; // the pool's reference and its free-stack index
        assertTrue(vma + slot <= HeapBudget.VMA_BYTES, "Vma " + vma + " B + slot: " + HeapBudget.VMA_BYTES);
    }

    @Test
    void theHeapIsTheLastMaxHeapArgumentOrAQuarterOfMemory() {
        assertEquals(2 * GIB, HeapBudget.maxHeap(List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"), 64 * GIB));
        assertEquals(512L << 20, HeapBudget.maxHeap(List.of("-Xmx2g", "-XX:MaxHeapSize=512m"), 64 * GIB));
        assertEquals(16 * GIB, HeapBudget.maxHeap(List.of(), 64 * GIB));
        assertEquals(1024, HeapBudget.maxHeap(List.of("-Xmx1k"), 64 * GIB));
        UsageException e = assertThrows(UsageException.class, () -> HeapBudget.maxHeap(List.of("-Xmxlots"), GIB));
        assertTrue(e.getMessage().contains("-Xmxlots") && e.getMessage().contains("valid:"), e.getMessage());
    }

    @Test
    void aSlabTooLargeForTheHeapIsRefusedBeforeTheRunNamingTheLimit() {
        Profile big = Profile.parse("t", "backends=srcu\nreaders=1\nchurn=0\nstable=100000000\n"
                + "jvm-args=-Xmx2g\n", List.of());
        RunPlanShim shim = new RunPlanShim(big);
        UsageException e = assertThrows(UsageException.class, shim::check);
        assertTrue(e.getMessage().contains("2,048 MiB") && e.getMessage().contains("raise -Xmx")
                && e.getMessage().contains("srcu_r1_w0"), e.getMessage());

        Profile ok = Profile.parse("t", "backends=srcu\nreaders=1\nchurn=0\nstable=1000000\n"
                + "jvm-args=-Xmx2g\n", List.of());
        new RunPlanShim(ok).check();
    }

    @Test
    void percpuRefPaysForItsPerCpuCounters() {
        Profile p = Profile.parse("t", "backends=percpu-ref,srcu\nreaders=1\nchurn=0\nstable=1000000\n",
                List.of());
        List<BenchConfig> configs = ConfigPlanner.expand(p, ConfigPlannerTest.cores(4)).configs();
        long ref = HeapBudget.needed(configs.stream().filter(c -> c.backend().cliName().equals("percpu-ref"))
                .findFirst().orElseThrow(), p.settings().churnKeys());
        long srcu = HeapBudget.needed(configs.stream().filter(c -> c.backend().cliName().equals("srcu"))
                .findFirst().orElseThrow(), p.settings().churnKeys());
        assertTrue(ref > srcu, ref + " vs " + srcu);
    }

    /** The planner's expansion on a fixed 4-core topology, then the check, as RunPlan.of does. */
    record RunPlanShim(Profile p) {
        void check() {
            HeapBudget.check(ConfigPlanner.expand(p, ConfigPlannerTest.cores(4)).configs(), p.settings(), 64 * GIB);
        }
    }
}
