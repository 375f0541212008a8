package dev.uprobebench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/** Reading HdrHistogram interval logs back and writing percentile ({@code .hgrm}) files. */
public final class Histograms {
    /** Percentiles shown in tables. */
    public static final double[] TABLE_PERCENTILES = {50, 99, 99.9};

    private Histograms() {
    }

    /** Sums every interval of every log, per tag; untagged intervals are the hit series. */
    public static Map<String, Histogram> sumByTag(List<Path> logs) throws IOException {
        Map<String, Histogram> out = new TreeMap<>();
        for (Path log : logs) {
            HistogramLogReader reader = new HistogramLogReader(log.toFile());
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                if (!(h instanceof Histogram)) {
                    continue;
                }
                Histogram hist = (Histogram) h;
                String tag = hist.getTag() == null ? "hit" : hist.getTag();
                out.computeIfAbsent(tag, t -> new Histogram(hist.getLowestDiscernibleValue(),
                        hist.getHighestTrackableValue(), hist.getNumberOfSignificantValueDigits())).add(hist);
            }
        }
        return out;
    }

    /**
     * Writes HdrHistogram's percentile distribution, the format its plotter loads, with values
     * divided by {@code unitNanos} (1 for ns, 1000 for us).
     */
    public static void writeHgrm(Histogram h, Path file, double unitNanos) throws IOException {
        try (PrintStream ps = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            h.outputPercentileDistribution(ps, 5, unitNanos);
        }
    }

    /** Percentiles of the plotted curves (HdrHistogram's plotter shows the same range). */
    public static final double[] CURVE_PERCENTILES = {0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999};

    /** [percentile, ns] pairs at {@link #CURVE_PERCENTILES}. */
    public static List<double[]> curve(Histogram h) {
        List<double[]> out = new java.util.ArrayList<>();
        for (double p : CURVE_PERCENTILES) {
            out.add(new double[] {p, h.getValueAtPercentile(p)});
        }
        return out;
    }

    /** p50, p90, p99, p99.9, p99.99, max and count, in ns. */
    public static Map<String, Long> percentiles(Histogram h) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("p50", h.getValueAtPercentile(50));
        m.put("p90", h.getValueAtPercentile(90));
        m.put("p99", h.getValueAtPercentile(99));
        m.put("p99.9", h.getValueAtPercentile(99.9));
        m.put("p99.99", h.getValueAtPercentile(99.99));
        m.put("max", h.getMaxValue());
        m.put("count", h.getTotalCount());
        return m;
    }
}
