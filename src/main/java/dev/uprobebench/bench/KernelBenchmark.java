package dev.uprobebench.bench;

import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.pin.PinPolicy;
import dev.uprobebench.pin.PinningPlan;
import dev.uprobebench.pin.ThreadPinner;
import dev.uprobebench.registry.HostKernel;
import dev.uprobebench.registry.LostHitCheck;
import dev.uprobebench.workload.Pacer;
import dev.uprobebench.workload.Timing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The host kernel's own uprobes as a back-end ({@code kernel}, DESIGN.md section 10): readers call
 * real probed functions (hit = one call; the kernel traps it, finds the uprobe in its registry and
 * runs the perf consumer) while a writer registers and unregisters uprobes on other functions of
 * the same file, so that the kernel's registry is written under the readers.
 *
 * <ul>
 *   <li>{@code throughput} group: {@code hitBatch} calls a probed function {@value #BATCH} times
 *       from a native loop per invocation; {@code write} is the writer, one register, one call and one
 *       unregister per invocation, as fast as it can ({@code churnRate=max}) or paced to
 *       {@code churnRate} registry writes a second (each register and each unregister counts one, as
 *       the model's writer counts them). Read the secondary results {@code hits} (hits/s)
 *       and {@code registryWrites} (registrations plus unregistrations a second);</li>
 *   <li>{@code latency} group: {@code hit} is one call per invocation, one downcall, timed by JMH's
 *       sample mode ({@code writeTimed} the writer beside it).</li>
 * </ul>
 * Every reader's perf events count its own thread's hits; at the end each count must equal the
 * reader's calls exactly (invariant 11, lost hit): a mismatch fails the run. Parameters:
 * {@code trap} ({@code int3}, {@code nop5}), {@code probe} ({@code uprobe}, {@code uretprobe}, or
 * {@code none}: the same calls unprobed, the null baseline), {@code attach} ({@code thread}: a perf
 * event per reader on each probe, so N readers put N consumers on it; {@code shared}: one tracefs
 * probe per target counted by one event per CPU, one consumer, checked in total per target),
 * {@code stable} (probed functions the readers hit in turn). Needs x86-64, the uprobe PMU and root or CAP_PERFMON, a Java 25 runtime and
 * {@code --enable-native-access=ALL-UNNAMED}; elsewhere setup fails with the reason.
 *
 * <p>Run: {@code $JDK/bin/java --enable-native-access=ALL-UNNAMED -jar target/benchmarks.jar
 * 'KernelBenchmark.throughput' -tg 1,0 -p trap=int3,nop5 -p probe=uprobe,none -jvmArgsAppend
 * '--enable-native-access=ALL-UNNAMED -Duprobe.pin=physical;r=0;w=1'} ({@code -tg 1,1} adds the
 * writer). Threads are pinned as {@code uprobe.pin} says, readers then writers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class KernelBenchmark {
    /** Calls per native loop: about a millisecond of nop5 hits, five of int3. */
    static final int BATCH = 1000;

    /** One run's probe targets, and every thread's check at the end. */
    @State(Scope.Benchmark)
    public static class Host {
        @Param({"nop5"})
        public String trap;

        @Param({"uprobe"})
        public String probe;

        /** {@code thread}: one perf event per reader on each probe; {@code shared}: one probe per CPU-counted target. */
        @Param({"thread"})
        public String attach;

        @Param({"1"})
        public int stable;

        /** The writer's pace: {@code max}, or register+unregister operations per second. */
        @Param({"max"})
        public String churnRate;

        HostKernel.Workload workload;
        PinningPlan plan;
        CpuTopology topology;
        long churnIntervalNanos;
        /** What this trial reports to the harness (in {@link TrialFiles#outDir()}, when it is set). */
        final TrialRecord record = new TrialRecord();
        Path out;
        /** Every timed hit, in latency runs under the harness; else null. */
        LatencyLog latency;
        int readers;
        private LostHitCheck total = LostHitCheck.NONE;
        private final List<long[]> readerCalls = new ArrayList<>();
        private int participants;
        private boolean finished;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) throws IOException {
            HostKernel.WorkloadSpec spec = new HostKernel.WorkloadSpec(trap, probe, attach, stable, 8);
            readers = Groups.threadsOf(params, PinningPlan.READER);
            // A churn operation is two registry writes (register, unregister): paced per write, as the model's.
            churnIntervalNanos = churnRate.equals("max") ? 0 : 2 * TimeUnit.SECONDS.toNanos(1) / rate(churnRate);
            topology = CpuTopology.read();
            String planText = System.getProperty(TrialFiles.PIN_PROPERTY);
            plan = planText != null && !planText.isEmpty() ? PinningPlan.decode(planText)
                    : PinningPlan.plan(topology, PinPolicy.NONE, 0, 0);
            Path scratch = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "uprobe-bench-host"));
            workload = HostKernel.load().open(spec, scratch);
            record.backend = "kernel";
            record.benchmark = params.getBenchmark();
            record.pid = ProcessHandle.current().pid();
            record.readers = readers;
            record.writers = Groups.threadsOf(params, PinningPlan.WRITER);
            record.pinPlan = plan.encode();
            out = TrialFiles.outDir();
            if (params.getBenchmark().endsWith(".latency")) {
                record.timerFloorNanos = TimerFloor.measure();
                if (out != null) {
                    record.latencyLog = "latency-" + record.pid + ".hlog";
                    latency = new LatencyLog(out.resolve(record.latencyLog));
                }
            }
        }

        private static long rate(String perSecond) {
            try {
                long r = Long.parseLong(perSecond);
                if (r >= 1 && r <= TimeUnit.SECONDS.toNanos(1)) {
                    return r;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException("churnRate must be max or registry writes a second (1 to 1000000000), got '"
                    + perSecond + "'");
        }

        /** A reader or the writer starts: the run's check waits for it to leave. */
        synchronized void join() {
            participants++;
        }

        /** A reader leaves with its own check and the calls it made on each target. */
        synchronized void leave(LostHitCheck c, long[] callsPerTarget) {
            readerCalls.add(callsPerTarget);
            leave(c);
        }

        /**
         * A reader or the writer leaves with its check; the last one to leave adds the shared
         * probes' check, verifies the total and closes the targets. (JMH tears this state down
         * once, on whichever thread gets there first, possibly before another thread's own
         * teardown has run: the check cannot live there.)
         */
        synchronized void leave(LostHitCheck c) {
            total = total.plus(c);
            if (--participants == 0) {
                finished = true;
                try {
                    total = total.plus(workload.finishShared(readerCalls));
                } finally {
                    workload.close();
                }
                long calls = readerCalls.stream().flatMapToLong(java.util.Arrays::stream).sum();
                System.out.println("\nkernel hit check (invariant 11, attach=" + attach + ", probe=" + probe + "): "
                        + (probe.equals("none") ? calls + " calls, unprobed: nothing to count" : total.format()));
                report(calls);
            }
        }

        /**
         * Writes the trial record: the hits, and invariant 11's counts as the checker's
         * ({@code lost-hit}, {@code extra-hit}), which make the row INVALID like any back-end's
         * violation. Run by hand (no trial directory) a violation fails the run instead.
         */
        private void report(long calls) {
            record.hits = calls;
            record.kernelCalls = total.calls();
            record.kernelCounted = total.counted();
            record.invariants.put(LostHitCheck.LOST, total.lostHits());
            record.invariants.put(LostHitCheck.EXTRA, total.extraHits());
            record.violations = total.lostHits() + total.extraHits();
            if (latency != null) {
                latency.close();
            }
            if (out != null) {
                TrialFiles.write(out, record);
            } else if (!total.exact()) {
                throw new IllegalStateException("invariant 11 (lost hit) violated: " + total.format());
            }
        }

        synchronized void recordPin(ThreadPinner.PinRecord pin) {
            record.pins.add(pin);
        }

        void pin(String role, int index) {
            ThreadPinner.PinRecord pin = ThreadPinner.pinCurrentThread(role, index, plan.cpuFor(role, index), topology);
            recordPin(pin);
            if (plan.pinned() && !pin.verified()) {
                throw new IllegalStateException("pinning " + role + " " + index + " failed: " + pin.note());
            }
        }

        @TearDown(Level.Trial)
        public synchronized void tearDown() {
            if (participants == 0 && !finished) {
                workload.close(); // nobody ran
                if (latency != null) {
                    latency.close();
                }
            }
        }
    }

    /** A reader: its own events on every stable target, opened on its own (pinned) thread. */
    @State(Scope.Thread)
    public static class Reader {
        HostKernel.Reader reader;
        int next;
        private Host host;
        /** Timed hits of this reader, handed to the trial's latency log every measured iteration. */
        final SingleWriterRecorder recorder = Timing.recorder(Timing.DIGITS);
        private Histogram interval;

        @Setup(Level.Trial)
        public void setUp(Host h, ThreadParams t) {
            host = h;
            h.pin(PinningPlan.READER, t.getSubgroupThreadIndex());
            reader = h.workload.reader();
            h.join();
        }

        @Setup(Level.Iteration)
        public void startIteration() {
            recorder.reset();
        }

        @TearDown(Level.Iteration)
        public void endIteration(IterationParams ip) {
            if (host.latency != null) {
                interval = recorder.getIntervalHistogram(interval);
                if (ip.getType() == IterationType.MEASUREMENT) {
                    host.latency.report(LatencyLog.HIT, interval, host.readers);
                }
            }
        }

        /** One call, timed as the model's hits are (outside JMH's own sampling). */
        void hitTimed() {
            int i = nextTarget();
            long t0 = System.nanoTime();
            reader.hit(i);
            recorder.recordValue(LatencyLog.clamp(System.nanoTime() - t0));
        }

        int nextTarget() {
            int i = next;
            next = i + 1 == reader.targets() ? 0 : i + 1;
            return i;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LostHitCheck check;
            try {
                check = reader.finish();
            } finally {
                reader.close();
            }
            host.leave(check, reader.callsPerTarget());
        }
    }

    /** The churn writer, pinned after the readers. */
    @State(Scope.Thread)
    public static class Writer {
        HostKernel.Writer writer;
        Pacer pacer;
        private Host host;

        @Setup(Level.Trial)
        public void setUp(Host h, ThreadParams t) {
            host = h;
            h.pin(PinningPlan.WRITER, t.getSubgroupThreadIndex());
            writer = h.workload.writer();
            pacer = new Pacer(h.churnIntervalNanos);
            h.join();
        }

        @Setup(Level.Iteration)
        public void startPacing() {
            pacer.restart();
        }

        /** One churn operation, after waiting for its slot when paced. */
        void churnPaced() {
            pacer.await();
            writer.churnOnce();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            host.leave(writer.check());
        }
    }

    /**
     * The throughput group's counts, reported by JMH per second: hits, and registry writes. Group
     * methods are ordered by name for {@code -tg}: readers ({@code hit...}) before writers.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts {
        public long hits;
        public long registryWrites;

        @Setup(Level.Iteration)
        public void reset() {
            hits = 0;
            registryWrites = 0;
        }
    }

    @Benchmark
    @Group("throughput")
    @GroupThreads(1)
    public void hitBatch(Reader r, Counts c) {
        r.reader.hitBatch(r.nextTarget(), BATCH);
        c.hits += BATCH;
    }

    @Benchmark
    @Group("throughput")
    @GroupThreads(1)
    public void write(Writer w, Counts c) {
        w.churnPaced();
        c.registryWrites += 2;
    }

    @Benchmark
    @Group("latency")
    @GroupThreads(1)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void hit(Reader r) {
        r.hitTimed();
    }

    /** The writer beside the timed reader ({@code -tg 1,1}); its operations are timed too. */
    @Benchmark
    @Group("latency")
    @GroupThreads(1)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void writeTimed(Writer w) {
        w.churnPaced();
    }
}
