package dev.uprobebench.report;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One server's runs over time: each configuration's hit throughput with its 95% interval across
 * reports in time order, and the change points E-divisive means ({@link EDivisive}) finds in the
 * series, each with its permutation p, the levels before and after, and what changed in the
 * environment between the two runs around it (kernel, JVM, harness commit, CPU). What a user who
 * runs the harness nightly needs when a kernel or JVM upgrade moved a number. Writes
 * {@code history-<first>-to-<last>/index.html}, {@code summary.md} and a plot per configuration.
 *
 * <p>Only valid points (a finished configuration with no invariant violation) enter the search; an
 * invalid one is shown and marked, never used.
 */
public final class History {
    /** One report in the series. */
    record Run(String name, Path dir, JsonObject env, List<ConfigOutcome> outcomes) {
        String describe(String key) {
            return env.has(key) && !env.get(key).isJsonNull() ? env.get(key).getAsString() : "?";
        }

        ConfigOutcome find(String id) {
            return outcomes.stream().filter(o -> o.id().equals(id)).findFirst().orElse(null);
        }
    }

    /** A configuration's series: the runs it has a valid figure in, and the change points in it. */
    record Series(String id, List<Integer> runs, List<Estimate> estimates, List<EDivisive.ChangePoint> changes) {
    }

    private static final String[][] ENV = {{"kernel", "kernel"}, {"jvm", "JVM"}, {"gitCommit", "harness commit"},
        {"cpuModel", "CPU"}, {"hostname", "host"}};

    private History() {
    }

    /**
     * The report directories named by {@code args}, each a report or a directory of reports, in
     * time order (the timestamp their names start with).
     */
    static List<Path> reports(List<String> args) {
        Set<Path> found = new LinkedHashSet<>();
        for (String a : args) {
            Path p = Path.of(a).toAbsolutePath().normalize();
            if (Files.isRegularFile(p.resolve("invariants.json"))) {
                found.add(ReportComparison.report(a));
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(d -> Files.isRegularFile(d.resolve("invariants.json"))
                            && Files.isRegularFile(d.resolve("environment.json"))).sorted()
                            .forEach(d -> found.add(ReportComparison.report(d.toString())));
                } catch (IOException e) {
                    throw new ReportComparison.BadReportException("cannot list " + p + ": " + e.getMessage());
                }
            } else {
                throw new ReportComparison.BadReportException("no report directory '" + a + "'; give report "
                        + "directories, or a directory that holds them (e.g. reports/)");
            }
        }
        List<Path> l = new ArrayList<>(found);
        l.sort(java.util.Comparator.comparing(d -> d.getFileName().toString()));
        if (l.size() < 2) {
            throw new ReportComparison.BadReportException("history needs two or more reports, found " + l.size()
                    + " in " + String.join(" ", args));
        }
        return l;
    }

    /** Reads the reports, writes the history page under {@code reportsRoot}, prints a line per change. */
    public static Path write(List<String> args, Path reportsRoot, EDivisive detector, PrintStream out) {
        List<Run> runs = new ArrayList<>();
        for (Path p : reports(args)) {
            runs.add(new Run(p.getFileName().toString(), p, ReportComparison.env(p), ReportComparison.outcomes(p)));
        }
        List<Series> series = series(runs, detector);
        Path dir = reportsRoot.resolve("history-" + runs.get(0).name() + "-to-" + runs.get(runs.size() - 1).name());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Map<String, Plots.Saved> plots = new LinkedHashMap<>();
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            if (s.runs().isEmpty()) {
                continue;
            }
            String name = "history-" + (k + 1);
            try {
                plots.put(s.id(), Plots.save(chart(s, runs), dir, name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write plot " + name + ": " + e.getMessage(), e);
            }
        }
        String md = markdown(runs, series, detector, plots);
        ReportFiles.writeAtomically(dir.resolve("summary.md"), md);
        Map<String, String> embedded = new LinkedHashMap<>();
        plots.values().forEach(v -> embedded.put("plots/" + v.name() + ".png", HtmlPage.png(v.pngBase64())));
        ReportFiles.writeAtomically(dir.resolve("index.html"), HtmlPage.render("uprobe-bench history", md, embedded));
        int changes = 0;
        for (Series s : series) {
            for (EDivisive.ChangePoint c : s.changes()) {
                changes++;
                out.printf(Locale.ROOT, "%-50s change at %s: %s%n", s.id(), runs.get(s.runs().get(c.index())).name(),
                        describe(s, c, runs));
            }
        }
        out.printf(Locale.ROOT, "%d reports, %d configurations, %d change point(s)%n", runs.size(), series.size(), changes);
        out.println("report: " + dir);
        return dir;
    }

    /** Every configuration of any run, with its valid figures in run order and their change points. */
    static List<Series> series(List<Run> runs, EDivisive detector) {
        Set<String> ids = new LinkedHashSet<>();
        runs.forEach(r -> r.outcomes().forEach(o -> ids.add(o.id())));
        List<Series> out = new ArrayList<>();
        for (String id : ids) {
            List<Integer> at = new ArrayList<>();
            List<Estimate> est = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                ConfigOutcome o = runs.get(i).find(id);
                if (o != null && o.valid() && !o.forkHitsPerSec().isEmpty()) {
                    at.add(i);
                    est.add(Estimate.of(o.forkHitsPerSec()));
                }
            }
            double[] xs = est.stream().mapToDouble(Estimate::mean).toArray();
            out.add(new Series(id, at, est, detector.changePoints(xs)));
        }
        return out;
    }

    /** "9.31 M → 7.95 M (×0.854), p 0.001; kernel 6.12 → 6.18": the console's line. */
    static String describe(Series s, EDivisive.ChangePoint c, List<Run> runs) {
        return levels(s, c) + "; " + whatChanged(s, c, runs);
    }

    /** "9.31 M → 7.95 M (×0.854), p 0.001": the levels between the neighbouring change points. */
    static String levels(Series s, EDivisive.ChangePoint c) {
        int from = 0;
        int to = s.estimates().size();
        for (EDivisive.ChangePoint o : s.changes()) {
            if (o.index() < c.index()) {
                from = Math.max(from, o.index());
            } else if (o.index() > c.index()) {
                to = Math.min(to, o.index());
            }
        }
        double before = mean(s.estimates().subList(from, c.index()));
        double after = mean(s.estimates().subList(c.index(), to));
        return String.format(Locale.ROOT, "%s → %s (×%.3f), p %s", Format.rate(before), Format.rate(after),
                after / before, c.p() < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", c.p()));
    }

    /** "kernel 6.12 → 6.18", the environment keys that differ between the runs around {@code c}, or that none did. */
    static String whatChanged(Series s, EDivisive.ChangePoint c, List<Run> runs) {
        Run prev = runs.get(s.runs().get(c.index() - 1));
        Run next = runs.get(s.runs().get(c.index()));
        List<String> changed = new ArrayList<>();
        for (String[] k : ENV) {
            if (!prev.describe(k[0]).equals(next.describe(k[0]))) {
                changed.add(k[1] + " " + prev.describe(k[0]) + " → " + next.describe(k[0]));
            }
        }
        return changed.isEmpty() ? "nothing changed in the environment between the two runs" : String.join("; ", changed);
    }

    private static double mean(List<Estimate> es) {
        return es.stream().mapToDouble(Estimate::mean).average().orElse(Double.NaN);
    }

    static XYChart chart(Series s, List<Run> runs) {
        XYChart c = new XYChartBuilder().width(900).height(360).title(s.id()).xAxisTitle("run (time order)")
                .yAxisTitle("hits/s, 95% interval").build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setXAxisDecimalPattern("0");
        double[] x = s.runs().stream().mapToDouble(i -> i + 1).toArray();
        double[] y = s.estimates().stream().mapToDouble(Estimate::mean).toArray();
        double[] err = s.estimates().stream().mapToDouble(e -> e.hasInterval() ? e.high() - e.mean() : 0).toArray();
        XYSeries est = c.addSeries("estimate", x, y, err);
        est.setMarker(SeriesMarkers.CIRCLE);
        int from = 0;
        List<Integer> cuts = new ArrayList<>();
        s.changes().forEach(cp -> cuts.add(cp.index()));
        cuts.add(y.length);
        int k = 0;
        for (int to : cuts) {
            double level = mean(s.estimates().subList(from, to));
            XYSeries seg = c.addSeries("level " + (++k), new double[] {x[from], x[to - 1]}, new double[] {level, level});
            seg.setMarker(SeriesMarkers.NONE);
            seg.setLineColor(java.awt.Color.GRAY);
            seg.setShowInLegend(false);
            from = to;
        }
        for (EDivisive.ChangePoint cp : s.changes()) {
            XYSeries v = c.addSeries("change at run " + (int) x[cp.index()], new double[] {x[cp.index()] - 0.5,
                x[cp.index()] - 0.5}, new double[] {min(y, err), max(y, err)});
            v.setMarker(SeriesMarkers.NONE);
            v.setLineColor(java.awt.Color.RED);
        }
        return c;
    }

    private static double min(double[] y, double[] err) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < y.length; i++) {
            m = Math.min(m, y[i] - err[i]);
        }
        return m;
    }

    private static double max(double[] y, double[] err) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < y.length; i++) {
            m = Math.max(m, y[i] + err[i]);
        }
        return m;
    }

    static String markdown(List<Run> runs, List<Series> series, EDivisive detector, Map<String, Plots.Saved> plots) {
        StringBuilder sb = new StringBuilder("# uprobe-bench history: " + runs.size() + " runs, "
                + runs.get(0).name() + " to " + runs.get(runs.size() - 1).name() + "\n\n");
        sb.append(String.format(Locale.ROOT, "Each configuration's hit throughput (mean of its forks, 95%% interval) "
                + "across the runs in time order. Change points: E-divisive means (Matteson and James 2014, as in "
                + "Apache Otava and MongoDB's CI) over the valid runs' estimates, each kept when a permutation test "
                + "(999 shuffles) gives p ≤ %s, at least %d runs a side (a shift in the last %d runs shows on a later "
                + "run); a flat series gets a false change point at most about %s of the time. Invalid runs "
                + "(violations, failed) are not used.%n%n", detector.alpha(), detector.minSize(),
                detector.minSize() - 1, Format.percent(detector.alpha())));
        sb.append("## Runs\n\n| # | report | kernel | JVM | harness commit | CPU |\n|---:|---|---|---|---|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            sb.append("| ").append(i + 1).append(" | ").append(r.name()).append(" | ").append(r.describe("kernel"))
                    .append(" | ").append(r.describe("jvm")).append(" | ").append(r.describe("gitCommit")).append(" | ")
                    .append(r.describe("cpuModel")).append(" |\n");
        }
        sb.append("\n## Change points\n\n");
        boolean any = false;
        for (Series s : series) {
            for (EDivisive.ChangePoint c : s.changes()) {
                if (!any) {
                    sb.append("| configuration | at run | before → after | what changed |\n|---|---:|---|---|\n");
                    any = true;
                }
                sb.append("| ").append(s.id()).append(" | ").append(s.runs().get(c.index()) + 1).append(" | ")
                        .append(levels(s, c)).append(" | ").append(whatChanged(s, c, runs)).append(" |\n");
            }
        }
        if (!any) {
            sb.append("None found.\n");
        }
        sb.append("\n## Configurations\n\n| configuration | valid runs | latest | change points |\n|---|---:|---|---:|\n");
        for (Series s : series) {
            Estimate last = s.estimates().isEmpty() ? null : s.estimates().get(s.estimates().size() - 1);
            sb.append("| ").append(s.id()).append(" | ").append(s.runs().size()).append(" of ").append(runs.size())
                    .append(" | ").append(last == null ? "-" : Format.rate(last.mean()) + (last.hasInterval() ? " ["
                            + Format.rate(last.low()) + ", " + Format.rate(last.high()) + "]" : ""))
                    .append(" | ").append(s.runs().size() < 2 * detector.minSize() ? "too few runs to test"
                            : String.valueOf(s.changes().size())).append(" |\n");
        }
        sb.append('\n');
        plots.forEach((id, p) -> sb.append("![").append(id).append("](plots/").append(p.name()).append(".png)\n\n"));
        return sb.toString();
    }
}
