package dev.uprobebench.report;

import dev.uprobebench.registry.Backend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the pages say about a run's numbers, computed once from the per-fork scores:
 * estimates with intervals, ratios paired by round, speed-ups, ranks and flags. The renderers
 * (summary, page, plots) only format it.
 */
public final class Analysis {
    public static final String NOISY = "NOISY";
    public static final String SUSPECT = "SUSPECT";

    /**
     * One configuration's figures.
     *
     * @param hits     hits/s over all readers, estimated over forks
     * @param writer   writer operations/s (NONE without writers)
     * @param xUnsync  hits over the no-churn {@code unsync} ceiling with the same readers, paired by round
     * @param xRwlock  hits over {@code rwlock} in the same configuration, paired by round
     * @param speedUp  hits over the same back-end and scenario at one reader, paired by round
     * @param flags    NOISY and SUSPECT, each with its reason
     * @param rank     place among valid results with the same readers in the scenario, or null
     */
    public record Row(ConfigOutcome outcome, Estimate hits, Estimate writer, Estimate xUnsync, Estimate xRwlock,
            Estimate speedUp, List<String> flags, Integer rank) {

        /** Flags and qualifiers (INVALID, UNPINNED, ...) in one line, or "valid". */
        public String verdict() {
            if (outcome.status() != Status.OK) {
                return outcome.status().name();
            }
            List<String> all = new ArrayList<>(outcome.qualifiers());
            all.addAll(flags);
            return all.isEmpty() ? "valid" : String.join("; ", all);
        }
    }

    private final List<Row> rows;
    private final Map<String, List<Row>> byScenario;

    private Analysis(List<Row> rows) {
        this.rows = List.copyOf(rows);
        Map<String, List<Row>> m = new LinkedHashMap<>();
        for (Row r : rows) {
            m.computeIfAbsent(r.outcome().spec().scenario(), k -> new ArrayList<>()).add(r);
        }
        // Labels in the order they first appear, readers ascending within a label: one total order
        // (a comparator that calls rows of different labels equal is not transitive, and TimSort
        // may then misplace rows or throw).
        m.replaceAll((k, v) -> {
            Map<String, Integer> firstSeen = new LinkedHashMap<>();
            v.forEach(r -> firstSeen.putIfAbsent(r.outcome().spec().label(), firstSeen.size()));
            List<Row> l = new ArrayList<>(v);
            l.sort(Comparator.comparingInt((Row r) -> firstSeen.get(r.outcome().spec().label()))
                    .thenComparingInt(r -> r.outcome().spec().readers()));
            return List.copyOf(l);
        });
        this.byScenario = m;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Every row's outcome, in row order. */
    public List<ConfigOutcome> outcomes() {
        List<ConfigOutcome> l = new ArrayList<>();
        rows.forEach(r -> l.add(r.outcome()));
        return l;
    }

    /**
     * A speed-up from 1 reader above the reader ratio: beyond its interval where it has one, else
     * on its estimate.
     */
    public static boolean exceedsReaderRatio(Estimate speedUp, int readers) {
        return speedUp.n() > 0 && (speedUp.hasInterval() ? speedUp.low() > readers : speedUp.mean() > readers);
    }

    /** Rows grouped by scenario (the question a table answers), each back-end's rows by readers. */
    public Map<String, List<Row>> byScenario() {
        return byScenario;
    }

    public static Analysis of(List<ConfigOutcome> outcomes) {
        // Grubbs runs once per configuration with 3 forks or more: at 5% each, most reports of 17 rows
        // would flag one by chance, so the level is shared among them (Bonferroni).
        long tested = outcomes.stream().filter(o -> o.forkHitsPerSec().size() >= 3).count();
        double grubbsAlpha = GRUBBS_FAMILY_ALPHA / Math.max(1, tested);
        List<Row> draft = new ArrayList<>();
        for (ConfigOutcome o : outcomes) {
            Estimate hits = Estimate.of(o.forkHitsPerSec());
            Estimate writer = o.spec().writers() == 0 ? Estimate.NONE : Estimate.of(o.forkWriterOpsPerSec());
            // The host kernel's rows are not read against the model's ceiling or baseline: a real trap
            // against a model without one says nothing (the model-vs-kernel table compares scaling).
            boolean model = role(o) != Backend.Role.REFERENCE;
            ConfigOutcome ceiling = !model ? null : find(outcomes, c -> role(c) == Backend.Role.CEILING && c.spec().readers() == o.spec().readers()
                    && c.spec().stable() == o.spec().stable() && Objects.equals(c.spec().distribution(), o.spec().distribution())
                    && c.spec().handlerWork() == o.spec().handlerWork() && Objects.equals(c.spec().vmaLookup(), o.spec().vmaLookup())
                    && Objects.equals(c.spec().mmChurn(), o.spec().mmChurn()));
            ConfigOutcome base = !model ? null : find(outcomes, c -> role(c) == Backend.Role.BASELINE && c.spec().readers() == o.spec().readers()
                    && Objects.equals(c.spec().scenario(), o.spec().scenario()));
            ConfigOutcome one = o.spec().readers() == 1 ? null : find(outcomes, c -> c.spec().readers() == 1
                    && Objects.equals(c.spec().backendKey(), o.spec().backendKey()) && Objects.equals(c.spec().scenario(), o.spec().scenario()));
            Estimate xUnsync = ceiling == null ? Estimate.NONE : Estimate.pairedRatio(o.hitsByRound(), ceiling.hitsByRound());
            Estimate xRwlock = base == null ? Estimate.NONE : Estimate.pairedRatio(o.hitsByRound(), base.hitsByRound());
            Estimate speedUp = one == null ? Estimate.NONE : Estimate.pairedRatio(o.hitsByRound(), one.hitsByRound());
            draft.add(new Row(o, hits, writer, xUnsync, xRwlock, speedUp, flags(o, hits, xUnsync, speedUp, grubbsAlpha),
                    null));
        }
        List<Row> ranked = new ArrayList<>();
        for (Row r : draft) {
            ranked.add(new Row(r.outcome(), r.hits(), r.writer(), r.xUnsync(), r.xRwlock(), r.speedUp(), r.flags(),
                    rank(r, draft)));
        }
        return new Analysis(ranked);
    }

    private static Backend.Role role(ConfigOutcome c) {
        try {
            return Backend.byName(c.spec().backend()).role();
        } catch (IllegalArgumentException e) {
            return null; // a back-end this version no longer has
        }
    }

    private static ConfigOutcome find(List<ConfigOutcome> all, java.util.function.Predicate<ConfigOutcome> p) {
        for (ConfigOutcome c : all) {
            if (!c.forkHitsPerSec().isEmpty() && p.test(c)) {
                return c;
            }
        }
        return null;
    }

    /** The chance that a report of identical, well-behaved forks flags any configuration's forks as disagreeing. */
    static final double GRUBBS_FAMILY_ALPHA = 0.05;

    static List<String> flags(ConfigOutcome o, Estimate hits, Estimate xUnsync, Estimate speedUp, double grubbsAlpha) {
        List<String> f = new ArrayList<>();
        if (hits.n() == 0) {
            return f;
        }
        if (hits.noisy()) {
            f.add(hits.hasInterval()
                    ? String.format(Locale.ROOT, "%s: interval ±%.1f%% (over ±%.0f%%)", NOISY,
                            100 * hits.relativeHalfWidth(), 100 * Estimate.NOISY_HALF_WIDTH)
                    : NOISY + ": one fork, no interval");
        }
        if (exceedsReaderRatio(speedUp, o.spec().readers())) {
            f.add(String.format(Locale.ROOT, "%s: speed-up %s from 1 to %d readers exceeds the reader ratio",
                    SUSPECT, speedUp.formatRatio(), o.spec().readers()));
        }
        if (role(o) != Backend.Role.CEILING && role(o) != Backend.Role.FLOOR && xUnsync.n() > 0
                && (xUnsync.hasInterval() ? xUnsync.low() > 1 : xUnsync.mean() > 1)) {
            f.add(String.format(Locale.ROOT, "%s: above the unsync ceiling (x unsync %s)", SUSPECT,
                    xUnsync.formatRatio()));
        }
        if (hits.floored()) {
            f.add(String.format(Locale.ROOT, "%s: forks agree within %.1f%% (the interval uses that floor, not a zero "
                    + "spread)", SUSPECT, 100 * Estimate.MIN_CV));
        }
        int out = hits.outlier(grubbsAlpha);
        if (out >= 0) {
            f.add(String.format(Locale.ROOT, "%s: forks disagree (round %d is an outlier, Grubbs at 5%% over the "
                    + "report)", SUSPECT,
                    o.forkRounds().size() > out ? o.forkRounds().get(out) : out + 1));
        }
        return f;
    }

    /** Designs (and the ceiling, the baseline) are ranked; the null baseline and the host kernel are not. */
    private static boolean ranked(Backend.Role role) {
        return role != Backend.Role.FLOOR && role != Backend.Role.REFERENCE;
    }

    private static Integer rank(Row r, List<Row> all) {
        ConfigOutcome o = r.outcome();
        if (!o.valid() || r.hits().n() == 0 || !ranked(role(o))) {
            return null; // the null baseline and the host kernel are not designs: read against, not ranked
        }
        List<Row> peers = new ArrayList<>();
        for (Row p : all) {
            if (p.outcome().spec().readers() == o.spec().readers() && Objects.equals(p.outcome().spec().scenario(), o.spec().scenario())
                    && p.outcome().valid() && p.hits().n() > 0 && ranked(role(p.outcome()))) {
                peers.add(p);
            }
        }
        peers.sort(Comparator.comparingDouble((Row p) -> p.hits().mean()).reversed());
        return peers.indexOf(r) + 1;
    }
}
