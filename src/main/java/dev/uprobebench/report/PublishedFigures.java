package dev.uprobebench.report;

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
    /** Our back-end name to the published series (M hits/s at {@link #THREADS}). */
    static final Map<String, double[]> SERIES = new LinkedHashMap<>();
    /** percpu-rwsem vs rwlock, published at 1, 2 and 20 threads: {threads, rwsem, rwlock}. */
    static final double[][] RWSEM_VS_RWLOCK = {{1, 3.14, 3.13}, {2, 3.60, 3.39}, {20, 2.84, 2.56}};

    static {
        SERIES.put("rwlock", new double[] {3.03, 3.45, 3.66, 3.72, 3.34, 2.29, 3.21});
        SERIES.put("srcu", new double[] {3.28, 4.13, 7.71, 8.10, 6.50, 4.40, 6.45});
        SERIES.put("seqcount-rcu", new double[] {3.40, 4.27, 8.50, 10.36, 7.62, 4.43, 6.89});
    }

    private PublishedFigures() {
    }

    static Double published(String backend, int threads) {
        double[] s = SERIES.get(backend);
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

    /** The valid no-flavour-duplicate result of {@code backend} at {@code readers} in a scenario. */
    private static ConfigOutcome find(List<ConfigOutcome> scenario, String backend, int readers) {
        for (ConfigOutcome o : scenario) {
            if (o.backend.equals(backend) && o.readers == readers && o.hitsPerSec != null && o.valid()
                    && (o.rcuFlavour == null || o.rcuFlavour.equals("-") || o.rcuFlavour.equals("qsbr"))) {
                return o;
            }
        }
        return null;
    }

    /**
     * A Markdown table of speed-ups from one reader, ours beside the published ones, for a
     * scenario with at least two reader counts; empty when there is nothing to hold against.
     */
    public static String speedUpTable(List<ConfigOutcome> scenario) {
        List<Integer> readers = new ArrayList<>();
        for (ConfigOutcome o : scenario) {
            if (!readers.contains(o.readers) && o.readers > 1 && published("rwlock", o.readers) != null) {
                readers.add(o.readers);
            }
        }
        readers.sort(Integer::compare);
        List<String> backends = new ArrayList<>();
        for (String b : SERIES.keySet()) {
            if (find(scenario, b, 1) != null && readers.stream().anyMatch(r -> find(scenario, b, r) != null)) {
                backends.add(b);
            }
        }
        if (backends.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Speed-up from 1 reader to N (hits/s at N over hits/s at 1): ours, then published in brackets "
                + "(`bench trig-uprobe-nop`, 80-core Xeon Gold 6138, Nakryiko v3 cover letter, Aug 2024; "
                + "`seqcount-rcu` is held against RCU Tasks Trace). Expect `rwlock` flat or falling and the RCU "
                + "family near linear once nothing shared is written on the hit path.\n\n| readers |");
        backends.forEach(b -> sb.append(' ').append(b).append(" |"));
        sb.append("\n|---:|");
        backends.forEach(b -> sb.append("---:|"));
        sb.append('\n');
        for (int r : readers) {
            sb.append("| ").append(r).append(" |");
            for (String b : backends) {
                ConfigOutcome one = find(scenario, b, 1);
                ConfigOutcome at = find(scenario, b, r);
                double pub = published(b, r) / published(b, 1);
                sb.append(at == null ? " - " : String.format(Locale.ROOT, " %.2f", at.hitsPerSec / one.hitsPerSec))
                        .append(String.format(Locale.ROOT, " (%.2f) |", pub));
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
