package dev.uprobebench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Synthetic outcomes for report tests: what a finished run's invariants.json holds. */
final class Outcomes {
    private Outcomes() {
    }

    static ConfigOutcome of(String backend, int readers, String churn, double hits, long violations) {
        ConfigOutcome o = new ConfigOutcome();
        int writers = churn.equals("0") ? 0 : 1;
        o.backend = backend;
        o.label = backend;
        o.backendKey = backend;
        o.configKey = "r" + readers + "_w" + writers + "_churn-" + churn + "_s1024_uniform_h0";
        o.id = o.backendKey + "_" + o.configKey;
        o.rcuFlavour = "-";
        o.readers = readers;
        o.writers = writers;
        o.churn = churn;
        o.stable = 1024;
        o.distribution = "uniform";
        o.scenario = churn.equals("0") ? "no churn, 1024 stable uprobes" : "churn max x 1 writer, 1024 stable uprobes";
        o.pinPolicy = "physical";
        o.status = ConfigOutcome.OK;
        double[] spread = {0.99, 1.0, 1.01}; // three forks, one per round, 1% apart
        for (int round = 1; round <= spread.length; round++) {
            o.addFork(round, hits * spread[round - 1], writers == 0 ? 0 : 1e5 * spread[round - 1], hits / 100);
        }
        o.trials = 2;
        o.violations = violations;
        o.invariants.put("use-after-free", violations);
        o.invariants.put("leak", 0L);
        o.pinsVerified = true;
        o.pinMap.add("reader0@cpu0(core 0, pkg 0)");
        List<double[]> curve = new ArrayList<>();
        for (double p : Histograms.CURVE_PERCENTILES) {
            curve.add(new double[] {p, 50 + p * 10});
        }
        o.curves.put("hit", curve);
        o.latency.put("hit", Map.of("p50", 60L, "p99", 90L, "p99.9", 120L, "max", 9000L, "count", 1000L));
        if (writers > 0) {
            o.curves.put("unregister", curve);
            o.latency.put("unregister", Map.of("p50", 600L, "p99", 9000L, "p99.9", 12000L, "max", 90000L,
                    "count", 100L));
        }
        return o;
    }

    /** {@link #of} with the given per-fork hits/s, rounds 1, 2, ... */
    static ConfigOutcome withForks(String backend, int readers, double... forks) {
        ConfigOutcome o = of(backend, readers, "0", 1, 0);
        o.forkRounds.clear();
        o.forkHitsPerSec.clear();
        o.forkWriterOpsPerSec.clear();
        o.forkJmhErrors.clear();
        for (int i = 0; i < forks.length; i++) {
            o.addFork(i + 1, forks[i], 0, 0);
        }
        return o;
    }

    /** Two scenarios, three back-ends, one and two readers; seqcount-rcu-rfc broke an invariant. */
    static List<ConfigOutcome> sample() {
        List<ConfigOutcome> l = new ArrayList<>();
        for (String churn : List.of("0", "max")) {
            for (String b : List.of("unsync", "rwlock", "srcu", "seqcount-rcu-rfc")) {
                if (b.equals("unsync") && !churn.equals("0")) {
                    continue;
                }
                for (int r = 1; r <= 2; r++) {
                    l.add(of(b, r, churn, 1e7 * r * (b.equals("rwlock") ? 0.5 : 1), b.endsWith("rfc") ? 3 : 0));
                }
            }
        }
        return l;
    }
}
