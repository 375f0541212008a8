package dev.uprobebench.report;

import dev.uprobebench.sync.RcuFlavour;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one configuration of a run produced, as the report files store it
 * ({@code invariants.json}, {@code summary.md}, the comparison).
 */
public final class ConfigOutcome {
    /**
     * The report format: 2 since rounds (every fork's round and score in {@code invariants.json});
     * a report records it in {@code environment.json} as {@code reportFormat} (absent means 1), and
     * {@code compare} refuses another format with an error that names it.
     */
    public static final int REPORT_FORMAT = 2;

    /** Lifecycle of a configuration in a run. */
    public static final String PENDING = "pending";
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";

    public String id;
    /** The back-end and RCU flavour, file-name safe ({@code seqcount-rcu-qsbr}). */
    public String backendKey;
    /** Everything but the back-end, file-name safe ({@code r1_w1_churn-max_s1024_uniform_h0}). */
    public String configKey;
    public String label;
    public String scenario;
    public String backend;
    /** The RCU read side ({@code qsbr}, {@code memb}), or null where it is not an axis of the back-end. */
    public String rcuFlavour;
    public int readers;
    public int writers;
    public String churn;
    public int stable;
    public String distribution;
    public long handlerWork;
    /** How hits found their VMA: {@code none} (the registry alone), {@code mmap-lock}, {@code speculative}; null in older reports. */
    public String vmaLookup;
    public int mmWriters;
    public String mmChurn;
    /** Speculative VMA lookups, and those that fell back to {@code mmap_read_lock}, summed over trials. */
    public long speculations;
    public long fallbacks;
    /** Address-space writer operations (mmap plus munmap), summed over trials. */
    public long mmOps;
    /** The per-hit trap cost asked for (ns, 0: none) and what the calibrated work took (ns). */
    public long trapNanos;
    /** Where the churn keys sat ({@code separate}, {@code interleaved}); null in reports from before the key existed. */
    public String keyLayout;
    public Double trapMeasuredNanos;
    /** The return-probe lifetime ({@code refcount}, {@code hprobe}, {@code srcu-updown}), or null without return probes. */
    public String uretprobe;
    public String uretDuration;
    public String riAlloc;
    /** Return-probe counts summed over trials (see {@code TrialRecord}); hits of those trials for the entry share. */
    public long uretHits;
    public long uretEntries;
    public long uretReturns;
    public long uretReturnsGone;
    public long uretSkipped;
    public long uretExpiredStable;
    public long uretExpiredGone;
    public long uretRiDropped;
    public long uretGracePeriods;
    public long uretGraceNanos;
    public long uretGraceMaxNanos;
    /** The highest return-path p99 over the timed trials (ns), or 0 when none was timed. */
    public long uretReturnP99Nanos;
    public String pinPolicy;
    /** More benchmark threads than logical CPUs (possible only with pinning=none). */
    public boolean oversubscribed;
    /** The back-end is the negative control (unsafe by design): never ranked, always labelled. */
    public boolean negativeControl;
    public String status = PENDING;
    public String message;

    /** Reader hits per second over all readers, mean over forks (the per-fork scores below). */
    public Double hitsPerSec;
    /** Writer operations per second, mean over forks. */
    public Double writerOpsPerSec;
    /** The round of each throughput fork, in the order run; aligned with the two lists below. */
    public List<Integer> forkRounds = new ArrayList<>();
    /** Each throughput fork's hits/s (JMH's score of that fork: the mean of its iterations). */
    public List<Double> forkHitsPerSec = new ArrayList<>();
    /** Each throughput fork's writer operations/s (0 without writers). */
    public List<Double> forkWriterOpsPerSec = new ArrayList<>();
    /** JMH's own per-iteration error of each fork (99.9% half-width): a diagnostic only. */
    public List<Double> forkJmhErrors = new ArrayList<>();
    public Double missesPerIteration;
    public Double retriesPerIteration;
    /** gc.alloc.rate.norm (bytes per operation), when the gc profiler ran. */
    public Double allocBytesPerOp;

    /** Latency percentiles in ns per tag (hit, register, unregister). */
    public Map<String, Map<String, Long>> latency = new LinkedHashMap<>();
    /** Latency percentile curves per tag: [percentile, ns] pairs, for plots. */
    public Map<String, List<double[]>> curves = new LinkedHashMap<>();
    /** Timer floor in ns (an empty timed section), from the latency run. */
    public Map<String, Long> timerFloorNanos = new LinkedHashMap<>();

    /** Invariant counts summed over every trial of this configuration. */
    public Map<String, Long> invariants = new LinkedHashMap<>();
    public long violations;
    /** Trials that reported (forks x runs); 0 means no checker result. */
    public int trials;
    /** Thread placement as read back: "reader0@cpu0(core0,pkg0)" ... */
    public List<String> pinMap = new ArrayList<>();
    public boolean pinsVerified;
    public List<String> problems = new ArrayList<>();
    /** Flame graph files (relative to the report), when profiling ran. */
    public List<String> flamegraphs = new ArrayList<>();

    /** Hits/s of each fork by its round, for ratios paired by round. */
    public Map<Integer, Double> hitsByRound() {
        Map<Integer, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < forkRounds.size() && i < forkHitsPerSec.size(); i++) {
            m.put(forkRounds.get(i), forkHitsPerSec.get(i));
        }
        return m;
    }

    /** Adds one finished throughput fork and updates the means. */
    public void addFork(int round, double hits, double writerOps, double jmhError) {
        forkRounds.add(round);
        forkHitsPerSec.add(hits);
        forkWriterOpsPerSec.add(writerOps);
        forkJmhErrors.add(jmhError);
        hitsPerSec = Estimate.mean(forkHitsPerSec);
        writerOpsPerSec = writers == 0 ? null : Estimate.mean(forkWriterOpsPerSec);
    }

    /** True for a back-end without an RCU axis, or for the default read side (what the published figures model). */
    public boolean defaultRcuFlavour() {
        return rcuFlavour == null || "-".equals(rcuFlavour) || RcuFlavour.QSBR.cliName().equals(rcuFlavour);
    }

    /** True when the hits ran return probes (an entry, then its return). */
    public boolean hasUretprobes() {
        return uretprobe != null;
    }

    /** Entries (each with its return) per hit, over every trial; null without return probes or hits. */
    public Double entriesPerHit() {
        return uretHits == 0 ? null : (double) uretEntries / uretHits;
    }

    public boolean hasAddressSpace() {
        return vmaLookup != null && !"none".equals(vmaLookup);
    }

    /** Share of speculative lookups that failed and took the lock, or null when none was tried. */
    public Double speculationFailureRate() {
        return speculations == 0 ? null : (double) fallbacks / speculations;
    }

    public boolean valid() {
        return OK.equals(status) && violations == 0 && trials > 0 && !negativeControl;
    }

    /** Labels that qualify the numbers: INVALID, UNPINNED, ... (empty when clean). */
    public List<String> qualifiers() {
        List<String> q = new ArrayList<>();
        if (negativeControl) {
            q.add("NEGATIVE CONTROL: unsafe by design");
        }
        if (violations > 0) {
            q.add("INVALID: " + violations + " invariant violation" + (violations == 1 ? "" : "s"));
        } else if (OK.equals(status) && trials == 0) {
            q.add("UNCHECKED: no trial record");
        }
        if (oversubscribed) {
            q.add("OVERSUBSCRIBED: more threads than CPUs");
        }
        if ("none".equals(pinPolicy)) {
            q.add("UNPINNED");
        } else if (OK.equals(status) && !pinsVerified) {
            q.add("PINNING NOT VERIFIED");
        }
        return q;
    }
}
