package dev.uprobebench.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The self-contained {@code index.html}: plots embedded as PNG data, no script, no stylesheet or
 * font from the network, so that it opens from disk anywhere. Invalid results are red and left
 * out of the rankings.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** HTML-escapes text. */
    public static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String STYLE = String.join("\n",
            "body{font-family:sans-serif;margin:2em;max-width:1500px;color:#222}",
            "table{border-collapse:collapse;margin:0.6em 0 1.4em}",
            "th,td{border:1px solid #ccc;padding:3px 7px;font-size:13px}",
            "th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
            "tr.invalid td{background:#fde0e0;color:#b00000}.invalid{color:#b00000;font-weight:bold}",
            "td.bad{background:#fde0e0;color:#b00000;font-weight:bold}td.flag{color:#8a5a00;font-weight:bold}",
            ".warn{color:#8a5a00}.note{color:#555}img{max-width:100%;border:1px solid #eee;margin:0.4em 0}",
            "blockquote{border-left:4px solid #ccc;margin:0;padding:0.2em 1em;color:#444}");

    public static String render(Path dir, Summary.Header h, Analysis analysis,
            Map<String, ReportPages.ScenarioPlots> plots, List<String> plotProblems) {
        List<ConfigOutcome> outcomes = analysis.outcomes();
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>uprobe-bench: ")
                .append(esc(h.profile())).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        sb.append("<h1>uprobe-bench report: profile <code>").append(esc(h.profile())).append("</code></h1>\n");
        if (!h.question().isEmpty()) {
            sb.append("<blockquote>").append(esc(h.question())).append("</blockquote>\n");
        }
        run(sb, h, outcomes);
        for (Map.Entry<String, List<Analysis.Row>> e : analysis.byScenario().entrySet()) {
            scenario(sb, e.getKey(), e.getValue(), plots.getOrDefault(e.getKey(), ReportPages.ScenarioPlots.NONE));
        }
        invariants(sb, analysis);
        pinning(sb, outcomes);
        flamegraphs(sb, outcomes);
        missing(sb, outcomes, h, plotProblems);
        files(sb, dir);
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void run(StringBuilder sb, Summary.Header h, List<ConfigOutcome> outcomes) {
        long done = outcomes.stream().filter(o -> ConfigOutcome.OK.equals(o.status)).count();
        long invalid = outcomes.stream().filter(o -> o.violations > 0).count();
        sb.append("<h2>Run</h2><ul>\n");
        sb.append("<li>state: <b>").append(esc(h.state())).append("</b>, ").append(done).append(" of ")
                .append(outcomes.size()).append(" configurations finished");
        if (invalid > 0) {
            sb.append(", <span class=\"invalid\">").append(invalid).append(" INVALID</span>");
        }
        sb.append("</li>\n<li>started: ").append(esc(h.started())).append("</li>\n");
        sb.append("<li>machine: ").append(esc(h.machine())).append("</li>\n");
        sb.append("<li>JVM: ").append(esc(h.jvm())).append("</li>\n");
        sb.append("<li>pinning: ").append(esc(h.pinning())).append("</li>\n");
        sb.append("<li>rounds: ").append(esc(h.rounds())).append("</li>\n");
        Map<String, Long> floor = Summary.timerFloor(outcomes);
        if (!floor.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<li>timer floor (an empty timed section): p50 %d ns, p99 %d ns, "
                    + "p99.9 %d ns: hit latencies near these are the timer</li>%n", floor.get("p50"), floor.get("p99"),
                    floor.get("p99.9")));
        }
        for (String line : Summary.workloadLines(outcomes)) {
            sb.append("<li>").append(esc(line)).append("</li>\n");
        }
        for (String w : h.warnings()) {
            sb.append("<li class=\"warn\">machine warning: ").append(esc(w)).append("</li>\n");
        }
        sb.append("</ul>\n");
    }

    private static void scenario(StringBuilder sb, String title, List<Analysis.Row> list,
            ReportPages.ScenarioPlots plots) {
        sb.append("<h2>").append(esc(title)).append("</h2>\n");
        List<Plots.Saved> saved = plots.saved();
        for (int i = 0; i < saved.size(); i++) {
            Plots.Saved p = saved.get(i);
            String alt = "plot " + p.name() + ": " + String.join(", ", plots.series().get(i));
            sb.append("<a href=\"plots/").append(esc(p.name())).append(".svg\"><img alt=\"").append(esc(alt))
                    .append("\" src=\"data:image/png;base64,").append(p.pngBase64()).append("\"></a>\n");
        }
        sb.append("<p class=\"note\">").append(esc(Summary.TABLE_LEGEND)).append("</p>\n");
        sb.append("<table><tr><th>back-end</th><th>readers</th><th>forks</th><th>hits/s</th><th>95% CI</th>"
                + "<th>CV</th><th>per reader</th><th>× unsync</th><th>× rwlock</th><th>rank</th><th>writer ops/s</th>"
                + "<th>hit p50 ns</th><th>hit p99 ns</th><th>hit p99.9 ns</th><th>hit max ns</th>"
                + "<th>register p99 µs</th><th>unregister p99 µs</th><th>unregister service p99 µs</th><th>verdict</th>"
                + "<th>flame graphs</th></tr>\n");
        for (Analysis.Row r : list) {
            ConfigOutcome o = r.outcome();
            Estimate h = r.hits();
            Map<String, Long> hit = o.latency.get("hit");
            sb.append(o.valid() ? "<tr>" : "<tr class=\"invalid\">");
            td(sb, esc(o.label), false);
            td(sb, Integer.toString(o.readers), true);
            td(sb, Integer.toString(h.n()), true);
            td(sb, Summary.rate(h.n() == 0 ? null : h.mean()), true);
            td(sb, Summary.interval(h), true);
            td(sb, Summary.percent(h.cv()), true);
            td(sb, Summary.rate(h.n() == 0 ? null : h.mean() / o.readers), true);
            td(sb, r.xUnsync().formatRatio(), true);
            td(sb, r.xRwlock().formatRatio(), true);
            td(sb, r.rank() == null ? "excluded" : Integer.toString(r.rank()), true);
            td(sb, o.writers == 0 || r.writer().n() == 0 ? "-" : Summary.rate(r.writer().mean()), true);
            for (String k : List.of("p50", "p99", "p99.9", "max")) {
                td(sb, Summary.ns(hit, k), true);
            }
            td(sb, Summary.us(o.latency.get("register"), "p99"), true);
            td(sb, Summary.us(o.latency.get("unregister"), "p99"), true);
            td(sb, Summary.us(o.latency.get("unregister-service"), "p99"), true);
            sb.append(r.flags().isEmpty() ? "<td>" : "<td class=\"flag\">").append(esc(r.verdict())).append("</td>");
            td(sb, links(o.flamegraphs.stream().filter(f -> f.endsWith(".html")).collect(Collectors.toList())), false);
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
        String vma = Summary.addressSpaceTable(list);
        if (!vma.isEmpty()) {
            sb.append("<h3>The address space</h3>\n").append(markdownToHtml(vma));
        }
        String uret = ReturnProbeTable.table(list);
        if (!uret.isEmpty()) {
            sb.append("<h3>Return probes</h3>\n").append(markdownToHtml(uret));
        }
        String published = PublishedFigures.speedUpTable(list);
        if (!published.isEmpty()) {
            sb.append("<h3>Against the published figures</h3>\n").append(markdownToHtml(published));
        }
    }

    /** The small Markdown the published-figures note uses: paragraphs and one pipe table. */
    static String markdownToHtml(String md) {
        StringBuilder sb = new StringBuilder();
        boolean inTable = false;
        boolean header = true;
        for (String line : md.split("\n")) {
            if (line.startsWith("|")) {
                if (!inTable) {
                    sb.append("<table>\n");
                    inTable = true;
                    header = true;
                }
                if (line.matches("\\|[-:|]+\\|?")) {
                    header = false;
                    continue;
                }
                String cell = header ? "th" : "td";
                sb.append("<tr>");
                for (String c : line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("\\|")) {
                    sb.append('<').append(cell).append('>').append(esc(c.trim().replace("`", "").replace("**", ""))).append("</")
                            .append(cell).append('>');
                }
                sb.append("</tr>\n");
            } else {
                if (inTable) {
                    sb.append("</table>\n");
                    inTable = false;
                }
                if (!line.isBlank()) {
                    sb.append("<p>").append(esc(line.replace("`", "").replace("**", ""))).append("</p>\n");
                }
            }
        }
        if (inTable) {
            sb.append("</table>\n");
        }
        return sb.toString();
    }

    private static String links(List<String> files) {
        List<String> out = new ArrayList<>();
        for (String f : files) {
            String name = f.substring(f.lastIndexOf('/') + 1);
            String kind = name.startsWith("diff-") ? "diff vs rwlock" : name.endsWith("-lock.html") ? "locks" : "cpu";
            out.add("<a href=\"" + esc(f) + "\">" + kind + "</a>");
        }
        return String.join(" ", out);
    }

    private static void td(StringBuilder sb, String content, boolean numeric) {
        sb.append(numeric ? "<td class=\"n\">" : "<td>").append(content).append("</td>");
    }

    private static void invariants(StringBuilder sb, Analysis analysis) {
        List<ConfigOutcome> outcomes = analysis.outcomes();
        sb.append("<h2>Invariants</h2><p>Counted on every hit and at teardown; any count makes the result "
                + "<span class=\"invalid\">INVALID</span>.</p>\n<table><tr><th>configuration</th><th>trials</th>");
        List<String> kinds = new ArrayList<>();
        outcomes.forEach(o -> o.invariants.keySet().forEach(k -> {
            if (!kinds.contains(k)) {
                kinds.add(k);
            }
        }));
        kinds.forEach(k -> sb.append("<th>").append(esc(k)).append("</th>"));
        sb.append("<th>verdict</th></tr>\n");
        for (Analysis.Row r : analysis.rows()) {
            ConfigOutcome o = r.outcome();
            sb.append(o.valid() ? "<tr>" : "<tr class=\"invalid\">");
            td(sb, esc(o.id), false);
            td(sb, Integer.toString(o.trials), true);
            for (String k : kinds) {
                long v = o.invariants.getOrDefault(k, 0L);
                sb.append(v > 0 ? "<td class=\"n bad\">" : "<td class=\"n\">").append(v).append("</td>");
            }
            td(sb, esc(r.verdict()), false);
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void pinning(StringBuilder sb, List<ConfigOutcome> outcomes) {
        sb.append("<h2>Pinning map</h2><p>Where each benchmark thread ran, as read back from the thread after "
                + "pinning.</p>\n<table><tr><th>configuration</th><th>threads</th></tr>\n");
        for (ConfigOutcome o : outcomes) {
            if (!o.pinMap.isEmpty()) {
                sb.append("<tr>");
                td(sb, esc(o.id), false);
                td(sb, esc(String.join(", ", o.pinMap)), false);
                sb.append("</tr>\n");
            }
        }
        sb.append("</table>\n");
    }

    private static void flamegraphs(StringBuilder sb, List<ConfigOutcome> outcomes) {
        List<String> all = new ArrayList<>();
        outcomes.forEach(o -> o.flamegraphs.stream().filter(f -> f.endsWith(".html")).forEach(all::add));
        if (all.isEmpty()) {
            return;
        }
        sb.append("<h2>Flame graphs</h2><ul>\n");
        for (String f : all) {
            sb.append("<li><a href=\"").append(esc(f)).append("\">").append(esc(f)).append("</a></li>\n");
        }
        sb.append("</ul>\n");
    }

    private static void missing(StringBuilder sb, List<ConfigOutcome> outcomes, Summary.Header h,
            List<String> plotProblems) {
        List<ConfigOutcome> missing = outcomes.stream().filter(o -> !ConfigOutcome.OK.equals(o.status))
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            sb.append("<h2>Missing</h2><ul>\n");
            for (ConfigOutcome o : missing) {
                sb.append("<li class=\"invalid\">").append(esc(o.id)).append(": ").append(esc(o.status))
                        .append(o.message == null ? "" : ": " + esc(o.message)).append("</li>\n");
            }
            sb.append("</ul>\n");
        }
        List<String> notes = new ArrayList<>(h.notes());
        notes.addAll(plotProblems);
        outcomes.forEach(o -> o.problems.forEach(p -> notes.add(o.id + ": " + p)));
        if (!notes.isEmpty()) {
            sb.append("<h2>Notes</h2><ul>\n");
            notes.forEach(n -> sb.append("<li class=\"note\">").append(esc(n)).append("</li>\n"));
            sb.append("</ul>\n");
        }
    }

    /** Links the report's files that exist (an interrupted run may lack some). */
    private static void files(StringBuilder sb, Path dir) {
        sb.append("<h2>Files</h2><ul>\n");
        for (String[] f : new String[][] {{"summary.md", "the same tables in Markdown"},
                {"jmh-results.json", "JMH's JSON (loads in JMH Visualizer)"},
                {"invariants.json", "per configuration: counts, pins, latency percentiles"},
                {"environment.json", "machine, JVM, doctor findings, git commit"},
                {"profile.properties", "the profile as resolved"}, {"latency/", "HdrHistogram .hgrm and .hlog files"},
                {"plots/", "every plot as PNG and SVG"}}) {
            if (!Files.exists(dir.resolve(f[0]))) {
                continue;
            }
            sb.append("<li><a href=\"").append(f[0]).append("\">").append(f[0]).append("</a>: ").append(esc(f[1]))
                    .append("</li>\n");
        }
        sb.append("</ul>\n");
    }
}
