package dev.uprobebench.bench;

import dev.uprobebench.mm.AddressSpace;
import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.pin.PinPolicy;
import dev.uprobebench.pin.PinningPlan;
import dev.uprobebench.pin.ThreadPinner;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.RcuFlavour;
import dev.uprobebench.uret.Lifetime;
import dev.uprobebench.uret.ReturnProbeConfig;
import dev.uprobebench.workload.ChurnWriter;
import dev.uprobebench.workload.HitReader;
import dev.uprobebench.workload.KeySequence;
import dev.uprobebench.workload.MmChurner;
import dev.uprobebench.workload.Scene;
import dev.uprobebench.workload.Timing;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Breakpoint hits while uprobes come and go: readers call the hit path on the stable set (and,
 * for {@code churnReadFraction} of their hits, on churn keys); writers register and unregister
 * churn keys at {@code churnRate} per writer. Two asymmetric JMH groups over the same states:
 *
 * <ul>
 *   <li>{@code throughput}: reader ops/s ({@code throughput:hit}) and writer ops/s
 *       ({@code throughput:write}) as JMH secondary results; misses and seqcount retries as
 *       {@link AuxCounters}.</li>
 *   <li>{@code latency}: every hit, register and unregister timed with {@code System.nanoTime()}
 *       into a per-thread HdrHistogram {@link SingleWriterRecorder}; intervals merged per
 *       iteration and logged ({@link LatencyLog}). The timer's own floor (an empty timed section)
 *       is measured at setup and reported beside them.</li>
 * </ul>
 *
 * <p>Reader and writer counts are set at run time with {@code threadGroups} ({@code -tg R,W});
 * with {@code churnRate=0} run {@code -tg R,0}. Threads are pinned as the plan in system property
 * {@code uprobe.pin} says (the command line computes it from the sysfs topology) and read their
 * affinity back. The invariant checker is on in every run; its counts go to the trial record in
 * {@code uprobe.out}, and a trial with violations says so on stderr.
 *
 * <p>Writers stand still once any thread has finished measuring ({@link Control#stopMeasurement}):
 * a QSBR reader is online until its iteration teardown, which JMH runs after a barrier, so a writer
 * that started a grace period during the warm-down would wait for a reader parked at that
 * barrier, and both would wait forever. Readers keep hitting until every thread is done.
 *
 * <p>Run through {@code ./run-bench.sh PROFILE}, or by hand:
 * {@code java -jar target/benchmarks.jar 'ChurnBenchmark.throughput' -tg 2,1 -p backend=srcu -p churnRate=max}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChurnBenchmark {
    /** The state the readers and writers of one group share: the parameters and the {@link Scene}. */
    @State(Scope.Group)
    public static class Workload {
        @Param({"rwlock"})
        public String backend;
        /** Stable-set size S: registered before the run, never removed, hit by readers. */
        @Param({"1024"})
        public int stable;
        /** Keys the writers register and unregister. */
        @Param({"64"})
        public int churnKeys;
        /** Register+unregister operations per second per writer: a number, or {@code max}. */
        @Param({"max"})
        public String churnRate;
        /** Share of reads aimed at churn keys, in [0, 1]. */
        @Param({"0"})
        public double churnReadFraction;
        @Param({"uniform"})
        public String distribution;
        @Param({"0.99"})
        public double zipfExponent;
        /** Handler work per consumer per hit ({@code Blackhole.consumeCPU} tokens). */
        @Param({"0"})
        public long handlerWork;
        /** Unregistrations per {@code synchronize()} (1: {@code uprobe_unregister}; 0: never). */
        @Param({"1"})
        public int syncEvery;
        @Param({"qsbr"})
        public String rcuFlavour;
        /** How a hit finds its VMA: {@code none}, {@code mmap-lock}, {@code speculative}. */
        @Param({"none"})
        public String vmaLookup;
        /** mmap+munmap operations per second per address-space writer: a number, or {@code max}. */
        @Param({"0"})
        public String mmChurnRate;
        /** Fixed per-hit work outside the registry for the kernel's trap, in ns (0: none). */
        @Param({"0"})
        public long trapNanos;
        /** Regions that hold no uprobe, mapped at setup; the address-space writers toggle them. */
        @Param({"" + Scene.MM_REGIONS})
        public int mmRegions;
        /** Where churn keys sit: {@code separate} (an inode of their own) or {@code interleaved} ({@link KeyLayout}). */
        @Param({"separate"})
        public String keyLayout;
        /** Return-probe lifetime: {@code none}, or refcount, hprobe, srcu-updown (seqcount-rcu only). */
        @Param({"none"})
        public String uretprobe;
        /** Function duration: hits before the return ({@code 0}: before the next hit) or a time. */
        @Param({"0"})
        public String uretDuration;
        /** Share of uprobes that are return probes, in [0, 1]. */
        @Param({"1"})
        public double uretShare;
        /** Pending returns per reader before entries are skipped. */
        @Param({"64"})
        public int uretDepth;
        /** The per-task lease timer. */
        @Param({"100ms"})
        public String uretTimeout;
        /** Return instances: {@code pool} (6.14's ri_pool) or {@code alloc} (one per entry). */
        @Param({"pool"})
        public String riAlloc;

        UprobeRegistry registry;
        Scene scene;
        int mmWriters;
        long mmIntervalNanos;
        /** {@link TrapCost} tokens per hit, calibrated at setup. */
        long trapTokens;
        CpuTopology topology;
        PinningPlan plan;
        int readers;
        int writers;
        long writerIntervalNanos;
        /** Every writer's state, for its keys at teardown. */
        ChurnWriter[] writerStates;
        final TrialRecord record = new TrialRecord();
        Path out;
        LatencyLog latency;
        /** Every reader's return latencies, merged at teardown. */
        final Histogram returnLatency = Timing.histogram();

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            Backend b = Backend.byName(backend);
            readers = Groups.threadsOf(params, PinningPlan.READER);
            writers = Groups.threadsOf(params, PinningPlan.WRITER);
            mmWriters = Groups.threadsOf(params, PinningPlan.MM_WRITER);
            VmaLookup lookup = VmaLookup.byName(vmaLookup);
            Groups.check(b, readers, writers, mmWriters, lookup, churnRate, mmChurnRate);
            if (trapNanos < 0 || mmRegions < 1) {
                throw new IllegalArgumentException("trapNanos must be >= 0 and mmRegions >= 1, got " + trapNanos + ", "
                        + mmRegions);
            }
            mmIntervalNanos = Groups.intervalNanos(mmChurnRate);
            writerIntervalNanos = Groups.intervalNanos(churnRate);
            KeySequence.Distribution.byName(distribution);
            KeyLayout layout = KeyLayout.byName(keyLayout);
            layout.check(stable, churnKeys);
            topology = CpuTopology.read();
            String planText = System.getProperty(TrialFiles.PIN_PROPERTY);
            plan = planText != null ? PinningPlan.decode(planText) : PinningPlan.plan(topology, PinPolicy.NONE, 0, 0);
            ReturnProbeConfig uret = null;
            if (!"none".equals(uretprobe)) {
                Scene.checkReturnProbes(b, lookup, uretprobe);
                uret = ReturnProbeConfig.of(Lifetime.byName(uretprobe)).withDuration(uretDuration).withShare(uretShare)
                        .withDepth(uretDepth).withTimeout(uretTimeout).withRiAlloc(riAlloc);
            }
            registry = b.create(Scene.registryConfig(stable, churnKeys, writers, readers + writers + mmWriters,
                    RcuFlavour.byName(rcuFlavour), uret));
            scene = new Scene(registry, layout, stable, churnKeys, handlerWork, syncEvery, lookup, mmRegions,
                    AddressSpace.Options.NONE, uret);
            writerStates = new ChurnWriter[writers];
            record.describe(backend, params.getBenchmark(), readers, writers, mmWriters, lookup.label(), layout.label(),
                    plan.encode());
            if (uret != null) {
                record.uretprobe = uret.lifetime().label();
                record.uretDuration = uret.durationLabel();
                record.riAlloc = riAlloc;
            }
            if (trapNanos > 0) {
                trapTokens = TrapCost.tokensFor(trapNanos, TrapCost.nanosPerToken());
                record.trapNanos = trapNanos;
                record.trapTokens = trapTokens;
                record.trapMeasuredNanos = TrapCost.measure(trapTokens);
            }
            out = TrialFiles.outDir();
            if (params.getBenchmark().endsWith(".latency")) {
                record.timerFloorNanos = TimerFloor.measure(); // only timed runs are read against it
                if (out != null) {
                    record.latencyLog = "latency-" + record.pid + ".hlog";
                    latency = new LatencyLog(out.resolve(record.latencyLog));
                }
            }
        }

        synchronized void addReturnLatency(Histogram h) {
            if (h != null) {
                returnLatency.add(h);
            }
        }

        void pin(String role, int index) {
            record.addPin(ThreadPinner.pinCurrentThread(role, index, plan.cpuFor(role, index), topology));
        }

        /** After every reader and writer: the writers' keys, the scene's teardown and leak checks, the trial record. */
        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                if (scene.returnProbes() != null) {
                    record.addReturnProbes(scene.returnProbes().counts(), returnLatency);
                }
                for (ChurnWriter w : writerStates) {
                    if (w != null) {
                        w.releaseHeld();
                    }
                }
                scene.teardown();
            } catch (RuntimeException e) {
                record.problems.add("teardown: " + e);
            } finally {
                Map<Violation, Long> counts = registry.invariants().snapshot();
                counts.forEach((v, n) -> record.invariants.put(v.label(), n));
                record.violations = registry.invariants().totalViolations();
                record.retries = registry.invariants().retries();
                long[] ages = registry.invariants().ages();
                record.readerAge0 = ages[0];
                record.readerAge1 = ages[1];
                record.readerAge2Plus = ages[2];
                if (record.violations > 0) {
                    System.err.println("INVARIANT VIOLATIONS in " + backend + ": " + counts);
                }
                if (latency != null) {
                    latency.close();
                }
                if (out != null) {
                    TrialFiles.write(out, record);
                }
                scene.close();
                registry.close();
            }
        }
    }

    private static final String[] HIT_TAGS = {LatencyLog.HIT};

    /** A reader: the workload's hit loop on its own pinned thread. */
    @State(Scope.Thread)
    public static class Reader {
        HitReader reader;
        final SingleWriterRecorder[] recorder = {Timing.recorder(Timing.DIGITS)};
        private final Histogram[] interval = new Histogram[1];
        private Workload workload;

        @Setup(Level.Trial)
        public void setUp(Workload w, ThreadParams t) {
            workload = w;
            int index = t.getSubgroupThreadIndex();
            w.pin(PinningPlan.READER, index);
            reader = new HitReader(w.scene, KeySequence.draw(KeySequence.lengthFor(w.stable), w.stable, w.churnKeys,
                    w.churnReadFraction, KeySequence.Distribution.byName(w.distribution), w.zipfExponent,
                    0x9e3779b97f4a7c15L * (index + 1)), w.trapTokens, w.latency != null);
        }

        @Setup(Level.Iteration)
        public void online() {
            reader.online();
            recorder[0].reset();
        }

        /** Offline between iterations: a grace period never waits on a thread parked by JMH. */
        @TearDown(Level.Iteration)
        public void offline(IterationParams ip) {
            reader.offline();
            if (workload.latency != null) {
                workload.latency.reportAll(recorder, interval, HIT_TAGS, workload.readers,
                        ip.getType() == IterationType.MEASUREMENT);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            reader.close();
            workload.addReturnLatency(reader.returnLatency());
            workload.record.addCounts(reader.hits(), reader.misses(), 0, 0);
            workload.record.addVmaCounts(reader.speculations(), reader.fallbacks(), reader.stepBoundFallbacks(),
                    reader.revalidationFallbacks(), reader.translationsUnchecked(), 0);
        }
    }

    /** Misses and seqcount retries per iteration, as JMH secondary results. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class ReaderCounters {
        public long misses;
        public long retries;

        @Setup(Level.Iteration)
        public void reset() {
            misses = 0;
            retries = 0;
        }
    }

    /** A churn writer: the workload's writer, pinned after the readers; its latency logged per iteration. */
    @State(Scope.Thread)
    public static class Writer {
        ChurnWriter writer;
        private final Histogram[] intervals = new Histogram[ChurnWriter.TAGS.length];
        private Workload workload;

        @Setup(Level.Trial)
        public void setUp(Workload w, ThreadParams t) {
            workload = w;
            int index = t.getSubgroupThreadIndex();
            w.pin(PinningPlan.WRITER, index);
            writer = new ChurnWriter(w.scene, 0x2545f4914f6cdd1dL * (index + 1), w.writerIntervalNanos,
                    LatencyLog.DIGITS);
            w.writerStates[index] = writer;
        }

        @Setup(Level.Iteration)
        public void startPacing() {
            writer.restart();
        }

        @TearDown(Level.Iteration)
        public void report(IterationParams ip) {
            if (workload.latency != null) {
                workload.latency.reportAll(writer.recorders(), intervals, ChurnWriter.TAGS, workload.writers,
                        ip.getType() == IterationType.MEASUREMENT);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            workload.record.addCounts(0, 0, writer.registers(), writer.unregisters());
        }
    }

    /** An address-space writer: the workload's mm churner, pinned after the churn writers. */
    @State(Scope.Thread)
    public static class MmWriter {
        MmChurner churner;
        private final Histogram[] intervals = new Histogram[MmChurner.TAGS.length];
        private Workload workload;

        @Setup(Level.Trial)
        public void setUp(Workload w, ThreadParams t) {
            workload = w;
            int index = t.getSubgroupThreadIndex();
            w.pin(PinningPlan.MM_WRITER, index);
            churner = new MmChurner(w.scene, index, w.mmWriters, 0x6a09e667f3bcc909L * (index + 1), w.mmIntervalNanos,
                    0, LatencyLog.DIGITS);
        }

        @Setup(Level.Iteration)
        public void startPacing() {
            churner.restart();
        }

        @TearDown(Level.Iteration)
        public void report(IterationParams ip) {
            if (workload.latency != null) {
                workload.latency.reportAll(churner.recorders(), intervals, MmChurner.TAGS, workload.mmWriters,
                        ip.getType() == IterationType.MEASUREMENT);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            workload.record.addVmaCounts(0, 0, 0, 0, 0, churner.ops());
        }
    }

    @Benchmark
    @Group("throughput")
    @GroupThreads(1)
    public long hit(Reader r, ReaderCounters c) {
        long v = r.reader.hit();
        if (v == UprobeRegistry.MISS) {
            c.misses++;
        }
        c.retries = r.reader.retries();
        return v;
    }

    @Benchmark
    @Group("throughput")
    @GroupThreads(1)
    public void write(Writer w, Control control) {
        if (!control.stopMeasurement) {
            w.writer.churn(false);
        }
    }

    /** Address-space churn; sorts after {@code write}, so {@code -tg R,W,M}. */
    @Benchmark
    @Group("throughput")
    @GroupThreads(1)
    public void writeMm(MmWriter m, Control control) {
        if (!control.stopMeasurement) {
            m.churner.churn(false);
        }
    }

    @Benchmark
    @Group("latency")
    @GroupThreads(1)
    public long hitTimed(Reader r, ReaderCounters c) {
        long v = r.reader.hitTimed(r.recorder[0]);
        if (v == UprobeRegistry.MISS) {
            c.misses++;
        }
        c.retries = r.reader.retries();
        return v;
    }

    @Benchmark
    @Group("latency")
    @GroupThreads(1)
    public void writeTimed(Writer w, Control control) {
        if (!control.stopMeasurement) {
            w.writer.churn(true);
        }
    }

    @Benchmark
    @Group("latency")
    @GroupThreads(1)
    public void writeTimedMm(MmWriter m, Control control) {
        if (!control.stopMeasurement) {
            m.churner.churn(true);
        }
    }
}
