package dev.uprobebench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one configuration of a run, built from what its forks produced: the plan's
 * {@link ConfigSpec}, one {@link ForkRecord} per finished throughput fork, the {@link TrialTotals}
 * read from the forks' trial records, and where it stands ({@link Status}). Immutable: the run
 * makes a new one whenever a fork finishes ({@code with...}); the report, compare, fleet, exports
 * and history read it and nothing else. {@link OutcomeJson} stores it in {@code invariants.json}.
 *
 * @param message why the status is not {@link Status#OK} (null when it is)
 * @param forks the finished throughput forks, in the order they ran
 * @param flamegraphs flame graph files relative to the report, when profiling ran
 * @param runProblems problems the run itself met (a flame graph that could not be drawn), beside the forks' own
 */
public record ConfigOutcome(ConfigSpec spec, Status status, String message, List<ForkRecord> forks,
        TrialTotals totals, List<String> flamegraphs, List<String> runProblems) {
    /**
     * The report format: 2 since rounds (every fork's round and score in {@code invariants.json});
     * a report records it in {@code environment.json} as {@code reportFormat} (absent means 1), and
     * {@code compare} refuses another format with an error that names it.
     */
    public static final int REPORT_FORMAT = 2;

    public ConfigOutcome {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        forks = List.copyOf(forks);
        totals = totals == null ? TrialTotals.NONE : totals;
        flamegraphs = List.copyOf(flamegraphs);
        runProblems = List.copyOf(runProblems);
    }

    /** A planned configuration before any fork. */
    public static ConfigOutcome pending(ConfigSpec spec) {
        return new ConfigOutcome(spec, Status.PENDING, null, List.of(), TrialTotals.NONE, List.of(), List.of());
    }

    public ConfigOutcome withStatus(Status s, String why) {
        return new ConfigOutcome(spec, s, why, forks, totals, flamegraphs, runProblems);
    }

    /** With one more finished throughput fork. */
    public ConfigOutcome withFork(ForkRecord f) {
        List<ForkRecord> l = new ArrayList<>(forks);
        l.add(f);
        return new ConfigOutcome(spec, status, message, l, totals, flamegraphs, runProblems);
    }

    /** With every fork replaced (tests, and reports read back). */
    public ConfigOutcome withForks(List<ForkRecord> l) {
        return new ConfigOutcome(spec, status, message, l, totals, flamegraphs, runProblems);
    }

    /** With the totals of a new collection of the trial records (they replace, never add to, the old). */
    public ConfigOutcome withTotals(TrialTotals t) {
        return new ConfigOutcome(spec, status, message, forks, t, flamegraphs, runProblems);
    }

    /** With more flame graph files. */
    public ConfigOutcome withFlamegraphs(List<String> files) {
        List<String> l = new ArrayList<>(flamegraphs);
        l.addAll(files);
        return new ConfigOutcome(spec, status, message, forks, totals, l, runProblems);
    }

    /** With one more problem of the run's own (listed once). */
    public ConfigOutcome withProblem(String p) {
        if (runProblems.contains(p)) {
            return this;
        }
        List<String> l = new ArrayList<>(runProblems);
        l.add(p);
        return new ConfigOutcome(spec, status, message, forks, totals, flamegraphs, l);
    }

    public String id() {
        return spec.id();
    }

    /** Every problem: the forks' (named by fork), then the run's. */
    public List<String> problems() {
        List<String> l = new ArrayList<>(totals.problems());
        l.addAll(runProblems);
        return l;
    }

    /** The forks whose scores count: every one but those a profiler ran in. */
    public List<ForkRecord> scored() {
        return forks.stream().filter(f -> !f.profiled()).toList();
    }

    /** The forks a profiler ran in: their scores are shown apart, never in an estimate. */
    public List<ForkRecord> profiledForks() {
        return forks.stream().filter(ForkRecord::profiled).toList();
    }

    /** Reader hits per second over all readers, mean over the scored forks; null before the first. */
    public Double hitsPerSec() {
        return scored().isEmpty() ? null : Estimate.mean(forkHitsPerSec());
    }

    /** Writer operations per second, mean over the scored forks; null without writers or forks. */
    public Double writerOpsPerSec() {
        return scored().isEmpty() || spec.writers() == 0 ? null : Estimate.mean(forkWriterOpsPerSec());
    }

    /** The round of each throughput fork, in the order run; aligned with the lists below. */
    public List<Integer> forkRounds() {
        return scored().stream().map(ForkRecord::round).toList();
    }

    /** Each throughput fork's hits/s. */
    public List<Double> forkHitsPerSec() {
        return scored().stream().map(ForkRecord::hitsPerSec).toList();
    }

    /** Each throughput fork's writer operations/s (0 without writers). */
    public List<Double> forkWriterOpsPerSec() {
        return scored().stream().map(ForkRecord::writerOpsPerSec).toList();
    }

    /** JMH's own per-iteration error of each fork: a diagnostic only. */
    public List<Double> forkJmhErrors() {
        return scored().stream().map(ForkRecord::jmhError).toList();
    }

    /** The last scored fork's misses per iteration, when counted. */
    public Double missesPerIteration() {
        List<ForkRecord> s = scored();
        return s.isEmpty() ? null : s.get(s.size() - 1).missesPerIteration();
    }

    /** The last scored fork's retries per iteration, when counted. */
    public Double retriesPerIteration() {
        List<ForkRecord> s = scored();
        return s.isEmpty() ? null : s.get(s.size() - 1).retriesPerIteration();
    }

    /** The last scored fork's gc.alloc.rate.norm (bytes per operation), when the gc profiler ran. */
    public Double allocBytesPerOp() {
        List<ForkRecord> s = scored();
        return s.isEmpty() ? null : s.get(s.size() - 1).allocBytesPerOp();
    }

    /** Hits/s of each fork by its round, for ratios paired by round. */
    public Map<Integer, Double> hitsByRound() {
        Map<Integer, Double> m = new LinkedHashMap<>();
        for (ForkRecord f : scored()) {
            m.put(f.round(), f.hitsPerSec());
        }
        return m;
    }

    /** Entries (each with its return) per hit, over every trial; null without return probes or hits. */
    public Double entriesPerHit() {
        return totals.uretHits() == 0 ? null : (double) totals.uretEntries() / totals.uretHits();
    }

    /** Share of speculative lookups that failed and took the lock, or null when none was tried. */
    public Double speculationFailureRate() {
        return totals.speculations() == 0 ? null : (double) totals.fallbacks() / totals.speculations();
    }

    /** Numbers that may be ranked: finished, checked, clean, and not the negative control. */
    public boolean valid() {
        return status == Status.OK && totals.violations() == 0 && totals.trials() > 0 && !spec.negativeControl();
    }

    /** Labels that qualify the numbers: INVALID, UNPINNED, ... (empty when clean). */
    public List<String> qualifiers() {
        List<String> q = new ArrayList<>();
        if (spec.negativeControl()) {
            q.add("NEGATIVE CONTROL: unsafe by design");
        }
        long violations = totals.violations();
        if (violations > 0) {
            q.add("INVALID: " + violations + " invariant violation" + (violations == 1 ? "" : "s"));
        } else if (status == Status.OK && totals.trials() == 0) {
            q.add("UNCHECKED: no trial record");
        }
        if (spec.oversubscribed()) {
            q.add("OVERSUBSCRIBED: more threads than CPUs");
        }
        if ("none".equals(spec.pinPolicy())) {
            q.add("UNPINNED");
        } else if (status == Status.OK && !totals.pinsVerified()) {
            q.add("PINNING NOT VERIFIED");
        }
        return q;
    }
}
