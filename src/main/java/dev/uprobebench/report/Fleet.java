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
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * One profile, many servers: the reports of the same profile from several machines on one page.
 * Per configuration, each machine's hit throughput with its 95% interval and its throughput per
 * reader; per back-end and scenario, every machine's speed-up curve on one plot; the machines'
 * descriptions side by side. Reports from different machines are the point; reports of different
 * profiles are refused (the resolved profiles must agree on every key but {@code seed}).
 *
 * <p>No scheduler of its own: each server runs the profile and leaves its report directory, by
 * whatever the user already has (ssh, Ansible, a batch system); this page reads the directories.
 */
public final class Fleet {
    /** One machine's report. */
    record Machine(String name, Path dir, JsonObject env, Map<String, String> profile, List<ConfigOutcome> outcomes) {
        String describe(String key) {
            return env.has(key) && !env.get(key).isJsonNull() ? env.get(key).getAsString() : "?";
        }
    }

    private static final String[][] DESCRIPTION = {{"hostname", "host"}, {"cpuModel", "CPU"},
        {"topologySummary", "topology"}, {"kernel", "kernel"}, {"jvm", "JVM"}, {"pinningPolicy", "pinning"},
        {"governor", "governor"}, {"gitCommit", "harness commit"}};

    private Fleet() {
    }

    /** Reads the reports, writes the fleet page under {@code reportsRoot}, prints its path. */
    public static Path write(List<String> args, Path reportsRoot, PrintStream out) {
        if (args.size() < 2) {
            throw new ReportComparison.BadReportException("fleet needs two or more report directories, got "
                    + args.size());
        }
        List<Machine> machines = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (String a : args) {
            Path p = ReportComparison.report(a);
            if (!seen.add(p)) {
                throw new ReportComparison.BadReportException("report " + p + " is given twice");
            }
            machines.add(new Machine(label(p), p, ReportComparison.env(p), profile(p), ReportComparison.outcomes(p)));
        }
        sameProfile(machines);
        Path dir = reportsRoot.resolve("fleet-" + machines.get(0).dir().getFileName() + "-and-" + (machines.size() - 1)
                + "-more");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Map<String, Plots.Saved> plots = new LinkedHashMap<>();
        for (Map.Entry<String, XYChart> e : speedUpCharts(machines).entrySet()) {
            try {
                plots.put(e.getKey(), Plots.save(e.getValue(), dir, e.getKey()));
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write plot " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        ReportFiles.writeAtomically(dir.resolve("summary.md"), markdown(machines, plots));
        ReportFiles.writeAtomically(dir.resolve("index.html"), html(machines, plots));
        for (Machine m : machines) {
            out.println("machine " + m.name() + ": " + m.describe("cpuModel") + ", " + m.describe("topologySummary") + ", "
                    + m.outcomes().size() + " configurations");
        }
        out.println("report: " + dir);
        return dir;
    }

    /** A machine's name on the page: its host name and the report's directory name. */
    private static String label(Path report) {
        JsonObject env = ReportComparison.env(report);
        String host = env.has("hostname") ? env.get("hostname").getAsString() : "?";
        return host + " (" + report.getFileName() + ")";
    }

    static Map<String, String> profile(Path report) {
        Path f = report.resolve("profile.properties");
        if (!Files.isRegularFile(f)) {
            throw new ReportComparison.BadReportException("'" + report + "' has no profile.properties; fleet needs "
                    + "to know which profile each report ran");
        }
        Map<String, String> keys = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("# profile '")) {
                    keys.put("(name)", line.substring("# profile '".length(), line.indexOf('\'', "# profile '".length())));
                } else if (!line.startsWith("#") && line.contains("=")) {
                    keys.put(line.substring(0, line.indexOf('=')).trim(), line.substring(line.indexOf('=') + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new ReportComparison.BadReportException("cannot read " + f + ": " + e.getMessage());
        }
        keys.remove("seed");
        return keys;
    }

    static void sameProfile(List<Machine> machines) {
        Machine first = machines.get(0);
        for (Machine m : machines.subList(1, machines.size())) {
            Set<String> keys = new TreeSet<>(first.profile().keySet());
            keys.addAll(m.profile().keySet());
            for (String k : keys) {
                String a = first.profile().get(k);
                String b = m.profile().get(k);
                if (!Objects.equals(a, b)) {
                    throw new ReportComparison.BadReportException("reports " + first.dir().getFileName() + " and "
                            + m.dir().getFileName() + " ran different profiles (" + (k.equals("(name)") ? "profile" : k)
                            + ": " + a + " vs " + b + "); fleet compares runs of one profile on several machines");
                }
            }
        }
    }

    /** Configuration ids in first-seen order over all machines. */
    static List<String> ids(List<Machine> machines) {
        Set<String> ids = new LinkedHashSet<>();
        machines.forEach(m -> m.outcomes().forEach(o -> ids.add(o.id())));
        return new ArrayList<>(ids);
    }

    private static ConfigOutcome find(Machine m, String id) {
        return m.outcomes().stream().filter(o -> o.id().equals(id)).findFirst().orElse(null);
    }

    /** "9.30 M [8.91 M, 9.69 M]", per reader, or why there is no number. */
    static String cell(ConfigOutcome o) {
        if (o == null) {
            return "-";
        }
        Estimate e = Estimate.of(o.forkHitsPerSec());
        if (e.n() == 0) {
            return o.status().json();
        }
        String v = Format.rate(e.mean()) + (e.hasInterval() ? " [" + Format.rate(e.low()) + ", "
                + Format.rate(e.high()) + "]" : " (" + e.n() + " fork)");
        v += "; " + Format.rate(e.mean() / Math.max(1, o.spec().readers())) + "/reader";
        List<String> q = o.qualifiers();
        return q.isEmpty() ? v : v + " " + String.join(", ", q);
    }

    /**
     * Per back-end and scenario: every machine's speed-up against its own one-reader figure, over
     * its reader counts. Drawn only where some machine has more than one reader count.
     */
    static Map<String, XYChart> speedUpCharts(List<Machine> machines) {
        Map<String, Map<String, Map<Integer, Double>>> curves = new LinkedHashMap<>(); // key -> machine -> readers
        Map<String, String> titles = new LinkedHashMap<>();
        for (Machine m : machines) {
            for (ConfigOutcome o : m.outcomes()) {
                if (!o.valid() || o.forkHitsPerSec().isEmpty()) {
                    continue;
                }
                String key = o.spec().label() + " | " + o.spec().scenario();
                titles.put(key, o.spec().label() + ", " + o.spec().scenario());
                curves.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(m.name(), k -> new TreeMap<>())
                        .put(o.spec().readers(), Estimate.of(o.forkHitsPerSec()).mean());
            }
        }
        Map<String, XYChart> charts = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, Map<String, Map<Integer, Double>>> e : curves.entrySet()) {
            n++;
            boolean curve = e.getValue().values().stream().anyMatch(pts -> pts.size() > 1 && pts.containsKey(1));
            if (!curve) {
                continue;
            }
            XYChart c = new XYChartBuilder().width(900).height(480).title("Speed-up over 1 reader: " + titles.get(e.getKey()))
                    .xAxisTitle("readers (threads, one per core)").yAxisTitle("hits/s ÷ hits/s at 1 reader").build();
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            c.getStyler().setXAxisDecimalPattern("0");
            int maxReaders = 1;
            for (Map.Entry<String, Map<Integer, Double>> m : e.getValue().entrySet()) {
                Map<Integer, Double> pts = m.getValue();
                if (!pts.containsKey(1) || pts.size() < 2) {
                    continue;
                }
                double base = pts.get(1);
                double[] x = pts.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
                double[] y = pts.values().stream().mapToDouble(v -> v / base).toArray();
                XYSeries s = c.addSeries(m.getKey(), x, y);
                s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
                maxReaders = Math.max(maxReaders, (int) x[x.length - 1]);
            }
            double[] ideal = {1, maxReaders};
            XYSeries lin = c.addSeries("linear", ideal, ideal);
            lin.setLineColor(java.awt.Color.LIGHT_GRAY);
            lin.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            charts.put("fleet-speedup-" + n, c);
        }
        return charts;
    }

    static String markdown(List<Machine> machines, Map<String, Plots.Saved> plots) {
        StringBuilder sb = new StringBuilder("# uprobe-bench fleet: profile `" + machines.get(0).profile().get("(name)")
                + "` on " + machines.size() + " machines\n\n## Machines\n\n| |");
        machines.forEach(m -> sb.append(' ').append(m.name()).append(" |"));
        sb.append("\n|---|").append("---|".repeat(machines.size())).append('\n');
        for (String[] d : DESCRIPTION) {
            sb.append("| ").append(d[1]).append(" |");
            machines.forEach(m -> sb.append(' ').append(m.describe(d[0])).append(" |"));
            sb.append('\n');
        }
        sb.append("\n## Hit throughput per configuration\n\nMean over forks with its 95% interval, then per reader "
                + "(per core: one reader per core). `-`: not run on that machine (it has fewer cores, or it failed).\n\n"
                + "| configuration |");
        machines.forEach(m -> sb.append(' ').append(m.name()).append(" |"));
        sb.append("\n|---|").append("---|".repeat(machines.size())).append('\n');
        for (String id : ids(machines)) {
            sb.append("| ").append(id).append(" |");
            machines.forEach(m -> sb.append(' ').append(cell(find(m, id))).append(" |"));
            sb.append('\n');
        }
        if (!plots.isEmpty()) {
            sb.append("\n## Speed-up\n\n");
            plots.keySet().forEach(p -> sb.append("![").append(p).append("](plots/").append(p).append(".png)\n\n"));
        }
        return sb.toString();
    }

    /** The page: the Markdown above, with the plots embedded. */
    static String html(List<Machine> machines, Map<String, Plots.Saved> plots) {
        Map<String, String> embedded = new LinkedHashMap<>();
        plots.forEach((k, v) -> embedded.put("plots/" + k + ".png", HtmlPage.png(v.pngBase64())));
        return HtmlPage.render("uprobe-bench fleet", markdown(machines, plots), embedded);
    }
}
