package dev.uprobebench.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.uprobebench.report.Comparison;
import dev.uprobebench.report.ConfigOutcome;
import dev.uprobebench.report.HtmlReport;
import dev.uprobebench.report.JmhResults;
import dev.uprobebench.report.ReportPages;
import dev.uprobebench.report.Summary;
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
 * {@code ./run-bench.sh compare REPORT_A REPORT_B}: for every configuration in both reports, the
 * throughput ratio B/A with a 95% confidence interval from JMH's per-iteration data and a verdict,
 * hit-latency percentile deltas, differential flame graphs B vs A where both were profiled, and
 * warnings when the machines, JVMs, harness versions or pinning maps differ. Writes
 * {@code reports/compare-<a>-vs-<b>/index.html} and {@code summary.md}.
 */
final class CompareCommand {
    /** One configuration present in both reports. */
    record Row(String id, ConfigOutcome a, ConfigOutcome b, Comparison hits, Comparison writer, List<String> flames) {
    }

    private CompareCommand() {
    }

    static int run(String[] args, Path reportsRoot, PrintStream out) {
        if (args.length != 3) {
            throw new UsageException("compare needs two report directories: ./run-bench.sh compare REPORT_A REPORT_B");
        }
        Path a = report(args[1]);
        Path b = report(args[2]);
        if (a.equals(b)) {
            throw new UsageException("compare needs two different reports; both are " + a);
        }
        List<ConfigOutcome> oa = outcomes(a);
        List<ConfigOutcome> ob = outcomes(b);
        Map<String, ConfigOutcome> byIdB = new LinkedHashMap<>();
        ob.forEach(o -> byIdB.put(o.id, o));
        List<Row> rows = new ArrayList<>();
        List<String> onlyA = new ArrayList<>();
        Path dir = reportsRoot.resolve("compare-" + a.getFileName() + "-vs-" + b.getFileName());
        try {
            Files.createDirectories(dir.resolve("flamegraphs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        for (ConfigOutcome x : oa) {
            ConfigOutcome y = byIdB.remove(x.id);
            if (y == null) {
                onlyA.add(x.id);
                continue;
            }
            Comparison hits = Comparison.of(iterations(a, x.id, "hit"), iterations(b, x.id, "hit"));
            Comparison writer = x.writers == 0 ? null
                    : Comparison.of(iterations(a, x.id, "write"), iterations(b, x.id, "write"));
            rows.add(new Row(x.id, x, y, hits, writer, diffFlames(a, b, x, y, dir)));
        }
        List<String> onlyB = new ArrayList<>(byIdB.keySet());
        if (rows.isEmpty()) {
            throw new UsageException("reports " + a.getFileName() + " and " + b.getFileName()
                    + " have no configuration in common; compare runs of the same profile (or overlapping ones)");
        }
        List<String> warnings = warnings(a, b, rows);
        String title = a.getFileName() + " vs " + b.getFileName();
        ReportPages.writeAtomically(dir.resolve("summary.md"), markdown(title, a, b, rows, onlyA, onlyB, warnings));
        ReportPages.writeAtomically(dir.resolve("index.html"), html(title, a, b, rows, onlyA, onlyB, warnings));
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-50s B/A %s  %s%n", r.id(), r.hits().format(), r.hits().verdict());
        }
        warnings.forEach(w -> out.println("warning: " + w));
        out.println("report: " + dir);
        return Main.OK;
    }

    private static Path report(String arg) {
        Path p = Path.of(arg).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new UsageException("no report directory '" + arg + "'; give two directories under reports/ "
                    + "(the path each run printed last)");
        }
        for (String f : List.of("invariants.json", "environment.json")) {
            if (!Files.isRegularFile(p.resolve(f))) {
                throw new UsageException("'" + arg + "' is not a uprobe-bench report (no " + f + ")");
            }
        }
        return p;
    }

    private static List<ConfigOutcome> outcomes(Path report) {
        try {
            return List.of(BenchRun.GSON.fromJson(Files.readString(report.resolve("invariants.json")), ConfigOutcome[].class));
        } catch (IOException | RuntimeException e) {
            throw new UsageException("cannot read " + report.resolve("invariants.json") + ": " + e.getMessage());
        }
    }

    /** Per-iteration values of a secondary metric from the configuration's throughput run. */
    static List<Double> iterations(Path report, String id, String metric) {
        Path f = report.resolve("jmh").resolve(id + "-throughput.json");
        try {
            if (!Files.exists(f) || Files.size(f) == 0) {
                return List.of();
            }
            for (JsonElement e : JmhResults.read(f)) {
                return JmhResults.iterations(JmhResults.metric(e.getAsJsonObject(), metric));
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return List.of();
    }

    private static List<String> diffFlames(Path a, Path b, ConfigOutcome x, ConfigOutcome y, Path dir) {
        String ca = FlameGraphs.collapsedOf(x);
        String cb = FlameGraphs.collapsedOf(y);
        if (ca == null || cb == null) {
            return List.of();
        }
        String name = "flamegraphs/diff-" + x.id + ".html";
        try {
            FlameGraphs.convert("--diff", "--title", "CPU: " + x.label + ", B vs A (frames show B; red grew, blue shrank)",
                    a.resolve(ca).toString(), b.resolve(cb).toString(), dir.resolve(name).toString());
            return List.of(name);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static JsonObject env(Path report) {
        try {
            return JsonParser.parseString(Files.readString(report.resolve("environment.json"))).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return new JsonObject();
        }
    }

    static List<String> warnings(Path a, Path b, List<Row> rows) {
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
        for (Row r : rows) {
            if (!Objects.equals(new java.util.TreeSet<>(r.a().pinMap), new java.util.TreeSet<>(r.b().pinMap))
                    || !Objects.equals(r.a().pinPolicy, r.b().pinPolicy)) {
                pinDiff.add(r.id());
            }
        }
        if (!pinDiff.isEmpty()) {
            w.add("the pinning maps differ for " + pinDiff.size() + " configuration(s), e.g. " + pinDiff.get(0));
        }
        for (Row r : rows) {
            if (!r.a().valid() || !r.b().valid()) {
                w.add(r.id() + " is not a valid result in " + (!r.a().valid() ? "A" : "B")
                        + " (invariant violations, a negative control, or it did not finish): its ratio means nothing");
            }
        }
        return w;
    }

    private static String delta(ConfigOutcome a, ConfigOutcome b, String p) {
        Map<String, Long> la = a.latency.get("hit");
        Map<String, Long> lb = b.latency.get("hit");
        if (la == null || lb == null || !la.containsKey(p) || !lb.containsKey(p)) {
            return "-";
        }
        long d = lb.get(p) - la.get(p);
        return la.get(p) + " → " + lb.get(p) + " (" + (d >= 0 ? "+" : "") + d + ")";
    }

    static String markdown(String title, Path a, Path b, List<Row> rows, List<String> onlyA, List<String> onlyB,
            List<String> warnings) {
        StringBuilder sb = new StringBuilder();
        sb.append("# uprobe-bench comparison: ").append(title).append("\n\n");
        sb.append("- A: `").append(a).append("`\n- B: `").append(b).append("`\n");
        sb.append("- ratio: B/A of mean hits/s, with a ").append((int) (Comparison.CONFIDENCE * 100))
                .append("% confidence interval from JMH's per-iteration data (delta method, Welch t); the verdict "
                        + "says faster or slower only when the interval excludes 1\n");
        sb.append("- caveat: the interval reflects iteration-to-iteration noise within each run; run-to-run "
                + "variance (JIT, memory layout, the machine) is only captured with several forks (`--set forks=3` "
                + "or more) in both runs\n\n");
        for (String w : warnings) {
            sb.append("> **warning:** ").append(w).append("\n\n");
        }
        sb.append("| configuration | hits/s A | hits/s B | B/A [95% CI] | verdict | writer B/A | hit p50 ns A → B | "
                + "hit p99 ns A → B | hit p99.9 ns A → B | diff flame graph |\n");
        sb.append("|---|---:|---:|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.id()).append(" | ").append(Summary.rate(r.a().hitsPerSec)).append(" | ")
                    .append(Summary.rate(r.b().hitsPerSec)).append(" | ").append(r.hits().format()).append(" | ")
                    .append(r.a().valid() && r.b().valid() ? r.hits().verdict() : "**INVALID input**").append(" | ")
                    .append(r.writer() == null ? "-" : r.writer().format()).append(" | ").append(delta(r.a(), r.b(), "p50"))
                    .append(" | ").append(delta(r.a(), r.b(), "p99")).append(" | ").append(delta(r.a(), r.b(), "p99.9"))
                    .append(" | ").append(r.flames().isEmpty() ? "-" : "[diff](" + r.flames().get(0) + ")").append(" |\n");
        }
        if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
            sb.append("\n## Not compared\n\n");
            onlyA.forEach(id -> sb.append("- only in A: `").append(id).append("`\n"));
            onlyB.forEach(id -> sb.append("- only in B: `").append(id).append("`\n"));
        }
        return sb.toString();
    }

    static String html(String title, Path a, Path b, List<Row> rows, List<String> onlyA, List<String> onlyB,
            List<String> warnings) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>uprobe-bench comparison</title>"
                + "<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
                + "th,td{border:1px solid #ccc;padding:3px 7px;font-size:13px}th{background:#f2f2f2}"
                + ".faster{color:#0a7a0a;font-weight:bold}.slower{color:#b00000;font-weight:bold}"
                + ".warn{color:#8a5a00}.invalid{background:#fde0e0;color:#b00000}</style></head><body>\n");
        sb.append("<h1>uprobe-bench comparison: ").append(HtmlReport.esc(title)).append("</h1>\n<ul><li>A: <code>")
                .append(HtmlReport.esc(a.toString())).append("</code></li><li>B: <code>")
                .append(HtmlReport.esc(b.toString())).append("</code></li><li>B/A of mean hits/s with a 95% "
                        + "confidence interval from JMH's per-iteration data; a verdict only when the interval excludes 1"
                        + "</li><li>caveat: the interval reflects iteration-to-iteration noise within each run; "
                        + "run-to-run variance is only captured with several forks in both runs</li></ul>\n");
        for (String w : warnings) {
            sb.append("<p class=\"warn\">warning: ").append(HtmlReport.esc(w)).append("</p>\n");
        }
        sb.append("<table><tr><th>configuration</th><th>hits/s A</th><th>hits/s B</th><th>B/A [95% CI]</th>"
                + "<th>verdict</th><th>writer B/A</th><th>hit p50 ns A → B</th><th>hit p99 ns A → B</th>"
                + "<th>hit p99.9 ns A → B</th><th>diff flame graph</th></tr>\n");
        for (Row r : rows) {
            boolean valid = r.a().valid() && r.b().valid();
            String cls = !valid ? "invalid" : r.hits().verdict().equals(Comparison.FASTER) ? "faster"
                    : r.hits().verdict().equals(Comparison.SLOWER) ? "slower" : "";
            sb.append(valid ? "<tr>" : "<tr class=\"invalid\">").append("<td>").append(HtmlReport.esc(r.id()))
                    .append("</td><td>").append(Summary.rate(r.a().hitsPerSec)).append("</td><td>")
                    .append(Summary.rate(r.b().hitsPerSec)).append("</td><td>").append(r.hits().format())
                    .append("</td><td class=\"").append(cls).append("\">")
                    .append(valid ? r.hits().verdict() : "INVALID input").append("</td><td>")
                    .append(r.writer() == null ? "-" : r.writer().format()).append("</td><td>")
                    .append(HtmlReport.esc(delta(r.a(), r.b(), "p50"))).append("</td><td>")
                    .append(HtmlReport.esc(delta(r.a(), r.b(), "p99"))).append("</td><td>")
                    .append(HtmlReport.esc(delta(r.a(), r.b(), "p99.9"))).append("</td><td>")
                    .append(r.flames().isEmpty() ? "-" : "<a href=\"" + r.flames().get(0) + "\">diff</a>")
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
        if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
            sb.append("<h2>Not compared</h2><ul>\n");
            onlyA.forEach(id -> sb.append("<li>only in A: ").append(HtmlReport.esc(id)).append("</li>\n"));
            onlyB.forEach(id -> sb.append("<li>only in B: ").append(HtmlReport.esc(id)).append("</li>\n"));
            sb.append("</ul>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }
}
