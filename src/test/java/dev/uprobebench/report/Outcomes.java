package dev.uprobebench.report;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Synthetic outcomes for report tests: what a finished run's invariants.json holds. */
public final class Outcomes {
    private Outcomes() {
    }

    public static ConfigOutcome of(String backend, int readers, String churn, double hits, long violations) {
        int writers = churn.equals("0") ? 0 : 1;
        String configKey = "r" + readers + "_w" + writers + "_churn-" + churn + "_s1024_uniform_h0";
        ConfigSpec spec = new ConfigSpec(backend + "_" + configKey, backend, configKey, backend,
                churn.equals("0") ? "no churn, 1024 stable uprobes" : "churn max x 1 writer, 1024 stable uprobes",
                backend, "-", readers, writers, churn, 1024, "uniform", 0, null, 0, null, null, null, null,
                "physical", false, false);
        double[] spread = {0.99, 1.0, 1.01}; // three forks, one per round, 1% apart
        List<ForkRecord> forks = new ArrayList<>();
        for (int round = 1; round <= spread.length; round++) {
            forks.add(new ForkRecord(round, hits * spread[round - 1], writers == 0 ? 0 : 1e5 * spread[round - 1],
                    hits / 100, null, null, null));
        }
        Map<String, Long> invariants = new LinkedHashMap<>();
        invariants.put("use-after-free", violations);
        invariants.put("leak", 0L);
        List<double[]> curve = new ArrayList<>();
        for (double p : Histograms.CURVE_PERCENTILES) {
            curve.add(new double[] {p, 50 + p * 10});
        }
        TrialTotals.Builder t = new TrialTotals.Builder().trials(2).violations(violations).invariants(invariants)
                .pinsVerified(true).pinMap(List.of("reader0@cpu0(core 0, pkg 0)"))
                .latency("hit", Map.of("p50", 60L, "p99", 90L, "p99.9", 120L, "max", 9000L, "count", 1000L), curve);
        if (writers > 0) {
            t.latency("unregister", Map.of("p50", 600L, "p99", 9000L, "p99.9", 12000L, "max", 90000L, "count", 100L),
                    curve);
        }
        return new ConfigOutcome(spec, Status.OK, null, forks, t.build(), List.of(), List.of());
    }

    /** {@link #of} with the given per-fork hits/s, rounds 1, 2, ... */
    public static ConfigOutcome withForks(String backend, int readers, double... forks) {
        List<ForkRecord> l = new ArrayList<>();
        for (int i = 0; i < forks.length; i++) {
            l.add(new ForkRecord(i + 1, forks[i], 0, 0, null, null, null));
        }
        return of(backend, readers, "0", 1, 0).withForks(l);
    }

    /** Two scenarios, three back-ends, one and two readers; seqcount-rcu-rfc broke an invariant. */
    public static List<ConfigOutcome> sample() {
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

    /**
     * {@code o} with one component of its {@link ConfigSpec} or {@link TrialTotals} replaced,
     * named as in {@code invariants.json} ({@code "vmaLookup"}, {@code "speculations"}).
     */
    public static ConfigOutcome with(ConfigOutcome o, String key, Object value) {
        if (has(ConfigSpec.class, key)) {
            return new ConfigOutcome(copy(o.spec(), key, value), o.status(), o.message(), o.forks(), o.totals(),
                    o.flamegraphs(), o.runProblems());
        }
        if (has(TrialTotals.class, key)) {
            return o.withTotals(copy(o.totals(), key, value));
        }
        throw new IllegalArgumentException("no component " + key + " in ConfigSpec or TrialTotals");
    }

    /** {@code o} with {@code id} made again from its back-end and configuration keys. */
    public static ConfigOutcome renamed(ConfigOutcome o) {
        return with(o, "id", o.spec().backendKey() + "_" + o.spec().configKey());
    }

    private static boolean has(Class<? extends Record> type, String key) {
        return Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals(key));
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R copy(R r, String key, Object value) {
        try {
            RecordComponent[] cs = r.getClass().getRecordComponents();
            Object[] args = new Object[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                args[i] = cs[i].getName().equals(key) ? value : cs[i].getAccessor().invoke(r);
            }
            return (R) r.getClass().getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + r.getClass().getSimpleName() + " with " + key, e);
        }
    }
}
