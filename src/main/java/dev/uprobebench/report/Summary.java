package dev.uprobebench.report;

import dev.uprobebench.registry.Backend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code summary.md}: one table per question (scenario) with throughput per back-end and reader
 * count, ratios to {@code unsync} and {@code rwlock}, hit and writer latency and the invariant
 * verdict; then the invariant counts, the pinning map, and what is missing and why. Plain
 * Markdown, so that it pastes into a mailing-list post or a pull request.
 */
public final class Summary {
    /** Run-level facts shown at the top. */
    public record Header(String profile, String question, String started, String machine, String jvm,
            String pinning, String rounds, List<String> warnings, List<String> notes, String state) {
        public Header withState(String newState) {
            return new Header(profile, question, started, machine, jvm, pinning, rounds, warnings, notes, newState);
        }

        public Header withRounds(String newRounds) {
            return new Header(profile, question, started, machine, jvm, pinning, newRounds, warnings, notes, state);
        }
    }

    private Summary() {
    }

    /**
     * The report's one page, in Markdown: {@code summary.md} as it is, and {@code index.html} as
     * {@link HtmlPage} renders it (plots embedded there, linked here: {@code plots/<name>.png|svg}).
     */
    public static String render(Header h, Analysis analysis, Map<String, ScenarioPlots> plots,
            List<String> plotProblems, java.util.function.Predicate<String> exists) {
        List<ConfigOutcome> outcomes = analysis.outcomes();
        StringBuilder sb = new StringBuilder();
        sb.append("# uprobe-bench: profile `").append(h.profile()).append("`\n\n");
        if (!h.question().isEmpty()) {
            sb.append("> ").append(h.question()).append("\n\n");
        }
        long done = outcomes.stream().filter(o -> o.status() == Status.OK).count();
        long invalid = outcomes.stream().filter(o -> o.totals().violations() > 0).count();
        sb.append("- state: **").append(h.state()).append("**, ").append(done).append(" of ").append(outcomes.size())
                .append(" configurations finished").append(invalid > 0 ? ", **" + invalid + " INVALID**" : "")
                .append('\n');
        sb.append("- started: ").append(h.started()).append('\n');
        sb.append("- machine: ").append(h.machine()).append('\n');
        sb.append("- JVM: ").append(h.jvm()).append('\n');
        sb.append("- pinning: ").append(h.pinning()).append('\n');
        sb.append("- rounds: ").append(h.rounds()).append('\n');
        Map<String, Long> floor = timerFloor(outcomes);
        if (!floor.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "- timer floor (an empty timed section): p50 %d ns, p99 %d ns, "
                    + "p99.9 %d ns; hit latencies near these are the timer, not the hit%n", floor.get("p50"),
                    floor.get("p99"), floor.get("p99.9")));
        }
        for (String line : workloadLines(outcomes)) {
            sb.append("- ").append(line).append('\n');
        }
        String lineage = lineage(outcomes);
        if (!lineage.isEmpty()) {
            sb.append("- lineage: ").append(lineage).append('\n');
        }
        for (String w : h.warnings()) {
            sb.append("- machine warning: ").append(w).append('\n');
        }
        sb.append('\n');

        for (Map.Entry<String, List<Analysis.Row>> e : analysis.byScenario().entrySet()) {
            sb.append("## ").append(e.getKey()).append("\n\n");
            ScenarioPlots sp = plots.getOrDefault(e.getKey(), ScenarioPlots.NONE);
            for (int i = 0; i < sp.saved().size(); i++) {
                String plot = sp.saved().get(i).name();
                sb.append("![plot ").append(plot).append(": ").append(String.join(", ", sp.series().get(i)))
                        .append("](").append(ReportFiles.png(plot)).append(") ([SVG](plots/").append(plot)
                        .append(".svg))\n\n");
            }
            sb.append(TABLE_LEGEND).append("\n\n");
            boolean flames = e.getValue().stream().anyMatch(r -> !flameGraphLinks(r.outcome()).isEmpty());
            sb.append("| back-end | readers | forks | hits/s | 95% CI | CV | MDE | per reader | × unsync | × rwlock | rank "
                    + "| writer ops/s | hit p50 | hit p99 | hit p99.9 | hit max | register p99 µs | unregister p99 µs "
                    + "| unregister service p99 µs | verdict |").append(flames ? " flame graphs |" : "").append('\n');
            sb.append("|---|---:|---:|---:|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
                    .append(flames ? "---|" : "").append('\n');
            for (Analysis.Row r : e.getValue()) {
                sb.append(row(r)).append(flames ? " " + flameGraphLinks(r.outcome()) + " |" : "").append('\n');
            }
            sb.append('\n');
            List<String> profiled = new ArrayList<>();
            for (Analysis.Row r : e.getValue()) {
                for (ForkRecord f : r.outcome().profiledForks()) {
                    profiled.add(r.outcome().spec().label() + ", " + r.outcome().spec().readers() + " reader(s): "
                            + Format.rate(f.hitsPerSec()) + " hits/s in round " + f.round());
                }
            }
            if (!profiled.isEmpty()) {
                sb.append("Forks with async-profiler attached (for the flame graphs) are scored apart and are in no "
                        + "estimate, ratio or comparison: ").append(String.join("; ", profiled)).append(".\n\n");
            }
            String vma = addressSpaceTable(e.getValue());
            if (!vma.isEmpty()) {
                sb.append("### The address space\n\n").append(vma).append('\n');
            }
            String uret = ReturnProbeTable.table(e.getValue());
            if (!uret.isEmpty()) {
                sb.append("### Return probes\n\n").append(uret).append('\n');
            }
            String kernel = KernelTable.table(e.getValue(), hostRelease(h.machine()));
            if (!kernel.isEmpty()) {
                sb.append("### Model vs kernel\n\n").append(kernel).append('\n');
            }
            String published = PublishedFigures.speedUpTable(e.getValue());
            if (!published.isEmpty()) {
                sb.append("### Against the published figures\n\n").append(published).append('\n');
            }
        }

        List<ConfigOutcome> alloc = new ArrayList<>();
        for (ConfigOutcome o : outcomes) {
            if (o.allocBytesPerOp() != null) {
                alloc.add(o);
            }
        }
        if (!alloc.isEmpty()) {
            sb.append("## Allocation (JMH gc profiler)\n\n");
            sb.append("`gc.alloc.rate.norm` over every operation of the throughput run (hits and writer operations); "
                    + "without churn, it is the hit path's own allocation.\n\n| configuration | bytes/op |\n|---|---:|\n");
            for (ConfigOutcome o : alloc) {
                sb.append("| ").append(o.id()).append(" | ")
                        .append(String.format(Locale.ROOT, "%.3f", o.allocBytesPerOp())).append(" |\n");
            }
            sb.append('\n');
        }

        sb.append("## Invariants\n\n");
        sb.append("Counted on every hit and at teardown (DESIGN.md section 4); any count (in bold) makes the result "
                + "INVALID.\n\n");
        List<String> kinds = kinds(outcomes);
        sb.append("| configuration | trials |");
        kinds.forEach(k -> sb.append(' ').append(k).append(" |"));
        sb.append(" verdict |\n|---|---:|");
        kinds.forEach(k -> sb.append("---:|"));
        sb.append("---|\n");
        for (Analysis.Row r : analysis.rows()) {
            ConfigOutcome o = r.outcome();
            sb.append("| ").append(o.id()).append(" | ").append(o.totals().trials()).append(" |");
            for (String k : kinds) {
                long v = o.totals().invariants().getOrDefault(k, 0L);
                sb.append(' ').append(v > 0 ? "**" + v + "**" : Long.toString(v)).append(" |");
            }
            sb.append(' ').append(bold(r)).append(" |\n");
        }
        sb.append('\n');
        for (ConfigOutcome o : outcomes) {
            if (o.totals().kernelCalls() > 0) {
                sb.append(String.format(Locale.ROOT, "- `%s`: %,d calls of probed functions, %,d hits counted by the "
                        + "kernel (invariant 11: lost-hit and extra-hit count the difference)%n", o.id(),
                        o.totals().kernelCalls(), o.totals().kernelCounted()));
            }
        }
        if (outcomes.stream().anyMatch(o -> o.totals().kernelCalls() > 0)) {
            sb.append('\n');
        }

        sb.append("## Pinning map (read back from each thread)\n\n");
        for (ConfigOutcome o : outcomes) {
            if (!o.totals().pinMap().isEmpty()) {
                sb.append("- `").append(o.id()).append("`: ").append(String.join(", ", o.totals().pinMap())).append('\n');
            }
        }
        sb.append('\n');

        List<ConfigOutcome> missing = new ArrayList<>();
        for (ConfigOutcome o : outcomes) {
            if (o.status() != Status.OK) {
                missing.add(o);
            }
        }
        if (!missing.isEmpty()) {
            sb.append("## Missing\n\n");
            for (ConfigOutcome o : missing) {
                sb.append("- `").append(o.id()).append("`: ").append(o.status().json())
                        .append(o.message() == null ? "" : ": " + o.message()).append('\n');
            }
            sb.append('\n');
        }
        List<String> problems = new ArrayList<>();
        for (ConfigOutcome o : outcomes) {
            o.problems().forEach(p -> problems.add("`" + o.id() + "`: " + p));
        }
        problems.addAll(plotProblems);
        if (!h.notes().isEmpty() || !problems.isEmpty()) {
            sb.append("## Notes\n\n");
            h.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
            problems.forEach(n -> sb.append("- ").append(n).append('\n'));
            sb.append('\n');
        }
        sb.append("## Files\n\n");
        for (String[] f : FILES) {
            if (exists.test(f[0])) {
                sb.append("- [").append(f[0]).append("](").append(f[0]).append("): ").append(f[1]).append('\n');
            }
        }
        boolean flames = outcomes.stream().anyMatch(o -> !o.flamegraphs().isEmpty());
        if (flames) {
            sb.append("\n## Flame graphs\n\n");
            for (ConfigOutcome o : outcomes) {
                for (String f : o.flamegraphs()) {
                    if (f.endsWith(".html")) {
                        sb.append("- [").append(f).append("](").append(f).append(")\n");
                    }
                }
            }
        }
        return sb.toString();
    }

    /** What every configuration of this run shared beyond the profile's axes: the trap cost, the key layout. */
    static List<String> workloadLines(List<ConfigOutcome> outcomes) {
        List<String> lines = new ArrayList<>();
        String trap = trapLine(outcomes);
        if (!trap.isEmpty()) {
            lines.add(trap);
        }
        for (ConfigOutcome o : outcomes) {
            if ("interleaved".equals(o.totals().keyLayout())) {
                lines.add("key layout: interleaved: each churn key sits between two stable keys, so the writers' "
                        + "inserts and erases rotate the nodes the stable lookups walk through; a miss on a stable "
                        + "key is a false negative, and invariants.json's retriesPerIteration counts the lookups "
                        + "that had to retry");
                break;
            }
        }
        return lines;
    }

    /** The trap cost every hit of this run paid, or "" when none was asked for. */
    static String trapLine(List<ConfigOutcome> outcomes) {
        for (ConfigOutcome o : outcomes) {
            if (o.totals().trapNanos() > 0) {
                return String.format(Locale.ROOT, "trap cost: %d ns of fixed work per hit outside the registry, standing "
                        + "for the kernel's trap (int3 + single-step about 300 ns, 6.18's nop5 path about 140 ns); the "
                        + "calibrated work took %s ns per hit here, and it is in every hits/s and hit latency figure",
                        o.totals().trapNanos(), o.totals().trapMeasuredNanos() == null ? "-" : String.format(Locale.ROOT, "%.0f",
                                o.totals().trapMeasuredNanos()));
            }
        }
        return "";
    }

    static Map<String, Long> timerFloor(List<ConfigOutcome> outcomes) {
        for (ConfigOutcome o : outcomes) {
            if (o.totals().timerFloorNanos() != null && o.totals().timerFloorNanos().containsKey("p50")) {
                return o.totals().timerFloorNanos();
            }
        }
        return Map.of();
    }

    private static List<String> kinds(List<ConfigOutcome> outcomes) {
        List<String> k = new ArrayList<>();
        for (ConfigOutcome o : outcomes) {
            for (String key : o.totals().invariants().keySet()) {
                if (!k.contains(key)) {
                    k.add(key);
                }
            }
        }
        return k;
    }

    /** The report's files, each listed when it exists (an interrupted run may lack some). */
    private static final String[][] FILES = {
        {"summary.md", "this report in Markdown"},
        {"index.html", "the same with the plots embedded, for a browser (self-contained)"},
        {"plots/", "every plot as PNG and SVG"},
        {"jmh-results.json", "JMH's JSON for every run (loads in JMH Visualizer)"},
        {"latency/", "`<configuration>-{hit,register,unregister,register-service,unregister-service,synchronize,mmap,"
                + "munmap}.hgrm`: percentile distributions (HdrHistogram plotter; values in µs); "
                + "`<configuration>*.hlog`: interval logs (ns)"},
        {"invariants.json", "per configuration: counts, pins, latency percentiles"},
        {"environment.json", "machine, JVM, doctor findings, git commit"},
        {"profile.properties", "the profile as resolved"},
        {"jmh/", "JMH's output, one log per fork"},
        {ReportFiles.BENCHER, "Bencher Metric Format: valid configurations only"},
        {ReportFiles.ACTION_BIGGER, "github-action-benchmark's customBiggerIsBetter: valid configurations only"},
        {ReportFiles.ACTION_SMALLER, "github-action-benchmark's customSmallerIsBetter: valid configurations only"}};

    /** Links to a configuration's flame graphs, by kind, or "" without any. */
    static String flameGraphLinks(ConfigOutcome o) {
        List<String> out = new ArrayList<>();
        for (String f : o.flamegraphs()) {
            if (!f.endsWith(".html")) {
                continue;
            }
            String name = f.substring(f.lastIndexOf('/') + 1);
            String kind = name.startsWith("diff-") ? "diff vs rwlock" : name.endsWith("-lock.html") ? "locks" : "cpu";
            out.add("[" + kind + "](" + f + ")");
        }
        return String.join(" ", out);
    }

    /** The verdict in bold unless it is plain "valid". */
    static String bold(Analysis.Row r) {
        String v = r.verdict();
        return v.equals("valid") ? v : "**" + v + "**";
    }

    private static String row(Analysis.Row r) {
        ConfigOutcome o = r.outcome();
        Map<String, Long> hit = o.totals().latency().get("hit");
        Map<String, Long> reg = o.totals().latency().get("register");
        Map<String, Long> unreg = o.totals().latency().get("unregister");
        Estimate h = r.hits();
        return "| " + o.spec().label() + " | " + o.spec().readers() + " | " + h.n() + " | " + Format.rate(h.n() == 0 ? null : h.mean()) + " | "
                + interval(h) + " | " + percent(h.cv()) + " | " + mde(h) + " | "
                + Format.rate(h.n() == 0 ? null : h.mean() / o.spec().readers()) + " | " + r.xUnsync().formatRatio() + " | "
                + r.xRwlock().formatRatio() + " | " + (r.rank() != null ? Integer.toString(r.rank())
                        : Backend.KERNEL.cliName().equals(o.spec().backend()) ? "reference" : "excluded") + " | "
                + (o.spec().writers() == 0 || r.writer().n() == 0 ? "-" : Format.rate(r.writer().mean())) + " | "
                + ns(hit, "p50") + " | " + ns(hit, "p99") + " | " + ns(hit, "p99.9") + " | " + ns(hit, "max") + " | "
                + us(reg, "p99") + " | " + us(unreg, "p99") + " | " + us(o.totals().latency().get("unregister-service"), "p99")
                + " | " + bold(r) + " |";
    }

    /**
     * Per configuration that went through an address space: its VMA lookup, the speed-up from one
     * reader, how often speculation failed and fell back to {@code mmap_read_lock}, and the
     * address-space writers' latency. Empty when no row had an address space.
     */
    static String addressSpaceTable(List<Analysis.Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (Analysis.Row r : rows) {
            ConfigOutcome o = r.outcome();
            if (!o.spec().hasAddressSpace()) {
                continue;
            }
            if (sb.length() == 0) {
                sb.append("Speculative lookups that failed (a writer held or had taken `mmap_lock` during them, or "
                        + "the lookup missed) and were done again under `mmap_read_lock`; counted over every trial, "
                        + "not a violation; those that gave up at the tree's step bound are counted apart, in bold "
                        + "(a correct tree never reaches it). mmap and munmap p99 in µs, from the intended start when paced.\n\n");
                sb.append("| back-end | readers | VMA lookup | hits/s | speed-up from 1 reader | speculations | "
                        + "fell back | failure rate | mm writer ops | mmap p99 µs | munmap p99 µs |\n");
                sb.append("|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
            }
            Double failure = o.speculationFailureRate();
            sb.append("| ").append(o.spec().label()).append(" | ").append(o.spec().readers()).append(" | ").append(o.spec().vmaLookup())
                    .append(" | ").append(Format.rate(r.hits().n() == 0 ? null : r.hits().mean())).append(" | ")
                    .append(r.speedUp().formatRatio()).append(" | ")
                    .append(o.totals().speculations() == 0 ? "-" : String.format(Locale.ROOT, "%,d", o.totals().speculations())).append(" | ")
                    .append(o.totals().speculations() == 0 ? "-" : String.format(Locale.ROOT, "%,d", o.totals().fallbacks())
                            + (o.totals().stepBoundFallbacks() == 0 ? "" : String.format(Locale.ROOT,
                                    " (**%,d at the step bound**)", o.totals().stepBoundFallbacks()))
                            + (o.totals().revalidationFallbacks() == 0 ? "" : String.format(Locale.ROOT,
                                    " (%,d on revalidation: VMA reused)", o.totals().revalidationFallbacks()))
                            + (o.totals().translationsUnchecked() == 0 ? "" : String.format(Locale.ROOT,
                                    "; %,d translations unchecked", o.totals().translationsUnchecked()))).append(" | ")
                    .append(failure == null ? "-" : smallPercent(failure)).append(" | ")
                    .append(o.spec().mmWriters() == 0 ? "-" : String.format(Locale.ROOT, "%,d", o.totals().mmOps())).append(" | ")
                    .append(us(o.totals().latency().get("mmap"), "p99")).append(" | ").append(us(o.totals().latency().get("munmap"), "p99"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /**
     * What sets the length of a grace period here, so that writer latency is not read as the
     * kernel's: said under every table and beside the synchronize() plots.
     */
    static final String GRACE_PERIODS = "A grace period here ends when every reader slot has passed a quiescent point "
            + "(QSBR: every 64 hits; memb and SRCU: at each section's end); its waiter spins 128 times, yields up to 1024 "
            + "times, then sleeps 20 µs at a time between checks (sync.Spin), so synchronize() latency, and with it "
            + "unregister latency, is this model's wait policy on this machine, not the kernel's (whose RCU Tasks Trace "
            + "and SRCU grace periods run from tens of microseconds to milliseconds).";

    /** What the throughput tables' columns mean, shown above each. */
    static final String TABLE_LEGEND = "Hits/s are totals over all readers: the mean over forks (one fork per "
            + "round), with a 95% Student-t interval from the spread between forks and its coefficient of variation "
            + "(CV). MDE: the smallest change `compare` would call (80% power) between this run and another with as "
            + "many forks at this spread. × unsync and × rwlock are paired by round (geometric mean of the per-round ratios, 95% interval): "
            + "× unsync against the no-churn ceiling with the same readers, × rwlock against the same configuration. "
            + "NOISY: the interval is wider than ±10%; SUSPECT: a speed-up from 1 reader above the reader ratio or "
            + "a design above the ceiling, either beyond its interval, or forks that disagree (Grubbs' outlier test). Hit "
            + "latency in ns, writer latency in µs. Register and unregister p99 are measured from the intended start of a "
            + "paced writer's operation (corrected for coordinated omission: an operation that overran its pacing interval "
            + "also counts the operations it held back); the service p99 is the operation alone. " + GRACE_PERIODS;


    /** {@code 8.91 M – 9.30 M}, or "-" without an interval. */
    public static String interval(Estimate e) {
        return e.hasInterval() ? Format.rate(e.low()) + " – " + Format.rate(e.high()) : "-";
    }

    /** A share that may be tiny, as a percentage with three significant digits: 0.0150%, 12.3%. */
    static String smallPercent(double share) {
        if (share == 0) {
            return "0%";
        }
        return new java.math.BigDecimal(100 * share).round(new java.math.MathContext(3)).stripTrailingZeros()
                .toPlainString() + "%";
    }

    /** A share as a percentage with one decimal, or "-". */
    public static String percent(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", 100 * share) : "-";
    }

    /** Operations per second, scaled: 17.24 M, 235.8 k. */
    /** The kernel release in a header's machine line ({@code ..., Linux 6.18.44-fc amd64}), or null. */
    static String hostRelease(String machine) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Linux (\\S+)").matcher(machine == null ? ""
                : machine);
        return m.find() ? m.group(1) : null;
    }

    /** Each back-end of the report with what the kernel did with it ({@link Backend#lineage()}). */
    static String lineage(List<ConfigOutcome> outcomes) {
        List<String> seen = new ArrayList<>();
        for (ConfigOutcome o : outcomes) {
            try {
                Backend b = Backend.byName(o.spec().backend());
                String s = "`" + b.cliName() + "` " + b.lineage();
                if (!seen.contains(s)) {
                    seen.add(s);
                }
            } catch (IllegalArgumentException e) {
                // a back-end this version no longer has: no lineage to give
            }
        }
        return String.join("; ", seen);
    }

    /**
     * The minimum detectable effect of a row: the smallest change that {@code compare} would call
     * (80% power) between this run and another with as many forks at this spread, or "-".
     */
    static String mde(Estimate h) {
        return h.n() < 2 ? "-" : Comparison.of(h.values(), h.values(), Comparison.DEFAULT_NOISE_THRESHOLD).formatMde();
    }

    /** A latency percentile in ns, or "-". */
    static String ns(Map<String, Long> m, String k) {
        return m == null || !m.containsKey(k) ? "-" : Long.toString(m.get(k));
    }

    /** A latency percentile in µs (one decimal), or "-" when nothing was recorded. */
    static String us(Map<String, Long> m, String k) {
        return m == null || !m.containsKey(k) || m.getOrDefault("count", 0L) == 0 ? "-"
                : String.format(Locale.ROOT, "%.1f", m.get(k) / 1000.0);
    }
}
