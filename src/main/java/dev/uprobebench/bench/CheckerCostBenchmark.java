package dev.uprobebench.bench;

import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.pin.PinningPlan;
import dev.uprobebench.pin.ThreadPinner;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RcuFlavour;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the always-on invariant checks cost per hit, single-threaded.
 *
 * <ul>
 *   <li>{@code hit}: a full hit on the given back-end (search of {@code stable} keys, handlers,
 *       checks);</li>
 *   <li>{@code checksOnly}: just the checks one hit runs ({@code beginUse} + {@code endUse}) on a
 *       uprobe already found;</li>
 *   <li>{@code missCheck}: the check a miss runs (stable-set test and the miss count).</li>
 * </ul>
 * Run: {@code java -jar target/benchmarks.jar CheckerCostBenchmark -p backend=unsync,rwlock,srcu}
 * (add {@code -p rcuFlavour=memb} for the fenced RCU read side). Pin the benchmark thread with
 * {@code -jvmArgsAppend '-Duprobe.pin=physical;r=0;w='}: unpinned, the scheduler's moves between
 * CPUs alone made its iterations spread by 10% on a 2-core VM, against 6% pinned.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CheckerCostBenchmark {
    @Param({"unsync", "rwlock"})
    public String backend;

    @Param({"1024"})
    public int stable;

    /** RCU read side of the RCU-based back-ends: {@code qsbr} or {@code memb}. */
    @Param({"qsbr"})
    public String rcuFlavour;

    private UprobeRegistry registry;
    private CpuSlot slot;
    private Uprobe found;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        registry = Backend.byName(backend).create(RegistryConfig.of(stable + 16, 2).withRcuFlavour(RcuFlavour.byName(rcuFlavour)));
        UprobeConsumer c = new UprobeConsumer();
        for (int k = 0; k < stable; k++) {
            registry.register(1, k, c);
        }
        registry.invariants().declareStable(1, 0, stable);
        slot = registry.slots().acquire();
        pinWhereTold();
        registry.readerOnline(slot);
        found = registry.slab().object(0);
    }

    /** Pins this (the benchmark) thread as reader 0 of the plan in {@code uprobe.pin}, when there is one. */
    private static void pinWhereTold() {
        String planText = System.getProperty(TrialFiles.PIN_PROPERTY);
        if (planText == null || planText.isEmpty()) {
            return;
        }
        PinningPlan plan = PinningPlan.decode(planText);
        ThreadPinner.PinRecord pin = ThreadPinner.pinCurrentThread("reader", 0, plan.cpuFor("reader", 0),
                CpuTopology.read());
        if (plan.pinned() && !pin.verified()) {
            throw new IllegalStateException("pinning to CPU " + plan.cpuFor("reader", 0) + " failed: " + pin.note());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.readerOffline(slot);
        if (registry.invariants().totalViolations() != 0) {
            throw new IllegalStateException("invariant violations: " + registry.invariants().snapshot());
        }
        registry.close();
    }

    @Benchmark
    public long hit() {
        int k = next;
        next = (k + 1) & (stable - 1);
        return registry.hit(slot, 1, k);
    }

    @Benchmark
    public int checksOnly() {
        int gen = registry.invariants().beginUse(slot, found, found.generationAcquire(), found.inode(),
                found.offset());
        registry.invariants().endUse(slot, found, gen);
        return gen;
    }

    @Benchmark
    public void missCheck() {
        registry.invariants().onMiss(slot, 2, 5);
    }
}
