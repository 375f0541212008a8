package dev.uprobebench.bench;

import dev.uprobebench.pin.ThreadPinner.PinRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one JMH trial (one forked JVM) reports beside JMH's own numbers: where its threads ran,
 * what the invariant checker counted, the timer's floor, and its latency log. Written as JSON by
 * the forked JVM ({@link TrialFiles}), read back by the report.
 */
public final class TrialRecord {
    public String backend;
    public String benchmark;
    public long pid;
    public int readers;
    public int writers;
    public String pinPlan;
    public List<PinRecord> pins = new ArrayList<>();
    public Map<String, Long> invariants = new LinkedHashMap<>();
    public long violations;
    public long hits;
    public long misses;
    public long retries;
    public long registers;
    public long unregisters;
    /** The VMA lookup ({@code none}, {@code mmap-lock}, {@code speculative}); null in older records. */
    public String vmaLookup;
    public int mmWriters;
    /** Address-space writer operations (mmap plus munmap). */
    public long mmOps;
    /** Speculative VMA lookups tried, and those that failed and took {@code mmap_read_lock}. */
    public long speculations;
    public long fallbacks;
    /** Of the fallbacks, those where the speculation gave up at the tree's step bound. */
    public long stepBoundFallbacks;
    /**
     * The age oracle's histogram (rcutorture's Reader Pipe): uses of a uprobe found already
     * unlinked, by grace periods of the readers' domain since the unlink: 0, 1, 2 or more (the last
     * are too-old violations).
     */
    public long readerAge0;
    public long readerAge1;
    public long readerAge2Plus;
    /** Typesafe speculations whose VMA failed revalidation (a subset of fallbacks). */
    public long revalidationFallbacks;
    /** Accepted VMA-path hits whose translation could not be held against the writer's truth. */
    public long translationsUnchecked;
    /** The trap cost asked for (ns), the tokens calibrated for it, and what they took per hit (ns). */
    public long trapNanos;
    public long trapTokens;
    /** Where the churn keys sat: {@code separate} or {@code interleaved}. */
    public String keyLayout;
    public double trapMeasuredNanos;
    /** The return-probe lifetime, duration and instance source; null without return probes. */
    public String uretprobe;
    public String uretDuration;
    public String riAlloc;
    /** Entries that pushed a return instance, and returns run (equal after teardown). */
    public long uretEntries;
    public long uretReturns;
    /** Returns whose lease the timer had found dying: no return handler ran. */
    public long uretReturnsGone;
    /** Entries that got no return instance (stack full, or a dying uprobe under refcount). */
    public long uretSkippedDepth;
    /** Leases the timer expired into a reference (stable) or found dying (gone). */
    public long uretExpiredStable;
    public long uretExpiredGone;
    /** Return instances not pooled because the timer was running ({@code kfree_rcu} in the kernel). */
    public long uretRiDropped;
    /** {@code uretprobes_srcu} grace periods, their total and longest wait (ns). */
    public long uretGracePeriods;
    public long uretGraceNanos;
    public long uretGraceMaxNanos;
    /** The return path's latency (ns), timed runs only; 0 when not measured. */
    public long uretReturnP50Nanos;
    public long uretReturnP99Nanos;
    /** An empty timed section ({@code nanoTime} twice), in ns: p50, p99, p99.9, max. */
    public Map<String, Long> timerFloorNanos = new LinkedHashMap<>();
    /** File name of the interval-histogram log in the trial's directory, or null. */
    public String latencyLog;
    /**
     * The host kernel's rows: the calls the readers made on probed functions and the hits the
     * kernel's events counted for them (invariant 11: equal); 0 for the model's.
     */
    public long kernelCalls;
    public long kernelCounted;
    /** Teardown problems that did not stop the run (they are reported). */
    public List<String> problems = new ArrayList<>();

    /** A thread's pin as read back (threads report concurrently). */
    public synchronized void addPin(PinRecord pin) {
        pins.add(pin);
    }

    /** A thread's hits and misses, or a writer's registrations. */
    public synchronized void addCounts(long hits, long misses, long registers, long unregisters) {
        this.hits += hits;
        this.misses += misses;
        this.registers += registers;
        this.unregisters += unregisters;
    }

    /** A reader's speculative VMA lookups and fallbacks, or an address-space writer's operations. */
    public synchronized void addVmaCounts(long speculations, long fallbacks, long stepBoundFallbacks,
            long revalidationFallbacks, long translationsUnchecked, long mmOps) {
        this.speculations += speculations;
        this.fallbacks += fallbacks;
        this.stepBoundFallbacks += stepBoundFallbacks;
        this.revalidationFallbacks += revalidationFallbacks;
        this.translationsUnchecked += translationsUnchecked;
        this.mmOps += mmOps;
    }

    /** The return probes' counts at teardown, and the return path's latency when it was timed. */
    public synchronized void addReturnProbes(dev.uprobebench.uret.ReturnProbes.Counts c,
            org.HdrHistogram.Histogram returnLatency) {
        if (c.pending > 0) {
            problems.add(c.pending + " return(s) still pending at teardown");
        }
        uretEntries = c.entries;
        uretReturns = c.returns;
        uretReturnsGone = c.returnsGone;
        uretSkippedDepth = c.skippedDepth + c.refused;
        uretExpiredStable = c.expiredStable;
        uretExpiredGone = c.expiredGone;
        uretRiDropped = c.riDropped;
        uretGracePeriods = c.gracePeriods;
        uretGraceNanos = c.graceNanos;
        uretGraceMaxNanos = c.graceMaxNanos;
        if (returnLatency.getTotalCount() > 0) {
            uretReturnP50Nanos = returnLatency.getValueAtPercentile(50);
            uretReturnP99Nanos = returnLatency.getValueAtPercentile(99);
        }
    }

    /** What the trial is: back-end, benchmark, this JVM, its threads, the hit path and the pinning plan. */
    public void describe(String backend, String benchmark, int readers, int writers, int mmWriters, String vmaLookup,
            String keyLayout, String pinPlan) {
        this.backend = backend;
        this.benchmark = benchmark;
        this.pid = ProcessHandle.current().pid();
        this.readers = readers;
        this.writers = writers;
        this.mmWriters = mmWriters;
        this.vmaLookup = vmaLookup;
        this.keyLayout = keyLayout;
        this.pinPlan = pinPlan;
    }
}
