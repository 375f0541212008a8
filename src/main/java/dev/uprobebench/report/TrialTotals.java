package dev.uprobebench.report;

import dev.uprobebench.bench.TrialRecord;
import dev.uprobebench.pin.ThreadPinner.PinRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a configuration's trials recorded, summed over every trial (forks x runs) that wrote a
 * record: the checker's counts, where the threads ran, the return-probe and address-space counts,
 * and the latency read from the forks' histogram logs. Built once per collection from the trial
 * files (never added to), so a fork's counts and problems appear once however often it is read.
 *
 * @param trials Trials that reported (forks x runs); 0 means no checker result
 * @param invariants Invariant counts summed over every trial
 * @param violations Invariant violations summed over every trial
 * @param speculations Speculative VMA lookups tried
 * @param fallbacks Speculative VMA lookups that fell back to mmap_read_lock
 * @param mmOps Address-space writer operations (mmap plus munmap)
 * @param keyLayout Where the churn keys sat ({@code separate}, {@code interleaved}); null before the key existed
 * @param trapNanos The per-hit trap cost asked for (ns, 0: none)
 * @param trapMeasuredNanos What the calibrated trap work took (ns), or null
 * @param uretHits Hits of the trials that ran return probes (for the entry share)
 * @param uretEntries Entries that pushed a return instance
 * @param uretReturns Returns run
 * @param uretReturnsGone Returns whose lease the timer had found dying
 * @param uretSkipped Entries that got no return instance
 * @param uretExpiredStable Leases the timer expired into a reference
 * @param uretExpiredGone Leases the timer found dying
 * @param uretRiDropped Return instances not pooled because the timer was running
 * @param uretGracePeriods uretprobes_srcu grace periods
 * @param uretGraceNanos Their total wait (ns)
 * @param uretGraceMaxNanos Their longest wait (ns)
 * @param uretReturnP99Nanos The highest return-path p99 over the timed trials (ns), 0 when none was timed
 * @param pinMap Thread placement as read back: {@code reader0@cpu0(core 0, pkg 0)} ...
 * @param pinsVerified Every requested pin was read back where it was asked for
 * @param problems Problems the forks reported, each named by its fork
 * @param latency Latency percentiles in ns per tag (hit, register, unregister)
 * @param curves Latency percentile curves per tag: [percentile, ns] pairs
 * @param kernelCalls the host kernel's rows: calls made on probed functions, over every trial (0 for a model)
 * @param kernelCounted the hits the kernel's events counted for those calls (invariant 11: equal)
 * @param stepBoundFallbacks speculative VMA lookups that gave up at the tree's step bound (a subset of fallbacks)
 * @param revalidationFallbacks typesafe speculations whose VMA failed revalidation (a subset of fallbacks)
 * @param readerAge the age oracle's histogram: uses of an already unlinked uprobe 0, 1 and 2 or more
 *     grace periods after the unlink (the last are too-old violations)
 * @param translationsUnchecked accepted VMA-path hits not held against the writer's truth (it had moved on)
 * @param timerFloorNanos Timer floor in ns (an empty timed section), from the latency run
 */
public record TrialTotals(int trials, Map<String, Long> invariants, long violations, long speculations,
        long fallbacks, long mmOps, String keyLayout, long trapNanos, Double trapMeasuredNanos, long uretHits,
        long uretEntries, long uretReturns, long uretReturnsGone, long uretSkipped, long uretExpiredStable,
        long uretExpiredGone, long uretRiDropped, long uretGracePeriods, long uretGraceNanos,
        long uretGraceMaxNanos, long uretReturnP99Nanos, List<String> pinMap, boolean pinsVerified,
        List<String> problems, Map<String, Map<String, Long>> latency, Map<String, List<double[]>> curves,
        Map<String, Long> timerFloorNanos, long kernelCalls, long kernelCounted, long stepBoundFallbacks,
        long revalidationFallbacks, long translationsUnchecked, List<Long> readerAge) {
    /** No trial reported (yet). */
    public static final TrialTotals NONE = new Builder().pinsVerified(false).build();

    public TrialTotals {
        invariants = invariants == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(invariants));
        pinMap = pinMap == null ? List.of() : List.copyOf(pinMap);
        problems = problems == null ? List.of() : List.copyOf(problems);
        latency = latency == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(latency));
        curves = curves == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(curves));
        timerFloorNanos = timerFloorNanos == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(timerFloorNanos));
    }

    /**
     * Accumulates one collection of trial records ({@link #add}); {@link #build()} makes the
     * record. The few setters are for tests that state totals directly.
     */
    public static final class Builder {
        private int trials;
        private Map<String, Long> invariants = new LinkedHashMap<>();
        private long violations;
        private long speculations;
        private long fallbacks;
        private long mmOps;
        private String keyLayout;
        private long trapNanos;
        private Double trapMeasuredNanos;
        private long uretHits;
        private long uretEntries;
        private long uretReturns;
        private long uretReturnsGone;
        private long uretSkipped;
        private long uretExpiredStable;
        private long uretExpiredGone;
        private long uretRiDropped;
        private long uretGracePeriods;
        private long uretGraceNanos;
        private long uretGraceMaxNanos;
        private long uretReturnP99Nanos;
        private List<String> pinMap = new ArrayList<>();
        private List<String> problems = new ArrayList<>();
        private Map<String, Map<String, Long>> latency = new LinkedHashMap<>();
        private Map<String, List<double[]>> curves = new LinkedHashMap<>();
        private Map<String, Long> timerFloorNanos = new LinkedHashMap<>();
        private long kernelCalls;
        private long kernelCounted;
        private long stepBoundFallbacks;
        private long revalidationFallbacks;
        private final long[] readerAge = new long[3];
        private long translationsUnchecked;
        private boolean pinsVerified = true;

        public Builder trials(int v) {
            this.trials = v;
            return this;
        }
        public Builder invariants(Map<String, Long> v) {
            this.invariants = v;
            return this;
        }
        public Builder violations(long v) {
            this.violations = v;
            return this;
        }
        public Builder pinMap(List<String> v) {
            this.pinMap = v;
            return this;
        }
        public Builder pinsVerified(boolean v) {
            this.pinsVerified = v;
            return this;
        }
        /**
         * Adds one trial of a fork of {@code mode} ({@code throughput}, {@code latency}): its
         * counts, its problems (named by the fork, once), its pins (the first trial's map; any
         * unverified pin clears {@link TrialTotals#pinsVerified()}), and a latency trial's timer floor.
         */
        public Builder add(String mode, TrialRecord r) {
            trials++;
            r.invariants.forEach((k, v) -> invariants.merge(k, v, Long::sum));
            violations += r.violations;
            for (String p : r.problems) {
                String named = mode + " fork " + r.pid + ": " + p;
                if (!problems.contains(named)) {
                    problems.add(named);
                }
            }
            kernelCalls += r.kernelCalls;
            kernelCounted += r.kernelCounted;
            speculations += r.speculations;
            fallbacks += r.fallbacks;
            stepBoundFallbacks += r.stepBoundFallbacks;
            revalidationFallbacks += r.revalidationFallbacks;
            readerAge[0] += r.readerAge0;
            readerAge[1] += r.readerAge1;
            readerAge[2] += r.readerAge2Plus;
            translationsUnchecked += r.translationsUnchecked;
            mmOps += r.mmOps;
            if (r.uretprobe != null) {
                uretHits += r.hits;
                uretEntries += r.uretEntries;
                uretReturns += r.uretReturns;
                uretReturnsGone += r.uretReturnsGone;
                uretSkipped += r.uretSkippedDepth;
                uretExpiredStable += r.uretExpiredStable;
                uretExpiredGone += r.uretExpiredGone;
                uretRiDropped += r.uretRiDropped;
                uretGracePeriods += r.uretGracePeriods;
                uretGraceNanos += r.uretGraceNanos;
                uretGraceMaxNanos = Math.max(uretGraceMaxNanos, r.uretGraceMaxNanos);
                uretReturnP99Nanos = Math.max(uretReturnP99Nanos, r.uretReturnP99Nanos);
            }
            if (r.keyLayout != null) {
                keyLayout = r.keyLayout;
            }
            if (r.trapNanos > 0) {
                trapNanos = r.trapNanos;
                trapMeasuredNanos = r.trapMeasuredNanos;
            }
            if (pinMap.isEmpty()) {
                List<PinRecord> pins = new ArrayList<>(r.pins);
                pins.sort(Comparator.comparing(PinRecord::role).thenComparingInt(PinRecord::index));
                for (PinRecord p : pins) {
                    pinMap.add(p.role() + p.index() + "@cpu" + (p.requestedCpu() >= 0 ? p.requestedCpu()
                            : p.cpuNow() + "(unpinned)") + "(core " + p.core() + ", pkg " + p.pkg() + ")"
                            + (p.verified() || p.requestedCpu() < 0 ? "" : " NOT VERIFIED: " + p.note()));
                }
            }
            for (PinRecord p : r.pins) {
                if (p.requestedCpu() >= 0 && !p.verified()) {
                    pinsVerified = false;
                }
            }
            if (mode.equals("latency")) {
                timerFloorNanos = r.timerFloorNanos;
            }
            return this;
        }

        /** Adds one tag's latency (percentiles and curve) read from the forks' logs. */
        public Builder latency(String tag, Map<String, Long> percentiles, List<double[]> curve) {
            latency.put(tag, percentiles);
            curves.put(tag, curve);
            return this;
        }

        public TrialTotals build() {
            return new TrialTotals(trials, invariants, violations, speculations, fallbacks, mmOps, keyLayout,
                    trapNanos, trapMeasuredNanos, uretHits, uretEntries, uretReturns, uretReturnsGone, uretSkipped,
                    uretExpiredStable, uretExpiredGone, uretRiDropped, uretGracePeriods, uretGraceNanos,
                    uretGraceMaxNanos, uretReturnP99Nanos, pinMap, pinsVerified, problems, latency, curves,
                    timerFloorNanos, kernelCalls, kernelCounted, stepBoundFallbacks, revalidationFallbacks,
                    translationsUnchecked, List.of(readerAge[0], readerAge[1], readerAge[2]));
        }
    }
}
