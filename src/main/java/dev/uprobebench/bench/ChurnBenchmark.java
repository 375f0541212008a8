package dev.uprobebench.bench;

import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.pin.PinPolicy;
import dev.uprobebench.pin.PinningPlan;
import dev.uprobebench.pin.ThreadPinner;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RcuFlavour;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
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
    /**
     * The slab a trial allocates: the stable set, every writer's churn keys and the harness's, and
     * room for objects waiting out a grace period. The run checks this against the forked JVM's
     * heap before it starts ({@code run.HeapBudget}).
     */
    static void recordWriterLatency(SingleWriterRecorder corrected, SingleWriterRecorder service, long nanos,
            long pacingIntervalNanos) {
        long v = LatencyLog.clamp(nanos);
        service.recordValue(v);
        corrected.recordValueWithExpectedInterval(v, pacingIntervalNanos);
    }

    public static long slabCapacity(long stable, long churnKeys, long writers) {
        return stable + churnKeys * (writers + 1) + 65_536;
    }

    static final long STABLE_INODE = 1;
    static final long CHURN_INODE = 2;
    /** Hits between two quiescent-state announcements (QSBR back-ends). */
    static final int QUIESCENT_EVERY = 64;

    /** The registry and the workload parameters, shared by one group's readers and writers. */
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

        UprobeRegistry registry;
        UprobeConsumer stableConsumer;
        CpuTopology topology;
        PinningPlan plan;
        int readers;
        int writers;
        long[] writerIntervalNanos = new long[0];
        /** Per writer: its consumers per churn key and which it holds (read at teardown). */
        UprobeConsumer[][] writerConsumers;
        boolean[][] writerHeld;
        TrialRecord record = new TrialRecord();
        Path out;
        LatencyLog latency;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            Backend b = Backend.byName(backend);
            readers = threadsOf(params, "hit");
            writers = threadsOf(params, "write");
            if (writers > 0 && !b.allowsChurn()) {
                throw new IllegalArgumentException("back-end '" + backend
                        + "' does not allow writers while readers run (it is the unsynchronized ceiling); use -tg "
                        + readers + ",0");
            }
            if (writers > 0 && "0".equals(churnRate)) {
                throw new IllegalArgumentException("churnRate=0 with " + writers + " writer(s); use -tg " + readers + ",0");
            }
            long perWriter = parseRate(churnRate);
            writerIntervalNanos = new long[writers];
            for (int w = 0; w < writers; w++) {
                writerIntervalNanos[w] = perWriter == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perWriter;
            }
            KeySequence.Distribution.byName(distribution);
            topology = CpuTopology.read();
            String planText = System.getProperty(TrialFiles.PIN_PROPERTY);
            plan = planText != null ? PinningPlan.decode(planText) : PinningPlan.plan(topology, PinPolicy.NONE, 0, 0);
            int slab = Math.toIntExact(slabCapacity(stable, churnKeys, writers));
            registry = b.create(RegistryConfig.of(slab, readers + writers + 1).withRcuFlavour(RcuFlavour.byName(rcuFlavour)));
            stableConsumer = new UprobeConsumer(handlerWork);
            for (int k = 0; k < stable; k++) {
                registry.register(STABLE_INODE, k, stableConsumer);
            }
            registry.invariants().declareStable(STABLE_INODE, 0, stable);
            writerConsumers = new UprobeConsumer[writers][];
            writerHeld = new boolean[writers][];
            record.backend = backend;
            record.benchmark = params.getBenchmark();
            record.pid = ProcessHandle.current().pid();
            record.readers = readers;
            record.writers = writers;
            record.pinPlan = plan.encode();
            out = TrialFiles.outDir();
            if (params.getBenchmark().endsWith(".latency")) {
                record.timerFloorNanos = TimerFloor.measure(); // only timed runs are read against it
            }
            if (out != null && params.getBenchmark().endsWith(".latency")) {
                record.latencyLog = "latency-" + record.pid + ".hlog";
                latency = new LatencyLog(out.resolve(record.latencyLog));
            }
        }

        /** Threads of the group method whose name starts with {@code prefix}. */
        static int threadsOf(BenchmarkParams params, String prefix) {
            int[] counts = params.getThreadGroups();
            String[] labels = params.getThreadGroupLabels().toArray(new String[0]);
            for (int i = 0; i < labels.length; i++) {
                if (labels[i].startsWith(prefix)) {
                    return counts[i];
                }
            }
            return 0;
        }

        static long parseRate(String rate) {
            if ("max".equals(rate)) {
                return 0;
            }
            try {
                long r = Long.parseLong(rate);
                if (r >= 0) {
                    return r;
                }
            } catch (NumberFormatException e) {
                // fall through to the message
            }
            throw new IllegalArgumentException("churnRate must be 0, a positive number of operations per second "
                    + "per writer, or max; got '" + rate + "'");
        }

        synchronized void recordPin(ThreadPinner.PinRecord pin) {
            record.pins.add(pin);
        }

        synchronized void addCounts(long hits, long misses, long registers, long unregisters) {
            record.hits += hits;
            record.misses += misses;
            record.registers += registers;
            record.unregisters += unregisters;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                for (int w = 0; w < writers; w++) {
                    if (writerHeld[w] == null) {
                        continue;
                    }
                    for (int k = 0; k < churnKeys; k++) {
                        if (writerHeld[w][k]) {
                            registry.unregister(CHURN_INODE, k, writerConsumers[w][k]);
                        }
                    }
                }
                for (int k = 0; k < stable; k++) {
                    registry.unregister(STABLE_INODE, k, stableConsumer);
                }
                registry.synchronize();
                registry.checkLeaks();
            } catch (RuntimeException e) {
                record.problems.add("teardown: " + e);
            } finally {
                Map<Violation, Long> counts = registry.invariants().snapshot();
                counts.forEach((v, n) -> record.invariants.put(v.label(), n));
                record.violations = registry.invariants().totalViolations();
                record.retries = registry.invariants().retries();
                if (record.violations > 0) {
                    System.err.println("INVARIANT VIOLATIONS in " + backend + ": " + counts);
                }
                if (latency != null) {
                    latency.close();
                }
                if (out != null) {
                    TrialFiles.write(out, record);
                }
                registry.close();
            }
        }
    }

    /** Per-reader state: its slot, its key sequence, its pin, its recorder. */
    @State(Scope.Thread)
    public static class Reader {
        UprobeRegistry registry;
        CpuSlot slot;
        KeySequence keys;
        int untilQuiescent = QUIESCENT_EVERY;
        long retryBase;
        long hits;
        long misses;
        final SingleWriterRecorder recorder = new SingleWriterRecorder(1, LatencyLog.MAX_NANOS, LatencyLog.DIGITS);
        private Histogram interval;
        private Workload workload;

        @Setup(Level.Trial)
        public void setUp(Workload w, ThreadParams t) {
            workload = w;
            registry = w.registry;
            int index = t.getSubgroupThreadIndex();
            w.recordPin(ThreadPinner.pinCurrentThread("reader", index, w.plan.cpuFor("reader", index), w.topology));
            slot = registry.slots().acquire();
            keys = KeySequence.draw(KeySequence.lengthFor(w.stable), w.stable, w.churnKeys, w.churnReadFraction,
                    KeySequence.Distribution.byName(w.distribution), w.zipfExponent, 0x9e3779b97f4a7c15L * (index + 1));
        }

        @Setup(Level.Iteration)
        public void online() {
            registry.readerOnline(slot);
            retryBase = registry.invariants().retries(slot);
            recorder.reset();
        }

        /** Offline between iterations: a grace period never waits on a thread parked by JMH. */
        @TearDown(Level.Iteration)
        public void offline(IterationParams ip) {
            registry.readerOffline(slot);
            if (workload.latency != null) {
                interval = recorder.getIntervalHistogram(interval);
                if (ip.getType() == IterationType.MEASUREMENT) {
                    workload.latency.report(LatencyLog.HIT, interval, workload.readers);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            workload.addCounts(hits, misses, 0, 0);
            registry.slots().release(slot);
        }

        long hit(ReaderCounters c) {
            long r = lookup(keys.next());
            afterHit(r, c);
            return r;
        }

        long hitTimed(ReaderCounters c) {
            int k = keys.next();
            long t0 = System.nanoTime();
            long r = lookup(k);
            recorder.recordValue(LatencyLog.clamp(System.nanoTime() - t0));
            afterHit(r, c);
            return r;
        }

        /** One breakpoint hit on a key code of {@link KeySequence} (stable key, or churn key). */
        private long lookup(int k) {
            return k >= 0 ? registry.hit(slot, STABLE_INODE, k) : registry.hit(slot, CHURN_INODE, -1 - k);
        }

        private void afterHit(long r, ReaderCounters c) {
            hits++;
            if (r == UprobeRegistry.MISS) {
                misses++;
                c.misses++;
            }
            if (--untilQuiescent == 0) {
                untilQuiescent = QUIESCENT_EVERY;
                registry.readerQuiescent(slot);
                c.retries = registry.invariants().retries(slot) - retryBase;
            }
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

    /** Per-writer state: its consumers, what it holds, its pacing, its recorders. */
    @State(Scope.Thread)
    public static class Writer {
        UprobeRegistry registry;
        UprobeConsumer[] mine;
        boolean[] held;
        SplittableRandom rnd;
        long interval;
        long deadline;
        int syncEvery;
        int unregistered;
        long registers;
        long unregisters;
        /**
         * Writer latency, two ways. The {@code register} and {@code unregister} series are
         * corrected for coordinated omission: a paced writer whose operation took k pacing
         * intervals also records the k - 1 operations its schedule held back behind it, as
         * HdrHistogram's {@code recordValueWithExpectedInterval} does (latency from the intended
         * start). The {@code -service} series are the raw service times. Unpaced writers
         * ({@code churn=max}) have no schedule: both series are the service time.
         */
        final SingleWriterRecorder registerRecorder = recorder();
        final SingleWriterRecorder unregisterRecorder = recorder();
        final SingleWriterRecorder registerServiceRecorder = recorder();
        final SingleWriterRecorder unregisterServiceRecorder = recorder();
        /** Each {@code synchronize()} the writer calls (a grace-period wait), for reading unregister against. */
        final SingleWriterRecorder synchronizeRecorder = recorder();
        private final Histogram[] intervals = new Histogram[5];
        private static final String[] TAGS = {"register", "unregister", "register-service", "unregister-service",
            "synchronize"};
        private Workload workload;

        @Setup(Level.Trial)
        public void setUp(Workload w, ThreadParams t) {
            workload = w;
            registry = w.registry;
            int index = t.getSubgroupThreadIndex();
            w.recordPin(ThreadPinner.pinCurrentThread("writer", index, w.plan.cpuFor("writer", index), w.topology));
            mine = new UprobeConsumer[w.churnKeys];
            for (int k = 0; k < mine.length; k++) {
                mine[k] = new UprobeConsumer(w.handlerWork);
            }
            held = new boolean[w.churnKeys];
            w.writerConsumers[index] = mine;
            w.writerHeld[index] = held;
            rnd = new SplittableRandom(0x2545f4914f6cdd1dL * (index + 1));
            interval = w.writerIntervalNanos[index];
            syncEvery = w.syncEvery;
        }

        private static SingleWriterRecorder recorder() {
            return new SingleWriterRecorder(1, LatencyLog.MAX_NANOS, LatencyLog.DIGITS);
        }

        private SingleWriterRecorder[] recorders() {
            return new SingleWriterRecorder[] {registerRecorder, unregisterRecorder, registerServiceRecorder,
                unregisterServiceRecorder, synchronizeRecorder};
        }

        @Setup(Level.Iteration)
        public void startPacing() {
            deadline = System.nanoTime();
            for (SingleWriterRecorder r : recorders()) {
                r.reset();
            }
        }

        @TearDown(Level.Iteration)
        public void report(IterationParams ip) {
            if (workload.latency != null) {
                SingleWriterRecorder[] rs = recorders();
                for (int i = 0; i < rs.length; i++) {
                    intervals[i] = rs[i].getIntervalHistogram(intervals[i]);
                    if (ip.getType() == IterationType.MEASUREMENT) {
                        workload.latency.report(TAGS[i], intervals[i], workload.writers);
                    }
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            workload.addCounts(0, 0, registers, unregisters);
        }

        /** Waits for the next slot of the target rate; a writer that fell behind does not burst. */
        private void pace() {
            if (interval == 0) {
                return;
            }
            long now;
            while ((now = System.nanoTime()) < deadline) {
                Thread.onSpinWait();
            }
            deadline = Math.max(deadline + interval, now - interval);
        }

        /** The service time, raw and corrected for the operations the schedule held back behind it. */
        private void record(SingleWriterRecorder corrected, SingleWriterRecorder service, long nanos) {
            recordWriterLatency(corrected, service, nanos, interval);
        }

        void churn(boolean timed) {
            pace();
            int k = rnd.nextInt(mine.length);
            long t0 = timed ? System.nanoTime() : 0;
            if (held[k]) {
                registry.unregister(CHURN_INODE, k, mine[k]);
                held[k] = false;
                if (syncEvery > 0 && ++unregistered % syncEvery == 0) {
                    long s0 = timed ? System.nanoTime() : 0;
                    registry.synchronize();
                    if (timed) {
                        synchronizeRecorder.recordValue(LatencyLog.clamp(System.nanoTime() - s0));
                    }
                }
                unregisters++;
                if (timed) {
                    record(unregisterRecorder, unregisterServiceRecorder, System.nanoTime() - t0);
                }
            } else {
                registry.register(CHURN_INODE, k, mine[k]);
                held[k] = true;
                registers++;
                if (timed) {
                    record(registerRecorder, registerServiceRecorder, System.nanoTime() - t0);
                }
            }
        }
    }

    @Benchmark
    @Group("throughput")
    @GroupThreads(1)
    public long hit(Reader r, ReaderCounters c) {
        return r.hit(c);
    }

    @Benchmark
    @Group("throughput")
    @GroupThreads(1)
    public void write(Writer w, Control control) {
        if (!control.stopMeasurement) {
            w.churn(false);
        }
    }

    @Benchmark
    @Group("latency")
    @GroupThreads(1)
    public long hitTimed(Reader r, ReaderCounters c) {
        return r.hitTimed(c);
    }

    @Benchmark
    @Group("latency")
    @GroupThreads(1)
    public void writeTimed(Writer w, Control control) {
        if (!control.stopMeasurement) {
            w.churn(true);
        }
    }
}
