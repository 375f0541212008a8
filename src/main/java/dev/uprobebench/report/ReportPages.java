package dev.uprobebench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;

/**
 * Writes a report's pages from its outcomes, one way: the results ({@link ConfigOutcome}) are
 * analysed ({@link Analysis}), the analysis drawn ({@link Plots}) and exported ({@link Exports}),
 * the document made ({@link Summary}: Markdown) and rendered ({@link HtmlPage}); no step calls back
 * into an earlier one. {@code summary.md} always, and with plots, {@code plots/*.png|svg} and the
 * self-contained {@code index.html}.
 */
public final class ReportPages {
    private ReportPages() {
    }

    /** The writer's latency series and what each plot is titled: which is which, on the page. */
    static final Map<String, String> WRITER_PLOTS = new java.util.LinkedHashMap<>();

    static {
        WRITER_PLOTS.put("unregister", "unregister latency from the intended start (corrected for coordinated omission)");
        WRITER_PLOTS.put("unregister-service", "unregister service time (uncorrected)");
        WRITER_PLOTS.put("register", "register latency from the intended start (corrected for coordinated omission)");
        WRITER_PLOTS.put("register-service", "register service time (uncorrected)");
        WRITER_PLOTS.put("synchronize", "synchronize() (each grace-period wait of the writer; its length is the "
                + "model's wait policy, see the table notes)");
        WRITER_PLOTS.put("mmap", "mmap (address-space writer, from the intended start when paced)");
        WRITER_PLOTS.put("munmap", "munmap (address-space writer, from the intended start when paced)");
    }

    /** Writes summary.md, and when {@code withPlots}, the plots and index.html. */
    public static void write(Path dir, Summary.Header header, List<ConfigOutcome> outcomes, boolean withPlots) {
        Analysis analysis = Analysis.of(outcomes);
        Map<String, ScenarioPlots> plots = new LinkedHashMap<>();
        List<String> plotProblems = new ArrayList<>();
        if (withPlots) {
            int n = 0;
            for (Map.Entry<String, List<Analysis.Row>> e : analysis.byScenario().entrySet()) {
                n++;
                try {
                    plots.put(e.getKey(), plot(dir, n, e.getKey(), e.getValue()));
                } catch (IOException | RuntimeException ex) {
                    plotProblems.add("plots of '" + e.getKey() + "' could not be drawn: " + ex);
                }
            }
        }
        try {
            for (Exports.Excluded x : Exports.write(dir, analysis)) {
                plotProblems.add("left out of the exports (" + ReportFiles.BENCHER + ", " + ReportFiles.ACTION_BIGGER + "): `"
                        + x.id() + "`: " + x.reason());
            }
        } catch (java.io.UncheckedIOException ex) {
            plotProblems.add("exports could not be written: " + ex.getMessage());
        }
        java.util.Set<String> written = new java.util.HashSet<>(List.of("summary.md"));
        if (withPlots) {
            written.add("index.html");
        }
        String page = Summary.render(header, analysis, plots, plotProblems,
                f -> written.contains(f) || Files.exists(dir.resolve(f)));
        ReportFiles.writeAtomically(dir.resolve("summary.md"), page);
        if (withPlots) {
            Map<String, String> embedded = new LinkedHashMap<>();
            plots.values().forEach(p -> p.saved().forEach(s -> embedded.put(ReportFiles.png(s.name()), HtmlPage.png(s.pngBase64()))));
            ReportFiles.writeAtomically(dir.resolve("index.html"), HtmlPage.render("uprobe-bench: " + header.profile(), page,
                    embedded));
        }
    }

    static ScenarioPlots plot(Path dir, int n, String scenario, List<Analysis.Row> rows) throws IOException {
        List<Plots.Saved> saved = new ArrayList<>();
        List<List<String>> series = new ArrayList<>();
        List<ConfigOutcome> outcomes = rows.stream().map(Analysis.Row::outcome).collect(Collectors.toList());
        XYChart t = Plots.throughput(scenario, rows);
        if (Plots.hasData(t)) {
            saved.add(Plots.save(t, dir, "s" + n + "-throughput"));
            series.add(new ArrayList<>(t.getSeriesMap().keySet()));
        }
        if (outcomes.stream().anyMatch(o -> o.spec().hasUretprobes())) {
            XYChart pub = Plots.publishedUretprobe();
            saved.add(Plots.save(pub, dir, "s" + n + "-published-uretprobe"));
            series.add(new ArrayList<>(pub.getSeriesMap().keySet()));
        }
        List<Integer> readerCounts = outcomes.stream().map(o -> o.spec().readers()).distinct().sorted()
                .collect(Collectors.toList());
        for (int r : readerCounts) {
            List<ConfigOutcome> at = outcomes.stream().filter(o -> o.spec().readers() == r).collect(Collectors.toList());
            XYChart h = Plots.latency("Hit latency, " + r + " reader" + (r == 1 ? "" : "s"), at, "hit", "ns", 1);
            if (Plots.hasData(h)) {
                saved.add(Plots.save(h, dir, "s" + n + "-hit-latency-r" + r));
                series.add(new ArrayList<>(h.getSeriesMap().keySet()));
            }
            for (Map.Entry<String, String> wt : WRITER_PLOTS.entrySet()) {
                String tag = wt.getKey();
                XYChart w = Plots.latency(wt.getValue() + ", " + r + " reader" + (r == 1 ? "" : "s"), at, tag,
                        "µs", 1000);
                if (Plots.hasData(w)) {
                    saved.add(Plots.save(w, dir, "s" + n + "-" + tag + "-latency-r" + r));
                    series.add(new ArrayList<>(w.getSeriesMap().keySet()));
                }
            }
        }
        return new ScenarioPlots(saved, series);
    }
}
