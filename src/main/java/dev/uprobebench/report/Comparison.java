package dev.uprobebench.report;

import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The ratio of two runs' mean throughput, B / A, with a confidence interval from their
 * per-iteration samples: the delta method on the log of the ratio of two independent means (so the
 * interval stays positive and is symmetric in A and B), with Welch-Satterthwaite degrees of
 * freedom for the t quantile. Iterations of one fork are not independent of each other's JIT and
 * memory layout, so an interval from a single fork understates run-to-run variance.
 */
public record Comparison(double ratio, double low, double high, int nA, int nB, String verdict) {
    public static final double CONFIDENCE = 0.95;
    public static final String FASTER = "faster";
    public static final String SLOWER = "slower";
    public static final String SAME = "no significant change";
    public static final String UNKNOWN = "too few iterations";

    public static Comparison of(List<Double> a, List<Double> b) {
        int na = a.size();
        int nb = b.size();
        if (na == 0 || nb == 0) {
            return new Comparison(Double.NaN, Double.NaN, Double.NaN, na, nb, UNKNOWN);
        }
        double ma = mean(a);
        double mb = mean(b);
        double r = mb / ma;
        if (na < 2 || nb < 2) {
            return new Comparison(r, Double.NaN, Double.NaN, na, nb, UNKNOWN);
        }
        double va = variance(a, ma) / na; // variance of the mean
        double vb = variance(b, mb) / nb;
        double seLog = Math.sqrt(vb / (mb * mb) + va / (ma * ma)); // standard error of log(B/A)
        double df = welchDf(va, na, vb, nb);
        double t = df > 0 && Double.isFinite(df) ? new TDistribution(df).inverseCumulativeProbability(
                0.5 + CONFIDENCE / 2) : 1.959964;
        double low = r * Math.exp(-t * seLog);
        double high = r * Math.exp(t * seLog);
        String verdict = low > 1 ? FASTER : high < 1 ? SLOWER : SAME;
        return new Comparison(r, low, high, na, nb, verdict);
    }

    static double mean(List<Double> xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.size();
    }

    static double variance(List<Double> xs, double mean) {
        double s = 0;
        for (double x : xs) {
            s += (x - mean) * (x - mean);
        }
        return s / (xs.size() - 1);
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
        if (Double.isNaN(low)) {
            return String.format(Locale.ROOT, "%.3f", ratio);
        }
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", ratio, low, high);
    }
}
