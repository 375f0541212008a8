package dev.uprobebench.bench;

import dev.uprobebench.mm.AddressSpace;
import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.mm.Layout;
import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.mm.VmaWalker;
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
import dev.uprobebench.uret.Lifetime;
import dev.uprobebench.uret.ReturnProbeConfig;
import dev.uprobebench.uret.ReturnProbes;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.openjdk.jmh.infra.Blackhole;
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

    /** Default number of churn regions in the address space ({@code mmRegions}). */
    public static final int MM_REGIONS = 64;

    /** VMAs: the probed files', the regions, and room for those waiting out a grace period. */
    public static int vmaCapacity(int regions) {
        return 2 + regions + 65_536;
    }

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
        @Param({"" + MM_REGIONS})
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
        KeyLayout layout;
        /** The address space hits go through, or null for the registry-only hit. */
        AddressSpace mm;
        int mmWriters;
        long mmIntervalNanos;
        UprobeConsumer stableConsumer;
        /** {@link TrapCost} tokens per hit, calibrated at setup. */
        long trapTokens;
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
        /** Return probes, or null without them. */
        ReturnProbes uret;
        /** Every reader's return latencies, merged at teardown. */
        final Histogram returnLatency = new Histogram(1, LatencyLog.MAX_NANOS, LatencyLog.DIGITS);

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            Backend b = Backend.byName(backend);
            readers = threadsOf(params, PinningPlan.READER);
            writers = threadsOf(params, PinningPlan.WRITER);
            mmWriters = threadsOf(params, PinningPlan.MM_WRITER);
            VmaLookup lookup = VmaLookup.byName(vmaLookup);
            if (mmWriters > 0 && lookup == VmaLookup.NONE) {
                throw new IllegalArgumentException("vmaLookup=none has no address space for " + mmWriters
                        + " address-space writer(s); use -p vmaLookup=mmap-lock or speculative, or -tg " + readers + ","
                        + writers + ",0");
            }
            if (mmWriters > 0 && "0".equals(mmChurnRate)) {
                throw new IllegalArgumentException("mmChurnRate=0 with " + mmWriters + " address-space writer(s); use -tg "
                        + readers + "," + writers + ",0");
            }
            if (trapNanos < 0) {
                throw new IllegalArgumentException("trapNanos must be >= 0, got " + trapNanos);
            }
            if (mmRegions < 1) {
                throw new IllegalArgumentException("mmRegions must be >= 1, got " + mmRegions);
            }
            long perMmWriter = parseRate(mmChurnRate);
            mmIntervalNanos = perMmWriter == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perMmWriter;
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
            layout = KeyLayout.byName(keyLayout);
            layout.check(stable, churnKeys);
            topology = CpuTopology.read();
            String planText = System.getProperty(TrialFiles.PIN_PROPERTY);
            plan = planText != null ? PinningPlan.decode(planText) : PinningPlan.plan(topology, PinPolicy.NONE, 0, 0);
            int slab = Math.toIntExact(slabCapacity(stable, churnKeys, writers));
            ReturnProbeConfig uretConfig = uretprobeConfig(b, lookup);
            int slots = readers + writers + mmWriters + 1 + (uretConfig == null ? 0 : 1);
            RegistryConfig rc = RegistryConfig.of(slab, slots).withRcuFlavour(RcuFlavour.byName(rcuFlavour));
            if (uretConfig != null && uretConfig.lifetime() == Lifetime.SRCU_UPDOWN) {
                rc = rc.withFastUretprobeSrcu();
            }
            registry = b.create(rc);
            if (lookup != VmaLookup.NONE) {
                // QSBR: readers announce quiescent states for the address space as for the registry.
                mm = new AddressSpace(lookup, slots, vmaCapacity(mmRegions), RcuFlavour.QSBR,
                        RegistryConfig.DEFAULT_STEP_BOUND, registry.invariants(), AddressSpace.Options.NONE);
                layout.mapProbed(mm, stable, churnKeys);
                for (int j = 0; j < mmRegions; j++) {
                    Layout.mapRegion(mm, j);
                }
            }
            stableConsumer = new UprobeConsumer(handlerWork);
            for (int k = 0; k < stable; k++) {
                registry.register(layout.stableInode(), layout.stableOffset(k), stableConsumer);
            }
            layout.declareStable(registry.invariants(), stable);
            if (uretConfig != null) {
                uret = new ReturnProbes(registry, uretConfig);
                record.uretprobe = uretConfig.lifetime().label();
                record.uretDuration = uretConfig.durationLabel();
                record.riAlloc = riAlloc;
            }
            writerConsumers = new UprobeConsumer[writers][];
            writerHeld = new boolean[writers][];
            record.backend = backend;
            record.benchmark = params.getBenchmark();
            record.pid = ProcessHandle.current().pid();
            record.readers = readers;
            record.writers = writers;
            record.vmaLookup = lookup.label();
            record.keyLayout = layout.label();
            if (trapNanos > 0) {
                trapTokens = TrapCost.tokensFor(trapNanos, TrapCost.nanosPerToken());
                record.trapNanos = trapNanos;
                record.trapTokens = trapTokens;
                record.trapMeasuredNanos = TrapCost.measure(trapTokens);
            }
            record.mmWriters = mmWriters;
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

        /** The return-probe configuration, or null for none; refuses what cannot run. */
        private ReturnProbeConfig uretprobeConfig(Backend b, VmaLookup lookup) {
            if ("none".equals(uretprobe)) {
                return null;
            }
            Lifetime l = Lifetime.byName(uretprobe);
            if (b != Backend.SEQCOUNT_RCU) {
                throw new IllegalArgumentException("uretprobe=" + uretprobe + " runs on the mainline lookup; back-end '"
                        + backend + "' has none; valid: seqcount-rcu");
            }
            if (lookup != VmaLookup.NONE) {
                throw new IllegalArgumentException("uretprobe=" + uretprobe + " runs on the registry-only hit; use "
                        + "vmaLookup=none");
            }
            return ReturnProbeConfig.of(l).withDuration(uretDuration).withShare(uretShare).withDepth(uretDepth)
                    .withTimeout(uretTimeout).withRiAlloc(riAlloc);
        }

        synchronized void addReturnLatency(Histogram h) {
            returnLatency.add(h);
        }

        /** Threads of the group method that plays {@code role}. */
        static int threadsOf(BenchmarkParams params, String role) {
            int[] counts = params.getThreadGroups();
            String[] labels = params.getThreadGroupLabels().toArray(new String[0]);
            for (int i = 0; i < labels.length && i < counts.length; i++) {
                if (roleOf(labels[i]).equals(role)) {
                    return counts[i];
                }
            }
            return 0;
        }

        /** The role of a group method: {@code hit*} read, {@code write*Mm} change the address space, {@code write*} churn. */
        static String roleOf(String method) {
            if (method.startsWith("hit")) {
                return PinningPlan.READER;
            }
            return method.endsWith("Mm") ? PinningPlan.MM_WRITER : PinningPlan.WRITER;
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

        synchronized void addVmaCounts(long speculations, long fallbacks, long mmOps) {
            record.speculations += speculations;
            record.fallbacks += fallbacks;
            record.mmOps += mmOps;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                if (uret != null) {
                    uret.close(); // every reader drained its returns in its own teardown
                    ReturnProbes.Counts c = uret.counts();
                    if (c.pending > 0) {
                        record.problems.add(c.pending + " return(s) still pending at teardown");
                    }
                    record.uretEntries = c.entries;
                    record.uretReturns = c.returns;
                    record.uretReturnsGone = c.returnsGone;
                    record.uretSkippedDepth = c.skippedDepth + c.refused;
                    record.uretExpiredStable = c.expiredStable;
                    record.uretExpiredGone = c.expiredGone;
                    record.uretRiDropped = c.riDropped;
                    record.uretGracePeriods = c.gracePeriods;
                    record.uretGraceNanos = c.graceNanos;
                    record.uretGraceMaxNanos = c.graceMaxNanos;
                    if (returnLatency.getTotalCount() > 0) {
                        record.uretReturnP50Nanos = returnLatency.getValueAtPercentile(50);
                        record.uretReturnP99Nanos = returnLatency.getValueAtPercentile(99);
                    }
                }
                for (int w = 0; w < writers; w++) {
                    if (writerHeld[w] == null) {
                        continue;
                    }
                    for (int k = 0; k < churnKeys; k++) {
                        if (writerHeld[w][k]) {
                            registry.unregister(layout.churnInode(), layout.churnOffset(k), writerConsumers[w][k]);
                        }
                    }
                }
                for (int k = 0; k < stable; k++) {
                    registry.unregister(layout.stableInode(), layout.stableOffset(k), stableConsumer);
                }
                registry.synchronize();
                registry.checkLeaks();
                if (mm != null) {
                    mm.unmapAll();
                    mm.checkLeaks();
                }
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
                if (mm != null) {
                    mm.close();
                }
                registry.close();
            }
        }
    }

    /** Per-reader state: its slot, its key sequence, its pin, its recorder. */
    @State(Scope.Thread)
    public static class Reader {
        UprobeRegistry registry;
        /** The reader's way through the address space, or null for the registry-only hit. */
        VmaWalker walker;
        AddressSpace mm;
        long stableBase;
        long churnBase;
        /**
         * The key layout as arithmetic on the hit path: stable key k at (stableInode, k * stableStride),
         * churn key k at (churnInode, k * churnStride + churnShift).
         */
        long stableInode;
        long churnInode;
        int stableStride;
        int churnStride;
        int churnShift;
        CpuSlot slot;
        long trapTokens;
        /** This reader's return stack, or null without return probes. */
        ReturnProbes.Task task;
        private Histogram returnLatency;
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
            w.recordPin(ThreadPinner.pinCurrentThread(PinningPlan.READER, index, w.plan.cpuFor(PinningPlan.READER, index),
                    w.topology));
            slot = registry.slots().acquire();
            trapTokens = w.trapTokens;
            mm = w.mm;
            stableInode = w.layout.stableInode();
            churnInode = w.layout.churnInode();
            stableStride = (int) w.layout.stableOffset(1);
            churnStride = (int) (w.layout.churnOffset(1) - w.layout.churnOffset(0));
            churnShift = (int) w.layout.churnOffset(0);
            if (mm != null) {
                walker = mm.newWalker(); // on this thread: its fields are written on every hit
                stableBase = Layout.probedBase(w.layout.stableInode());
                churnBase = Layout.probedBase(w.layout.churnInode());
            }
            if (w.uret != null) {
                task = w.uret.newTask(slot);
                if (w.latency != null) { // timed runs only: a clock read per return would cost throughput
                    returnLatency = new Histogram(1, LatencyLog.MAX_NANOS, LatencyLog.DIGITS);
                    task.recordReturnLatency(returnLatency);
                }
            }
            keys = KeySequence.draw(KeySequence.lengthFor(w.stable), w.stable, w.churnKeys, w.churnReadFraction,
                    KeySequence.Distribution.byName(w.distribution), w.zipfExponent, 0x9e3779b97f4a7c15L * (index + 1));
        }

        @Setup(Level.Iteration)
        public void online() {
            registry.readerOnline(slot);
            if (mm != null) {
                mm.online(slot);
            }
            retryBase = registry.invariants().retries(slot);
            recorder.reset();
        }

        /** Offline between iterations: a grace period never waits on a thread parked by JMH. */
        @TearDown(Level.Iteration)
        public void offline(IterationParams ip) {
            if (task != null) {
                // Every pending return returns at the iteration's end, while this reader is online:
                // JMH may run the group's trial teardown (unregister everything, check for leaks) on
                // another thread before this one's trial teardown, and a reference or a lease still
                // held there is a leak (a latency fork of the uretprobe profile counted 61).
                task.drain();
            }
            registry.readerOffline(slot);
            if (mm != null) {
                mm.offline(slot);
            }
            if (workload.latency != null) {
                interval = recorder.getIntervalHistogram(interval);
                if (ip.getType() == IterationType.MEASUREMENT) {
                    workload.latency.report(LatencyLog.HIT, interval, workload.readers);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (task != null) {
                registry.readerOnline(slot); // returns run in read sections
                task.drain();
                registry.readerOffline(slot);
                if (returnLatency != null) {
                    workload.addReturnLatency(returnLatency);
                }
            }
            workload.addCounts(hits, misses, 0, 0);
            if (walker != null) {
                workload.addVmaCounts(walker.speculations(), walker.fallbacks(), 0);
            }
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

        /**
         * One breakpoint hit on a key code of {@link KeySequence} (stable key, or churn key): from
         * the key, or from its address when there is an address space.
         */
        private long lookup(int k) {
            if (trapTokens > 0) {
                Blackhole.consumeCPU(trapTokens); // the trap and single-step around the hit
            }
            if (walker != null) {
                return walker.hit(slot, k >= 0 ? stableBase + stableOffset(k) : churnBase + churnOffset(-1 - k), registry);
            }
            if (task != null) {
                return k >= 0 ? task.hit(stableInode, stableOffset(k)) : task.hit(churnInode, churnOffset(-1 - k));
            }
            return k >= 0 ? registry.hit(slot, stableInode, stableOffset(k))
                    : registry.hit(slot, churnInode, churnOffset(-1 - k));
        }

        private long stableOffset(int k) {
            return (long) k * stableStride;
        }

        private long churnOffset(int k) {
            return (long) k * churnStride + churnShift;
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
                if (mm != null) {
                    mm.quiescent(slot);
                }
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
        KeyLayout layout;
        UprobeConsumer[] mine;
        boolean[] held;
        SplittableRandom rnd;
        Pacer pacer;
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
            w.recordPin(ThreadPinner.pinCurrentThread(PinningPlan.WRITER, index, w.plan.cpuFor(PinningPlan.WRITER, index),
                    w.topology));
            mine = new UprobeConsumer[w.churnKeys];
            for (int k = 0; k < mine.length; k++) {
                mine[k] = new UprobeConsumer(w.handlerWork);
            }
            held = new boolean[w.churnKeys];
            layout = w.layout;
            w.writerConsumers[index] = mine;
            w.writerHeld[index] = held;
            rnd = new SplittableRandom(0x2545f4914f6cdd1dL * (index + 1));
            pacer = new Pacer(w.writerIntervalNanos[index]);
            syncEvery = w.syncEvery;
        }

        static SingleWriterRecorder recorder() {
            return new SingleWriterRecorder(1, LatencyLog.MAX_NANOS, LatencyLog.DIGITS);
        }

        private SingleWriterRecorder[] recorders() {
            return new SingleWriterRecorder[] {registerRecorder, unregisterRecorder, registerServiceRecorder,
                unregisterServiceRecorder, synchronizeRecorder};
        }

        @Setup(Level.Iteration)
        public void startPacing() {
            pacer.restart();
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

        /** The service time, raw and corrected for the operations the schedule held back behind it. */
        private void record(SingleWriterRecorder corrected, SingleWriterRecorder service, long nanos) {
            recordWriterLatency(corrected, service, nanos, pacer.interval());
        }

        void churn(boolean timed) {
            pacer.await();
            int k = rnd.nextInt(mine.length);
            long t0 = timed ? System.nanoTime() : 0;
            if (held[k]) {
                registry.unregister(layout.churnInode(), layout.churnOffset(k), mine[k]);
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
                registry.register(layout.churnInode(), layout.churnOffset(k), mine[k]);
                held[k] = true;
                registers++;
                if (timed) {
                    record(registerRecorder, registerServiceRecorder, System.nanoTime() - t0);
                }
            }
        }
    }

    /**
     * Per-address-space-writer state: the regions it toggles (every {@code mmWriters}-th, from its
     * index), its pacing and its recorders. {@code mmap} and {@code munmap} latency is recorded
     * from the intended start when paced, as the registry writers' is.
     */
    @State(Scope.Thread)
    public static class MmWriter {
        AddressSpace mm;
        boolean[] mapped;
        int first;
        int stride;
        SplittableRandom rnd;
        Pacer pacer;
        long ops;
        final SingleWriterRecorder mmapRecorder = Writer.recorder();
        final SingleWriterRecorder munmapRecorder = Writer.recorder();
        private final Histogram[] intervals = new Histogram[2];
        private static final String[] TAGS = {"mmap", "munmap"};
        private Workload workload;

        @Setup(Level.Trial)
        public void setUp(Workload w, ThreadParams t) {
            workload = w;
            mm = w.mm;
            int index = t.getSubgroupThreadIndex();
            w.recordPin(ThreadPinner.pinCurrentThread(PinningPlan.MM_WRITER, index,
                    w.plan.cpuFor(PinningPlan.MM_WRITER, index), w.topology));
            mapped = new boolean[w.mmRegions];
            Arrays.fill(mapped, true); // every region is mapped at setup
            first = index;
            stride = Math.max(1, w.mmWriters);
            rnd = new SplittableRandom(0x6a09e667f3bcc909L * (index + 1));
            pacer = new Pacer(w.mmIntervalNanos);
        }

        @Setup(Level.Iteration)
        public void startPacing() {
            pacer.restart();
            mmapRecorder.reset();
            munmapRecorder.reset();
        }

        @TearDown(Level.Iteration)
        public void report(IterationParams ip) {
            if (workload.latency != null) {
                SingleWriterRecorder[] rs = {mmapRecorder, munmapRecorder};
                for (int i = 0; i < rs.length; i++) {
                    intervals[i] = rs[i].getIntervalHistogram(intervals[i]);
                    if (ip.getType() == IterationType.MEASUREMENT) {
                        workload.latency.report(TAGS[i], intervals[i], workload.mmWriters);
                    }
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            workload.addVmaCounts(0, 0, ops);
        }

        void churn(boolean timed) {
            pacer.await();
            int slots = (mapped.length - first + stride - 1) / stride;
            if (slots <= 0) {
                return; // more address-space writers than regions: this one has none
            }
            int j = first + stride * rnd.nextInt(slots);
            long t0 = timed ? System.nanoTime() : 0;
            mapped[j] = Layout.toggleRegion(mm, j, mapped[j]);
            ops++;
            if (timed) {
                long v = LatencyLog.clamp(System.nanoTime() - t0);
                SingleWriterRecorder r = mapped[j] ? mmapRecorder : munmapRecorder;
                if (pacer.interval() != 0) {
                    r.recordValueWithExpectedInterval(v, pacer.interval());
                } else {
                    r.recordValue(v);
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

    /** Address-space churn; sorts after {@code write}, so {@code -tg R,W,M}. */
    @Benchmark
    @Group("throughput")
    @GroupThreads(1)
    public void writeMm(MmWriter m, Control control) {
        if (!control.stopMeasurement) {
            m.churn(false);
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

    @Benchmark
    @Group("latency")
    @GroupThreads(1)
    public void writeTimedMm(MmWriter m, Control control) {
        if (!control.stopMeasurement) {
            m.churn(true);
        }
    }
}
