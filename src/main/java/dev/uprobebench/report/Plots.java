package dev.uprobebench.report;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.uret.Lifetime;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's plots, drawn with XChart and saved as PNG (embedded in the HTML page) and SVG
 * (linked from {@code summary.md}): throughput against reader count with error bars, and latency
 * percentile curves on HdrHistogram's percentile axis.
 */
public final class Plots {
    /** A saved plot: its file base name (under {@code plots/}) and the PNG, base64-encoded. */
    public record Saved(String name, String pngBase64) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;

    private Plots() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        XYStyler s = c.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        return c;
    }

    /**
     * One colour per back-end (Okabe and Ito's colour-blind-safe palette, in {@link Backend}
     * order), so that a back-end looks the same on every plot of a report and of a comparison,
     * whatever else is drawn beside it. A name this build does not know is grey.
     */
    private static final Color[] PALETTE = {new Color(0x000000), new Color(0xE69F00), new Color(0x56B4E9),
        new Color(0x009E73), new Color(0x0072B2), new Color(0xD55E00), new Color(0xCC79A7), new Color(0xF0E442),
        new Color(0x882255)}; // the ninth, the host kernel's: Paul Tol's wine, apart from Okabe and Ito's eight
    private static final Marker[] MARKERS = {SeriesMarkers.SQUARE, SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.OVAL, SeriesMarkers.CROSS,
        SeriesMarkers.TRAPEZOID, SeriesMarkers.RECTANGLE};
    private static final Color UNKNOWN = new Color(0x888888);

    static Color colour(String backend) {
        int i = backendIndex(backend);
        return i < 0 ? UNKNOWN : PALETTE[i % PALETTE.length];
    }

    static Marker marker(String backend) {
        int i = backendIndex(backend);
        return i < 0 ? SeriesMarkers.PLUS : MARKERS[i % MARKERS.length];
    }

    /**
     * Return-probe series all run on one back-end: they are told apart by their lifetime design
     * (refcount, hprobe, srcu-updown), in the palette's order after black.
     */
    static Color designColour(String design) {
        int i = designIndex(design);
        return i < 0 ? UNKNOWN : PALETTE[(1 + i) % PALETTE.length];
    }

    static Marker designMarker(String design) {
        int i = designIndex(design);
        return i < 0 ? SeriesMarkers.PLUS : MARKERS[(1 + i) % MARKERS.length];
    }

    private static int designIndex(String design) {
        for (Lifetime l : Lifetime.values()) {
            if (l.label().equals(design)) {
                return l.ordinal();
            }
        }
        return -1;
    }

    /**
     * The published {@code trig-uretprobe-nop} curves (80-core Xeon Gold 6138, M/s against threads),
     * drawn beside a return-probe scenario's own throughput plot, in the designs' colours.
     */
    public static XYChart publishedUretprobe() {
        XYChart c = chart("Published trig-uretprobe-nop, 80-core Xeon Gold 6138 (A. Nakryiko, 6.13)",
                "threads", "M entry+return/s");
        c.getStyler().setXAxisDecimalPattern("0");
        c.getStyler().setYAxisMin(0.0);
        double[] x = java.util.Arrays.stream(ReturnProbeTable.THREADS).asDoubleStream().toArray();
        XYSeries ref = c.addSeries("refcount (6.12)", x, ReturnProbeTable.REFCOUNT);
        ref.setLineColor(designColour("refcount"));
        ref.setMarkerColor(designColour("refcount"));
        ref.setMarker(designMarker("refcount"));
        XYSeries lease = c.addSeries("hprobe: SRCU lease (6.13)", x, ReturnProbeTable.HPROBE);
        lease.setLineColor(designColour("hprobe"));
        lease.setMarkerColor(designColour("hprobe"));
        lease.setMarker(designMarker("hprobe"));
        return c;
    }

    private static int backendIndex(String backend) {
        for (Backend b : Backend.values()) {
            if (b.cliName().equals(backend)) {
                return b.ordinal();
            }
        }
        return -1;
    }

    /**
     * The back-end's colour and marker; a run with a non-default RCU flavour ({@code memb}) is
     * dotted, an invalid one dashed and named so.
     */
    private static void mark(XYSeries s, ConfigOutcome o) {
        Color c = o.spec().hasUretprobes() ? designColour(o.spec().uretprobe()) : colour(o.spec().backend());
        s.setMarker(o.spec().hasUretprobes() ? designMarker(o.spec().uretprobe()) : marker(o.spec().backend()));
        s.setLineColor(c);
        s.setMarkerColor(c);
        if (!o.valid()) {
            s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        } else if (!o.spec().defaultRcuFlavour()) {
            s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
        }
    }

    /** Label of a series: the back-end, and INVALID when any of its points is. */
    private static String seriesName(String label, List<ConfigOutcome> points) {
        boolean invalid = points.stream().anyMatch(p -> p.totals().violations() > 0);
        return invalid ? label + " (INVALID)" : label;
    }

    /**
     * Hits per second (millions, over all readers) against readers, one line per back-end, with
     * the fork-level 95% interval as error bars; a series with a flagged point says so in its name.
     */
    public static XYChart throughput(String scenario, List<Analysis.Row> rows) {
        XYChart c = chart("Hit throughput (mean over forks, 95% interval)", "readers (threads, one per core)",
                "M hits/s (all readers)");
        c.getStyler().setXAxisDecimalPattern("0");
        c.getStyler().setYAxisMin(0.0);
        Map<String, List<Analysis.Row>> byLabel = new LinkedHashMap<>();
        for (Analysis.Row r : rows) {
            if (r.hits().n() > 0) {
                byLabel.computeIfAbsent(r.outcome().spec().label(), k -> new ArrayList<>()).add(r);
            }
        }
        long readerCounts = byLabel.values().stream().flatMap(List::stream).mapToInt(r -> r.outcome().spec().readers())
                .distinct().count();
        if (readerCounts == 1) {
            return pointsPerBackEnd(c, byLabel);
        }
        for (Map.Entry<String, List<Analysis.Row>> e : byLabel.entrySet()) {
            List<Analysis.Row> pts = e.getValue();
            pts.sort((a, b) -> Integer.compare(a.outcome().spec().readers(), b.outcome().spec().readers()));
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            double[] err = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                Estimate h = pts.get(i).hits();
                x[i] = pts.get(i).outcome().spec().readers();
                y[i] = h.mean() / 1e6;
                err[i] = h.hasInterval() ? (h.high() - h.mean()) / 1e6 : 0;
            }
            List<ConfigOutcome> outcomes = new ArrayList<>();
            pts.forEach(p -> outcomes.add(p.outcome()));
            String name = seriesName(e.getKey(), outcomes) + flagsOf(pts);
            XYSeries s = c.addSeries(name, x, y, err);
            mark(s, outcomes.get(outcomes.size() - 1));
        }
        return c;
    }

    /**
     * A scenario with one reader count: each back-end is a point with its interval at its own
     * place on the x axis (in legend order; the legend names it), not a one-point line.
     */
    private static XYChart pointsPerBackEnd(XYChart c, Map<String, List<Analysis.Row>> byLabel) {
        List<String> labels = new ArrayList<>(byLabel.keySet());
        int readers = byLabel.values().iterator().next().get(0).outcome().spec().readers();
        c.setXAxisTitle("back-ends in legend order (" + readers + " reader" + (readers == 1 ? "" : "s") + ", one per core)");
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(labels.size() + 1.0);
        c.getStyler().setXAxisTicksVisible(false); // the legend names each point
        for (int i = 0; i < labels.size(); i++) {
            Analysis.Row r = byLabel.get(labels.get(i)).get(0);
            Estimate h = r.hits();
            double[] x = {i + 1};
            double[] y = {h.mean() / 1e6};
            double[] err = {h.hasInterval() ? (h.high() - h.mean()) / 1e6 : 0};
            XYSeries s = c.addSeries(seriesName(labels.get(i), List.of(r.outcome())) + flagsOf(List.of(r)), x, y, err);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            mark(s, r.outcome());
        }
        return c;
    }

    /** " (NOISY, SUSPECT)" for the flags any point of a series carries, or "". */
    private static String flagsOf(List<Analysis.Row> pts) {
        List<String> kinds = new ArrayList<>();
        for (Analysis.Row r : pts) {
            for (String f : r.flags()) {
                String kind = f.contains(":") ? f.substring(0, f.indexOf(':')) : f;
                if (!kinds.contains(kind)) {
                    kinds.add(kind);
                }
            }
        }
        return kinds.isEmpty() ? "" : " (" + String.join(", ", kinds) + ")";
    }

    /**
     * The x value of a percentile on HdrHistogram's axis, in decades: {@code log10(1 / (1 - p))},
     * so that 90%, 99%, 99.9% ... are evenly spaced at 1, 2, 3 ...
     */
    static double percentileAxis(double percentile) {
        return Math.log10(1.0 / (1.0 - Math.min(percentile, 99.9999) / 100.0));
    }

    /** Tick label of a value drawn as its log10: the value itself, two significant digits. */
    static String powerOfTenLabel(double log10) {
        double v = Math.pow(10, log10);
        java.math.BigDecimal b = new java.math.BigDecimal(v).round(new java.math.MathContext(2));
        return new java.text.DecimalFormat("#,##0.###").format(b);
    }

    /** Tick label of a decade on the percentile axis ("99.9%"); blank between decades. */
    static String percentileLabel(double decades) {
        long d = Math.round(decades);
        if (Math.abs(decades - d) > 1e-6 || d < 0) {
            return "";
        }
        java.math.BigDecimal hundred = java.math.BigDecimal.valueOf(100);
        return hundred.subtract(hundred.scaleByPowerOfTen((int) -d)).stripTrailingZeros().toPlainString() + "%";
    }

    /** Latency (ns, log) against percentile (50% .. 99.999%) for {@code tag}; one line per back-end. */
    public static XYChart latency(String title, List<ConfigOutcome> outcomes, String tag, String unit, double unitNanos) {
        XYChart c = chart(title, "percentile (log scale of 1/(1-p), as HdrHistogram plots it)",
                tag + " latency (" + unit + ", log scale)");
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(5.0);
        c.getStyler().setxAxisTickLabelsFormattingFunction(Plots::percentileLabel);
        c.getStyler().setyAxisTickLabelsFormattingFunction(Plots::powerOfTenLabel);
        for (ConfigOutcome o : outcomes) {
            List<double[]> curve = o.totals().curves().get(tag);
            if (curve == null || curve.isEmpty()) {
                continue;
            }
            List<double[]> pts = new ArrayList<>();
            for (double[] p : curve) {
                if (p[0] >= 50 && p[1] > 0) {
                    pts.add(p);
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                x[i] = percentileAxis(pts.get(i)[0]);
                y[i] = Math.log10(Math.max(pts.get(i)[1] / unitNanos, 1e-3)); // drawn in decades
            }
            XYSeries s = c.addSeries(seriesName(o.spec().label(), List.of(o)), x, y);
            mark(s, o);
        }
        return c;
    }

    /** Writes {@code plots/<name>.png} and {@code .svg} under {@code reportDir}. */
    public static Saved save(XYChart chart, Path reportDir, String name) throws IOException {
        Path dir = reportDir.resolve("plots");
        Files.createDirectories(dir);
        String base = dir.resolve(name).toString();
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        return new Saved(name, Base64.getEncoder().encodeToString(png));
    }

    /** True when the chart has at least one series (XChart refuses to draw an empty chart). */
    public static boolean hasData(XYChart chart) {
        return !chart.getSeriesMap().isEmpty();
    }
}
