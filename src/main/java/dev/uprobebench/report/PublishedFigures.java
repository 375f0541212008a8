package dev.uprobebench.report;

import dev.uprobebench.registry.Backend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The published figures our results are held against (DESIGN.md section 1): BPF selftests
 * {@code bench trig-uprobe-nop}, M hits/s in total, 80-core Xeon Gold 6138, from Andrii Nakryiko's
 * v3 cover letter (Aug 2024), and his per-CPU RW semaphore figures (v2 12/12). Absolute numbers
 * do not transfer between a kernel and this model; the shape does: the speed-up from one reader to
 * N, and the ratio of one design to another at the same N.
 */
public final class PublishedFigures {
    static final int[] THREADS = {1, 2, 4, 8, 16, 32, 64};
    /** Published series by name ({@link Backend#publishedSeries()}): M hits/s at {@link #THREADS}. */
    static final Map<String, double[]> SERIES = new LinkedHashMap<>();
    /** percpu-rwsem vs rwlock, published at 1, 2 and 20 threads: {threads, rwsem, rwlock}. */
    static final double[][] RWSEM_VS_RWLOCK = {{1, 3.14, 3.13}, {2, 3.60, 3.39}, {20, 2.84, 2.56}};

    static {
        SERIES.put("rwlock", new double[] {3.03, 3.45, 3.66, 3.72, 3.34, 2.29, 3.21});
        SERIES.put("SRCU", new double[] {3.28, 4.13, 7.71, 8.10, 6.50, 4.40, 6.45});
        SERIES.put("RCU Tasks Trace", new double[] {3.40, 4.27, 8.50, 10.36, 7.62, 4.43, 6.89});
    }

    private PublishedFigures() {
    }

    static Double published(String series, int threads) {
        double[] s = series == null ? null : SERIES.get(series);
        if (s == null) {
            return null;
        }
        for (int i = 0; i < THREADS.length; i++) {
            if (THREADS[i] == threads) {
                return s[i];
            }
        }
        return null;
    }

    /** The published series a configuration's back-end is held against, or null. */
    static String seriesOf(ConfigOutcome o) {
        try {
            return Backend.byName(o.spec().backend()).publishedSeries();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Which of our VMA lookups the published curves are like-for-like with: they took
     * {@code mmap_read_lock} on every hit (up to 6.13); 6.14's speculative lookup was published at 1
     * and 80 CPUs only.
     */
    static String vmaNote(List<Analysis.Row> scenario) {
        String vma = scenario.isEmpty() || scenario.get(0).outcome().spec().vmaLookup() == null ? "none"
                : scenario.get(0).outcome().spec().vmaLookup();
        switch (vma) {
            case "mmap-lock":
                return "This scenario takes `mmap_read_lock` on every hit, as the published runs did: like for like.";
            case "speculative":
                return String.format(Locale.ROOT, "This scenario uses 6.14's speculative VMA lookup; the published "
                        + "6.14 figures are %.2f M/s on 1 CPU and %.0f M/s on 80 (a speed-up of %.1f), not the "
                        + "series below, which still paid `mmap_read_lock`.", SPECULATIVE_1, SPECULATIVE_80,
                        SPECULATIVE_80 / SPECULATIVE_1);
            default:
                return "This scenario has no VMA lookup (the registry alone); the published series below also paid "
                        + "`mmap_read_lock`, so the `mmap-lock` scenario of the `vma` profile is the like-for-like one.";
        }
    }

    /** 6.14 speculative lookup, "uprobes: add speculative lockless VMA-to-inode-to-uprobe resolution": M hits/s. */
    static final double SPECULATIVE_1 = 3.53;
    static final double SPECULATIVE_80 = 142;

    /** The valid row of {@code backend} at {@code readers}, default RCU flavour, with a paired speed-up. */
    private static Analysis.Row find(List<Analysis.Row> scenario, String backend, int readers) {
        for (Analysis.Row r : scenario) {
            ConfigOutcome o = r.outcome();
            if (o.spec().backend().equals(backend) && o.spec().readers() == readers && r.speedUp().n() > 0 && o.valid()
                    && !o.spec().hasUretprobes() // return-probe rows have their own table
                    && o.spec().defaultRcuFlavour()) {
                return r;
            }
        }
        return null;
    }

    /**
     * A Markdown table of speed-ups from one reader (paired by round, with their 95% intervals),
     * ours beside the published ones, for a scenario with at least two reader counts; empty when
     * there is nothing to hold against. A speed-up above the reader ratio is marked SUSPECT.
     */
    public static String speedUpTable(List<Analysis.Row> scenario) {
        List<Integer> readers = new ArrayList<>();
        Map<String, String> backends = new LinkedHashMap<>(); // our name -> published series
        for (Analysis.Row r : scenario) {
            ConfigOutcome o = r.outcome();
            String series = seriesOf(o);
            if (o.spec().hasUretprobes() || series == null || published(series, o.spec().readers()) == null || find(scenario, o.spec().backend(), o.spec().readers()) == null) {
                continue;
            }
            if (!readers.contains(o.spec().readers())) {
                readers.add(o.spec().readers());
            }
            backends.putIfAbsent(o.spec().backend(), series);
        }
        if (backends.isEmpty()) {
            return "";
        }
        readers.sort(Integer::compare);
        StringBuilder sb = new StringBuilder();
        sb.append("Speed-up from 1 reader to N (hits/s at N over hits/s at 1, paired by round, 95% interval): ours, "
                + "then published in brackets (`bench trig-uprobe-nop`, 80-core Xeon Gold 6138, Nakryiko's cover "
                + "letters, Aug 2024). Expect `rwlock` flat or falling and the RCU family near linear once nothing "
                + "shared is written on the hit path; the published curves also paid `mmap_lock` on every hit. A "
                + "speed-up above N beyond its interval is impossible here and marked SUSPECT. "
                + vmaNote(scenario) + "\n\n| readers |");
        backends.forEach((b, series) -> sb.append(' ').append(b).append(" (").append(series).append(") |"));
        sb.append("\n|---:|");
        backends.forEach((b, series) -> sb.append("---|"));
        sb.append('\n');
        for (int n : readers) {
            sb.append("| ").append(n).append(" |");
            for (Map.Entry<String, String> b : backends.entrySet()) {
                Analysis.Row at = find(scenario, b.getKey(), n);
                double pub = published(b.getValue(), n) / published(b.getValue(), 1);
                String ours = at == null ? "-" : at.speedUp().formatRatio()
                        + (Analysis.exceedsReaderRatio(at.speedUp(), n) ? " **SUSPECT**" : "");
                sb.append(' ').append(ours).append(String.format(Locale.ROOT, " (%.2f) |", pub));
            }
            sb.append('\n');
        }
        sb.append("\nPublished percpu-rwsem / rwlock at the same thread count: ");
        List<String> parts = new ArrayList<>();
        for (double[] p : RWSEM_VS_RWLOCK) {
            parts.add(String.format(Locale.ROOT, "%.2f at %d", p[1] / p[2], (int) p[0]));
        }
        sb.append(String.join(", ", parts)).append(".\n");
        return sb.toString();
    }
}
