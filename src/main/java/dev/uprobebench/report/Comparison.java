package dev.uprobebench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Run B against run A for one configuration, from the per-fork scores of both (the fork is the
 * unit of replication; iterations inside a fork share its JIT decisions and memory layout).
 *
 * <p>The ratio is B/A of the geometric means, with a 95% interval from Welch's t on the log fork
 * scores (two independent samples, unequal spreads; Welch-Satterthwaite degrees of freedom), and
 * the two-sided p value of the same test. The runs were made at different times, so they are not
 * paired.
 *
 * <p>The verdict rule: with fewer than {@link #MIN_FORKS} forks on either side, "inconclusive"
 * and no verdict; otherwise "faster" or "slower" only when the change is significant <em>and</em>
 * the ratio is further from 1 than the noise threshold (Criterion's {@code noise_threshold}).
 * Significant means {@code q < 0.05}, where {@code q} is the p value adjusted over every
 * configuration of the comparison by Benjamini and Hochberg's procedure ({@link #family}): a
 * report compares 17 or more configurations, and 17 tests at 5% each call about one of them
 * faster or slower between two identical runs. Alone ({@link #of}), {@code q} is {@code p}, and
 * significant is the same as "the 95% interval excludes 1".
 */
public record Comparison(double ratio, double low, double high, int nA, int nB, double p, double q,
        double threshold, String verdict) {
    public static final int MIN_FORKS = 3;
    /** The false-discovery rate of the verdicts over a comparison's configurations. */
    public static final double FDR = 0.05;
    /**
     * The default noise threshold, 5%: see README "Comparing two runs" for the measurements that
     * set it.
     */
    public static final double DEFAULT_NOISE_THRESHOLD = 0.05;
    public static final String FASTER = "faster";
    public static final String SLOWER = "slower";
    public static final String SAME = "no significant change";
    public static final String WITHIN_NOISE = SAME + " (within the noise threshold)";
    public static final String INCONCLUSIVE = "inconclusive";

    /** One configuration compared on its own ({@code q = p}). */
    public static Comparison of(List<Double> forksA, List<Double> forksB, double noiseThreshold) {
        List<Double> a = positive(forksA);
        List<Double> b = positive(forksB);
        int na = a.size();
        int nb = b.size();
        if (na == 0 || nb == 0) {
            return new Comparison(Double.NaN, Double.NaN, Double.NaN, na, nb, Double.NaN, Double.NaN, noiseThreshold,
                    INCONCLUSIVE + " (no data)");
        }
        List<Double> la = Estimate.logs(a);
        List<Double> lb = Estimate.logs(b);
        double ma = Estimate.mean(la);
        double mb = Estimate.mean(lb);
        double r = Math.exp(mb - ma);
        if (na < 2 || nb < 2) {
            return new Comparison(r, Double.NaN, Double.NaN, na, nb, Double.NaN, Double.NaN, noiseThreshold,
                    inconclusive(na, nb));
        }
        double va = Estimate.variance(la, ma) / na; // variance of the mean of the logs
        double vb = Estimate.variance(lb, mb) / nb;
        double se = Math.sqrt(va + vb);
        double df = welchDf(va, na, vb, nb);
        double t = Double.isFinite(df) ? Estimate.t(df) : 1.959964;
        double low = r * Math.exp(-t * se);
        double high = r * Math.exp(t * se);
        double p;
        if (se == 0) {
            p = mb == ma ? 1 : 0;
        } else {
            double z = Math.abs(mb - ma) / se;
            p = Double.isFinite(df) ? 2 * (1 - new TDistribution(df).cumulativeProbability(z))
                    : 2 * (1 - new NormalDistribution().cumulativeProbability(z));
        }
        return withQ(new Comparison(r, low, high, na, nb, p, p, noiseThreshold, ""), p);
    }

    /** This comparison with {@code q} as its adjusted p value, and the verdict that follows. */
    private static Comparison withQ(Comparison c, double q) {
        String verdict;
        if (c.nA < MIN_FORKS || c.nB < MIN_FORKS) {
            verdict = inconclusive(c.nA, c.nB);
        } else if (!(q < FDR)) {
            verdict = SAME;
        } else if (c.ratio > 1) {
            verdict = c.ratio - 1 > c.threshold ? FASTER : WITHIN_NOISE;
        } else {
            verdict = 1 - c.ratio > c.threshold ? SLOWER : WITHIN_NOISE;
        }
        return new Comparison(c.ratio, c.low, c.high, c.nA, c.nB, c.p, q, c.threshold, verdict);
    }

    /**
     * The comparisons of one report pair as a family: p values adjusted by Benjamini-Hochberg over
     * those with enough forks to be judged, so that between two identical runs the chance that any
     * configuration gets a verdict is at most {@link #FDR}; the verdicts follow the adjusted values.
     */
    public static List<Comparison> family(List<Comparison> cs) {
        List<Integer> judged = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            Comparison c = cs.get(i);
            if (c.nA >= MIN_FORKS && c.nB >= MIN_FORKS && Double.isFinite(c.p)) {
                judged.add(i);
            }
        }
        judged.sort(Comparator.comparingDouble(i -> cs.get(i).p));
        int m = judged.size();
        double[] q = new double[m];
        double running = 1;
        for (int k = m - 1; k >= 0; k--) {
            running = Math.min(running, cs.get(judged.get(k)).p * m / (k + 1));
            q[k] = running;
        }
        List<Comparison> out = new ArrayList<>(cs);
        for (int k = 0; k < m; k++) {
            int i = judged.get(k);
            out.set(i, withQ(cs.get(i), q[k]));
        }
        return out;
    }

    private static String inconclusive(int na, int nb) {
        return String.format(Locale.ROOT, "%s (%d/%d forks, %d needed)", INCONCLUSIVE, na, nb, MIN_FORKS);
    }

    /** True for "faster" or "slower": a change worth reporting. */
    public boolean isChange() {
        return verdict.equals(FASTER) || verdict.equals(SLOWER);
    }

    public boolean hasInterval() {
        return Double.isFinite(low);
    }

    private static List<Double> positive(List<Double> xs) {
        List<Double> v = Estimate.finite(xs);
        v.removeIf(x -> x <= 0);
        return v;
    }

    static double welchDf(double va, int na, double vb, int nb) {
        double num = (va + vb) * (va + vb);
        double den = va * va / (na - 1) + vb * vb / (nb - 1);
        return den == 0 ? Double.POSITIVE_INFINITY : num / den;
    }

    /** The adjusted p value, {@code 0.003} or {@code <0.001}, or "-". */
    public String formatQ() {
        if (!Double.isFinite(q)) {
            return "-";
        }
        return q < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", q);
    }

    public String format() {
        if (Double.isNaN(ratio)) {
            return "-";
        }
        if (!hasInterval()) {
            return String.format(Locale.ROOT, "%.3f", ratio);
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", ratio, low, high);
    }
}
