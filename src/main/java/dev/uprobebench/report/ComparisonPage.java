package dev.uprobebench.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison of two runs as {@code summary.md} and a self-contained {@code index.html}, both
 * from one list of rows, with a forest plot: each configuration's ratio B/A as a dot on its 95%
 * interval, against the line at 1 and the band of the noise threshold.
 */
public final class ComparisonPage {
    /** One configuration present in both reports. */
    public record Row(String id, ConfigOutcome a, ConfigOutcome b, Comparison hits, Comparison writer,
            List<String> flames) {
        public boolean valid() {
            return a.valid() && b.valid();
        }

        /** The verdict, or "INVALID input" when either side is not a valid result. */
        public String verdict() {
            return valid() ? hits.verdict() : "INVALID input";
        }
    }

    /** What the page says about its inputs. */
    public record Inputs(String title, Path a, Path b, double noiseThreshold, List<String> onlyA, List<String> onlyB,
            List<String> warnings) {
    }

    private ComparisonPage() {
    }

    static String rule(double threshold) {
        return String.format(Locale.ROOT, "B/A of the geometric mean of per-fork hits/s, with a 95%% interval "
                + "(Welch's t on the log fork scores: the fork, not the iteration, is the unit of replication), and "
                + "q, its p value adjusted over every configuration valid on both sides (Benjamini-Hochberg, so that "
                + "two identical runs get any faster or slower verdict at most %.0f%% of the time). The noise band is "
                + "[%.3f, %.3f] (±%.1f%% on the log scale, `--noise-threshold`). Verdicts, from the interval: "
                + "*faster*/*slower* when q < %.2f and the whole interval lies beyond the band; *equivalent* when the "
                + "whole 90%% interval lies inside it (TOST: both one-sided tests reject at 5%%; its p is in the "
                + "TOST column), a statement to publish; *faster/slower, maybe within noise* when q < %.2f but the "
                + "interval reaches into the band; otherwise *inconclusive*, with the forks (rounds) a side that "
                + "would decide it at this spread. With fewer than %d forks on either side: inconclusive, no q. "
                + "MDE: the smallest change these forks at this spread would call with 80%% power.",
                100 * Comparison.FDR, 1 / (1 + threshold), 1 + threshold, 100 * threshold, Comparison.FDR,
                Comparison.FDR, Comparison.MIN_FORKS);
    }

    /** Counts of each verdict, e.g. "15 equivalent, 2 inconclusive". */
    public static String tally(List<Row> rows) {
        Map<String, Integer> n = new java.util.LinkedHashMap<>();
        rows.forEach(r -> n.merge(r.valid() ? r.hits().kind().label : r.verdict(), 1, Integer::sum));
        StringBuilder sb = new StringBuilder();
        n.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
        return sb.toString();
    }

    public static String markdown(Inputs in, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("# uprobe-bench comparison: ").append(in.title()).append("\n\n");
        sb.append("- A: `").append(in.a()).append("`\n- B: `").append(in.b()).append("`\n");
        sb.append("- ").append(rule(in.noiseThreshold())).append('\n');
        sb.append("- verdicts: ").append(tally(rows)).append("\n\n");
        for (String w : in.warnings()) {
            sb.append("> **warning:** ").append(w).append("\n\n");
        }
        sb.append("![forest plot](forest.svg)\n\n");
        sb.append("| configuration | forks A/B | hits/s A | hits/s B | B/A [95% CI] | MDE | q | verdict | TOST p | writer B/A | "
                + "hit p50 ns A → B | hit p99 ns A → B | hit p99.9 ns A → B | diff flame graph |\n");
        sb.append("|---|---:|---:|---:|---|---:|---:|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.id()).append(" | ").append(r.hits().nA()).append('/').append(r.hits().nB())
                    .append(" | ").append(Format.rate(r.a().hitsPerSec())).append(" | ")
                    .append(Format.rate(r.b().hitsPerSec())).append(" | ").append(r.hits().format()).append(" | ")
                    .append(r.hits().formatMde()).append(" | ").append(r.hits().formatQ()).append(" | ")
                    .append(r.hits().isChange() || !r.valid() ? "**" + r.verdict() + "**" : r.verdict()).append(" | ")
                    .append(r.valid() ? r.hits().formatEquivalence() : "-").append(" | ")
                    .append(r.writer() == null ? "-" : r.writer().format()).append(" | ")
                    .append(delta(r, "p50")).append(" | ").append(delta(r, "p99")).append(" | ")
                    .append(delta(r, "p99.9")).append(" | ")
                    .append(r.flames().isEmpty() ? "-" : "[diff](" + r.flames().get(0) + ")").append(" |\n");
        }
        if (!in.onlyA().isEmpty() || !in.onlyB().isEmpty()) {
            sb.append("\n## Not compared\n\n");
            in.onlyA().forEach(id -> sb.append("- only in A: `").append(id).append("`\n"));
            in.onlyB().forEach(id -> sb.append("- only in B: `").append(id).append("`\n"));
        }
        return sb.toString();
    }

    /** The page: the Markdown above, with the forest plot embedded. */
    public static String html(Inputs in, List<Row> rows) {
        return HtmlPage.render("uprobe-bench comparison", markdown(in, rows),
                Map.of("forest.svg", HtmlPage.svg(forest(rows, in.noiseThreshold()))));
    }

    private static String delta(Row r, String p) {
        Map<String, Long> la = r.a().totals().latency().get("hit");
        Map<String, Long> lb = r.b().totals().latency().get("hit");
        if (la == null || lb == null || !la.containsKey(p) || !lb.containsKey(p)) {
            return "-";
        }
        long d = lb.get(p) - la.get(p);
        return la.get(p) + " → " + lb.get(p) + " (" + (d >= 0 ? "+" : "") + d + ")";
    }

    /**
     * The forest plot as SVG: one line per configuration, the ratio on a log axis, its interval as
     * a bar, the line at 1 and the noise band shaded; changes coloured, invalid rows red.
     */
    public static String forest(List<Row> rows, double threshold) {
        int labelW = 420;
        int plotW = 480;
        int rowH = 20;
        int top = 30;
        int h = top + rowH * rows.size() + 30;
        double lo = Math.log(1 / (1 + Math.max(threshold, 0.02) * 4));
        double hi = -lo;
        for (Row r : rows) {
            Comparison c = r.hits();
            if (Double.isFinite(c.ratio())) {
                lo = Math.min(lo, Math.log(c.hasInterval() ? c.low() : c.ratio()));
                hi = Math.max(hi, Math.log(c.hasInterval() ? c.high() : c.ratio()));
            }
        }
        double span = Math.max(-lo, hi) * 1.05;
        java.util.function.DoubleUnaryOperator x = v -> labelW + plotW * (Math.log(v) + span) / (2 * span);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">", labelW + plotW + 20, h));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\">B/A hits/s, 95%% interval (log scale); "
                + "shaded: ±%.1f%% noise threshold</text>", labelW, 100 * threshold));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eeeeee\"/>",
                x.applyAsDouble(1 / (1 + threshold)), top, x.applyAsDouble(1 + threshold)
                        - x.applyAsDouble(1 / (1 + threshold)), rowH * rows.size()));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\"/>",
                x.applyAsDouble(1), top, x.applyAsDouble(1), top + rowH * rows.size()));
        for (double tick : new double[] {Math.exp(-span / 1.05), 1 / (1 + threshold), 1, 1 + threshold,
                Math.exp(span / 1.05)}) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.2f</text>",
                    x.applyAsDouble(tick), top + rowH * rows.size() + 16, tick));
        }
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Comparison c = r.hits();
            int y = top + rowH * i + rowH / 2;
            String colour = !r.valid() ? "#b00000" : c.kind().sign() > 0 ? "#0a7a0a"
                    : c.kind().sign() < 0 ? "#b00000" : "#1f4e99";
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", labelW - 8,
                    y + 4, HtmlPage.esc(r.id())));
            if (!Double.isFinite(c.ratio())) {
                continue;
            }
            if (c.hasInterval()) {
                sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                        + "stroke-width=\"2\"/>", x.applyAsDouble(c.low()), y, x.applyAsDouble(c.high()), y, colour));
            }
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"%s\"><title>%s: %s, %s"
                    + "</title></circle>", x.applyAsDouble(c.ratio()), y, colour, HtmlPage.esc(r.id()), c.format(),
                    HtmlPage.esc(r.verdict())));
        }
        sb.append("</svg>");
        return sb.toString();
    }
}
