package dev.uprobebench.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The return-probe table of a scenario (DESIGN.md section 8): per lifetime design and reader
 * count, entry+return pairs per second, the speed-up from one reader and the ratio to
 * {@code refcount} (both paired by round), beside A. Nakryiko's {@code trig-uretprobe-nop} figures
 * (80-core Xeon Gold 6138, 6.13 series), then what the timer and the uretprobe SRCU domain did.
 */
public final class ReturnProbeTable {
    /** Published thread counts and M/s per design, {@code trig-uretprobe-nop}. */
    static final int[] THREADS = {1, 8, 32, 80};
    static final double[] REFCOUNT = {2.20, 7.32, 5.93, 4.93};
    static final double[] HPROBE = {1.97, 13.66, 45.3, 47.6};

    private ReturnProbeTable() {
    }

    /** Published M/s of {@code design} at {@code threads}, or null (srcu-updown was not published). */
    static Double published(String design, int threads) {
        double[] s = "refcount".equals(design) ? REFCOUNT : "hprobe".equals(design) ? HPROBE : null;
        for (int i = 0; s != null && i < THREADS.length; i++) {
            if (THREADS[i] == threads) {
                return s[i];
            }
        }
        return null;
    }

    /** The Markdown table, or empty when no row had return probes. */
    public static String table(List<Analysis.Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (Analysis.Row r : rows) {
            ConfigOutcome o = r.outcome();
            if (!o.spec().hasUretprobes()) {
                continue;
            }
            if (sb.length() == 0) {
                sb.append(legend()).append("\n\n");
                sb.append("| design | readers | function | instances | entry+return/s | speed-up from 1 reader | "
                        + "× refcount | published M/s (× refcount) | leases expired: stable / gone | returns after GONE | "
                        + "entries skipped | instances dropped | uretprobes_srcu grace periods: n, mean / max ms | "
                        + "return p99 ns |\n");
                sb.append("|---|---:|---|---|---:|---|---|---|---:|---:|---:|---:|---|---:|\n");
            }
            Double perHit = o.entriesPerHit();
            Double pairs = r.hits().n() == 0 || perHit == null ? null : r.hits().mean() * perHit;
            Analysis.Row ref = refcountRow(rows, o);
            String xRef = ref == null || ref == r ? "-"
                    : Estimate.pairedRatio(o.hitsByRound(), ref.outcome().hitsByRound()).formatRatio();
            Double pub = published(o.spec().uretprobe(), o.spec().readers());
            Double pubRef = published("refcount", o.spec().readers());
            String published = pub == null ? "-" : String.format(Locale.ROOT, "%.2f (%.2f)", pub, pub / pubRef);
            sb.append("| ").append(o.spec().uretprobe()).append(" | ").append(o.spec().readers()).append(" | ")
                    .append(o.spec().uretDuration()).append(o.spec().uretDuration().matches("\\d+") ? " hits" : "").append(" | ")
                    .append(o.spec().riAlloc()).append(" | ").append(Format.rate(pairs)).append(" | ")
                    .append(r.speedUp().formatRatio()).append(" | ").append(xRef).append(" | ").append(published)
                    .append(" | ").append(count(o.totals().uretExpiredStable())).append(" / ").append(count(o.totals().uretExpiredGone()))
                    .append(" | ").append(count(o.totals().uretReturnsGone())).append(" | ").append(count(o.totals().uretSkipped()))
                    .append(" | ").append(count(o.totals().uretRiDropped())).append(" | ").append(count(o.totals().uretGracePeriods()))
                    .append(", ").append(o.totals().uretGracePeriods() == 0 ? "-" : ms(o.totals().uretGraceNanos() / o.totals().uretGracePeriods()))
                    .append(" / ").append(o.totals().uretGracePeriods() == 0 ? "-" : ms(o.totals().uretGraceMaxNanos())).append(" | ")
                    .append(o.totals().uretReturnP99Nanos() == 0 ? "-" : count(o.totals().uretReturnP99Nanos())).append(" |\n");
        }
        return sb.toString();
    }

    static String legend() {
        return "Each entry hit pushes a return instance and its return runs after the function's duration; "
                + "entry+return/s is hits/s times the share of hits that pushed one. × refcount is paired by round "
                + "against the refcount design with the same readers and function (95% interval). Published: "
                + "`trig-uretprobe-nop`, 80-core Xeon Gold 6138 (A. Nakryiko, 6.13 series), M/s at 1 / 8 / 32 / 80 "
                + "threads: refcount 2.20 / 7.32 / 5.93 / 4.93, hprobe (SRCU lease) 1.97 / 13.66 / 45.3 / 47.6; "
                + "srcu-updown was not published. The published shape: the lease is slightly slower on one CPU (0.90× "
                + "refcount) and wins by 1.9× at 8 threads and 9.7× at 80, because refcount bounces the uprobe's "
                + "count line on every entry and return. Leases expired: the per-task timer (re-armed on each entry) "
                + "turned a lease into a reference (stable) or found the uprobe dying (gone, and its return ran no "
                + "handler). Hit latency in the table above is the hit with the returns that fell due after it (with "
                + "functions of 0 hits, each entry and its return); return p99 is the return path alone. A "
                + "uretprobes_srcu grace period here is this model's (srcu-updown's costs an RCU grace "
                + "period per drain check, by design), not the kernel's.";
    }

    /** The refcount row with the same readers, function, instances and scenario. */
    private static Analysis.Row refcountRow(List<Analysis.Row> rows, ConfigOutcome o) {
        for (Analysis.Row r : rows) {
            ConfigOutcome c = r.outcome();
            if ("refcount".equals(c.spec().uretprobe()) && c.spec().readers() == o.spec().readers() && Objects.equals(c.spec().scenario(), o.spec().scenario())
                    && Objects.equals(c.spec().riAlloc(), o.spec().riAlloc()) && Objects.equals(c.spec().rcuFlavour(), o.spec().rcuFlavour())) {
                return r;
            }
        }
        return null;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }
}
