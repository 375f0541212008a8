package dev.uprobebench.report;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Run B against run A: for every configuration in both reports, the throughput ratio B/A with a
 * 95% interval from the per-fork scores of both runs and a verdict (see {@link Comparison}),
 * hit-latency percentile deltas, differential flame graphs B vs A where both were profiled, and
 * warnings when the machines, JVMs, harness versions or pinning maps differ. Writes
 * {@code compare-<a>-vs-<b>/index.html}, {@code summary.md} and {@code forest.svg}.
 */
public final class ReportComparison {
    /** A directory that is not a report this version can compare; the message says why. */
    public static final class BadReportException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadReportException(String message) {
            super(message);
        }
    }

    private ReportComparison() {
    }

    /**
     * Compares the reports in {@code a} and {@code b} (as given on the command line), writes the
     * comparison under {@code reportsRoot}, prints one line per configuration, and returns the rows.
     */
    public static List<ComparisonPage.Row> compare(String argA, String argB, Path reportsRoot, double threshold,
            PrintStream out) {
        Path a = report(argA);
        Path b = report(argB);
        if (a.equals(b)) {
            throw new BadReportException("compare needs two different reports; both are " + a);
        }
        List<ConfigOutcome> oa = outcomes(a);
        List<ConfigOutcome> ob = outcomes(b);
        Path dir = reportsRoot.resolve("compare-" + a.getFileName() + "-vs-" + b.getFileName());
        try {
            Files.createDirectories(dir.resolve("flamegraphs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        List<ComparisonPage.Row> rows = new ArrayList<>(judge(oa, ob, threshold));
        rows.replaceAll(r -> new ComparisonPage.Row(r.id(), r.a(), r.b(), r.hits(), r.writer(),
                diffFlames(a, b, r.a(), r.b(), dir)));
        java.util.Set<String> idsA = new java.util.HashSet<>();
        oa.forEach(o -> idsA.add(o.id()));
        java.util.Set<String> idsB = new java.util.HashSet<>();
        ob.forEach(o -> idsB.add(o.id()));
        List<String> onlyA = oa.stream().map(ConfigOutcome::id).filter(id -> !idsB.contains(id)).toList();
        List<String> onlyB = ob.stream().map(ConfigOutcome::id).filter(id -> !idsA.contains(id)).toList();
        if (rows.isEmpty()) {
            throw new BadReportException("reports " + a.getFileName() + " and " + b.getFileName()
                    + " have no configuration in common; compare runs of the same profile (or overlapping ones)");
        }
        List<String> warnings = warnings(a, b, rows);
        ComparisonPage.Inputs in = new ComparisonPage.Inputs(a.getFileName() + " vs " + b.getFileName(), a, b, threshold,
                onlyA, onlyB, warnings);
        ReportFiles.writeAtomically(dir.resolve("forest.svg"), ComparisonPage.forest(rows, threshold));
        ReportFiles.writeAtomically(dir.resolve("summary.md"), ComparisonPage.markdown(in, rows));
        ReportFiles.writeAtomically(dir.resolve("index.html"), ComparisonPage.html(in, rows));
        for (ComparisonPage.Row r : rows) {
            out.printf(Locale.ROOT, "%-50s B/A %s  MDE %s  q %s  %s%n", r.id(), r.hits().format(),
                    r.hits().formatMde(), r.hits().formatQ(), r.verdict());
        }
        warnings.forEach(w -> out.println("warning: " + w));
        out.println("verdicts: " + ComparisonPage.tally(rows));
        out.println("report: " + dir);
        return rows;
    }

    /**
     * The rows of a comparison, without files: every configuration of A that B has too, its
     * hit-throughput and writer comparisons, and the verdicts. Only rows valid on both sides enter
     * the false-discovery family: an invalid row's p must not dilute (or use up) the budget of the
     * rows that can be judged.
     */
    public static List<ComparisonPage.Row> judge(List<ConfigOutcome> oa, List<ConfigOutcome> ob, double threshold) {
        Map<String, ConfigOutcome> byIdB = new LinkedHashMap<>();
        ob.forEach(o -> byIdB.put(o.id(), o));
        List<ComparisonPage.Row> rows = new ArrayList<>();
        for (ConfigOutcome x : oa) {
            ConfigOutcome y = byIdB.get(x.id());
            if (y == null) {
                continue;
            }
            Comparison hits = Comparison.of(x.forkHitsPerSec(), y.forkHitsPerSec(), threshold);
            Comparison writer = x.spec().writers() == 0 ? null
                    : Comparison.of(x.forkWriterOpsPerSec(), y.forkWriterOpsPerSec(), threshold);
            rows.add(new ComparisonPage.Row(x.id(), x, y, hits, writer, List.of()));
        }
        List<Integer> valid = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).valid()) {
                valid.add(i);
            }
        }
        List<Comparison> adjusted = Comparison.family(valid.stream().map(i -> rows.get(i).hits()).toList());
        for (int i = 0; i < rows.size(); i++) {
            ComparisonPage.Row r = rows.get(i);
            int k = valid.indexOf(i);
            Comparison c = k >= 0 ? adjusted.get(k) : r.hits().outsideFamily("INVALID input");
            rows.set(i, new ComparisonPage.Row(r.id(), r.a(), r.b(), c, r.writer(), r.flames()));
        }
        return rows;
    }

    /** The configurations of report A that report B does not have (for a gate that fails closed). */
    public static List<String> onlyInA(String argA, String argB) {
        java.util.Set<String> inB = new java.util.HashSet<>();
        outcomes(report(argB)).forEach(o -> inB.add(o.id()));
        List<String> only = new ArrayList<>();
        outcomes(report(argA)).forEach(o -> {
            if (!inB.contains(o.id())) {
                only.add(o.id());
            }
        });
        return only;
    }

    static Path report(String arg) {
        Path p = Path.of(arg).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new BadReportException("no report directory '" + arg + "'; give two directories under reports/ "
                    + "(the path each run printed last)");
        }
        for (String f : List.of("invariants.json", "environment.json")) {
            if (!Files.isRegularFile(p.resolve(f))) {
                throw new BadReportException("'" + arg + "' is not a uprobe-bench report (no " + f + ")");
            }
        }
        JsonObject env = env(p);
        int format = env.has("reportFormat") ? env.get("reportFormat").getAsInt() : 1;
        if (format != ConfigOutcome.REPORT_FORMAT) {
            throw new BadReportException("'" + arg + "' is a report of format " + format + (format == 1
                    ? " (before rounds: it has no per-fork scores)" : "") + "; compare reads format "
                    + ConfigOutcome.REPORT_FORMAT + " only: run its profile again with this version");
        }
        return p;
    }

    static List<ConfigOutcome> outcomes(Path report) {
        try {
            return OutcomeJson.read(Files.readString(report.resolve("invariants.json")));
        } catch (IOException | RuntimeException e) {
            throw new BadReportException("cannot read " + report.resolve("invariants.json") + ": " + e.getMessage());
        }
    }

    private static List<String> diffFlames(Path a, Path b, ConfigOutcome x, ConfigOutcome y, Path dir) {
        String ca = FlameConverter.collapsedOf(x);
        String cb = FlameConverter.collapsedOf(y);
        if (ca == null || cb == null) {
            return List.of();
        }
        String name = "flamegraphs/diff-" + x.id() + ".html";
        try {
            FlameConverter.convert("--diff", "--title", "CPU: " + x.spec().label() + ", B vs A (frames show B; red grew, blue shrank)",
                    a.resolve(ca).toString(), b.resolve(cb).toString(), dir.resolve(name).toString());
            return List.of(name);
        } catch (IOException e) {
            return List.of();
        }
    }

    static JsonObject env(Path report) {
        try {
            return JsonParser.parseString(Files.readString(report.resolve("environment.json"))).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return new JsonObject();
        }
    }

    static List<String> warnings(Path a, Path b, List<ComparisonPage.Row> rows) {
        List<String> w = new ArrayList<>();
        JsonObject ea = env(a);
        JsonObject eb = env(b);
        for (String[] k : new String[][] {{"cpuModel", "CPU models"}, {"topologySummary", "topologies"},
                {"kernel", "kernels"}, {"jvm", "JVMs"}, {"hostname", "machines (host names)"},
                {"gitCommit", "harness versions (git commits)"}, {"governor", "frequency governors"}}) {
            String va = ea.has(k[0]) ? ea.get(k[0]).toString() : "?";
            String vb = eb.has(k[0]) ? eb.get(k[0]).toString() : "?";
            if (!va.equals(vb)) {
                w.add("the " + k[1] + " differ: A " + va + ", B " + vb);
            }
        }
        List<String> pinDiff = new ArrayList<>();
        for (ComparisonPage.Row r : rows) {
            if (!Objects.equals(new java.util.TreeSet<>(r.a().totals().pinMap()), new java.util.TreeSet<>(r.b().totals().pinMap()))
                    || !Objects.equals(r.a().spec().pinPolicy(), r.b().spec().pinPolicy())) {
                pinDiff.add(r.id());
            }
        }
        if (!pinDiff.isEmpty()) {
            w.add("the pinning maps differ for " + pinDiff.size() + " configuration(s), e.g. " + pinDiff.get(0));
        }
        for (ComparisonPage.Row r : rows) {
            if (!r.valid()) {
                w.add(r.id() + " is not a valid result in " + (!r.a().valid() ? "A" : "B")
                        + " (invariant violations, a negative control, or it did not finish): its ratio means nothing");
            }
        }
        return w;
    }
}
