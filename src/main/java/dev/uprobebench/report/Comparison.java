package dev.uprobebench.report;

import java.util.List;
import java.util.Locale;

/**
 * Run B against run A for one configuration, from the per-fork scores of both (the fork is the
 * unit of replication; iterations inside a fork share its JIT decisions and memory layout).
 *
 * <p>The ratio is B/A of the geometric means, with a 95% interval from Welch's t on the log fork
 * scores (two independent samples, unequal spreads; Welch-Satterthwaite degrees of freedom). The
 * runs were made at different times, so they are not paired.
 *
 * <p>The verdict rule: with fewer than {@link #MIN_FORKS} forks on either side, "inconclusive"
 * and no verdict; otherwise "faster" or "slower" only when the interval excludes 1 <em>and</em>
 * the ratio is further from 1 than the noise threshold (Criterion's {@code noise_threshold}):
 * a change that is real but smaller than what this kind of machine moves between identical runs
 * is not reported as one.
 */
public record Comparison(double ratio, double low, double high, int nA, int nB, String verdict) {
    public static final int MIN_FORKS = 3;
    /**
     * The default noise threshold, 5%: see README "Comparing two runs" for the A/A measurements
     * that set it.
     */
    public static final double DEFAULT_NOISE_THRESHOLD = 0.05;
    public static final String FASTER = "faster";
    public static final String SLOWER = "slower";
    public static final String SAME = "no significant change";
    public static final String WITHIN_NOISE = SAME + " (within the noise threshold)";
    public static final String INCONCLUSIVE = "inconclusive";

    public static Comparison of(List<Double> forksA, List<Double> forksB, double noiseThreshold) {
        List<Double> a = positive(forksA);
        List<Double> b = positive(forksB);
        int na = a.size();
        int nb = b.size();
        if (na == 0 || nb == 0) {
            return new Comparison(Double.NaN, Double.NaN, Double.NaN, na, nb, INCONCLUSIVE + " (no data)");
        }
        double[] la = logs(a);
        double[] lb = logs(b);
        double ma = mean(la);
        double mb = mean(lb);
        double r = Math.exp(mb - ma);
        if (na < 2 || nb < 2) {
            return new Comparison(r, Double.NaN, Double.NaN, na, nb, inconclusive(na, nb));
        }
        double va = var(la, ma) / na; // variance of the mean of the logs
        double vb = var(lb, mb) / nb;
        double se = Math.sqrt(va + vb);
        double df = welchDf(va, na, vb, nb);
        double t = Double.isFinite(df) ? Estimate.t(df) : 1.959964;
        double low = r * Math.exp(-t * se);
        double high = r * Math.exp(t * se);
        String verdict;
        if (na < MIN_FORKS || nb < MIN_FORKS) {
            verdict = inconclusive(na, nb);
        } else if (low > 1) {
            verdict = r - 1 > noiseThreshold ? FASTER : WITHIN_NOISE;
        } else if (high < 1) {
            verdict = 1 - r > noiseThreshold ? SLOWER : WITHIN_NOISE;
        } else {
            verdict = SAME;
        }
        return new Comparison(r, low, high, na, nb, verdict);
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

    private static double[] logs(List<Double> xs) {
        double[] l = new double[xs.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = Math.log(xs.get(i));
        }
        return l;
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    private static double var(double[] xs, double mean) {
        double s = 0;
        for (double x : xs) {
            s += (x - mean) * (x - mean);
        }
        return s / (xs.length - 1);
    }

    static double welchDf(double va, int na, double vb, int nb) {
        double num = (va + vb) * (va + vb);
        double den = va * va / (na - 1) + vb * vb / (nb - 1);
        return den == 0 ? Double.POSITIVE_INFINITY : num / den;
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
