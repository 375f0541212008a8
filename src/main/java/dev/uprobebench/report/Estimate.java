package dev.uprobebench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A figure estimated from independent replicates, one per forked JVM (Georges et al., OOPSLA 2007;
 * Kalibera and Jones, ISMM 2013: the VM invocation is the unit of replication), with a 95%
 * Student-t interval from the spread between them.
 *
 * <p>Why Student t and not a bootstrap: a profile has 3 to 10 forks per configuration, and a
 * percentile bootstrap of 3 values can only return intervals between the smallest and largest of
 * them, which is far too narrow (its coverage at n = 3 is about 75%, not 95%). The t interval is
 * exact for normal data and holds its coverage at small n; fork means are averages of many
 * operations, so their distribution is close to normal unless the forks split into clusters,
 * which the outlier flag reports.
 *
 * <p>Ratios ({@link #pairedRatio}) are estimated on the log scale: the mean of per-round
 * log-ratios with a t interval, exponentiated, so the interval is positive and symmetric in the
 * two sides (B/A and A/B give reciprocal intervals).
 *
 * @param n      replicates
 * @param mean   arithmetic mean (for a ratio: the geometric mean of the paired ratios)
 * @param low    lower bound of the 95% interval (NaN with fewer than 2 replicates)
 * @param high   upper bound
 * @param sd     sample standard deviation of the replicates (for a ratio: of the log-ratios)
 * @param values the replicates (for a ratio: the paired ratios), in round order
 */
public record Estimate(int n, double mean, double low, double high, double sd, List<Double> values) {
    public static final double CONFIDENCE = 0.95;
    /** An interval wider than this share of the estimate, either side, flags the figure NOISY. */
    public static final double NOISY_HALF_WIDTH = 0.10;
    /** The spread floor: a coefficient of variation of 0.1%, below what a fork's timer can tell apart. */
    public static final double MIN_CV = 0.001;
    public static final Estimate NONE = new Estimate(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, List.of());

    /** The two-sided 95% Student t quantile for {@code df} degrees of freedom. */
    public static double t(double df) {
        return new TDistribution(df).inverseCumulativeProbability(0.5 + CONFIDENCE / 2);
    }

    /** Mean of the replicates with a t interval. */
    public static Estimate of(List<Double> xs) {
        List<Double> v = finite(xs);
        int n = v.size();
        if (n == 0) {
            return NONE;
        }
        double m = mean(v);
        if (n == 1) {
            return new Estimate(1, m, Double.NaN, Double.NaN, Double.NaN, v);
        }
        // Forks that agree to the last digit are limited by the timer, not certain: the spread has a
        // floor (a CV of MIN_CV), and the row is flagged (Analysis).
        double sd = Math.max(Math.sqrt(variance(v, m)), MIN_CV * Math.abs(m));
        double half = t(n - 1) * sd / Math.sqrt(n);
        // a rate cannot be negative: with forks this far apart the interval says "anything up to high"
        double low = v.stream().allMatch(x -> x >= 0) ? Math.max(0, m - half) : m - half;
        return new Estimate(n, m, low, m + half, sd, v);
    }

    /**
     * The ratio {@code num / den}, paired by round: only rounds present on both sides count (same
     * round, same machine state). Geometric mean of the per-round ratios with a t interval on the
     * log scale.
     */
    public static Estimate pairedRatio(Map<Integer, Double> num, Map<Integer, Double> den) {
        List<Double> ratios = new ArrayList<>();
        for (Map.Entry<Integer, Double> e : num.entrySet()) {
            Double d = den.get(e.getKey());
            if (d != null && d > 0 && e.getValue() != null && e.getValue() > 0) {
                ratios.add(e.getValue() / d);
            }
        }
        return logScale(ratios);
    }

    /** Geometric mean of positive values, with a t interval on the log scale. */
    static Estimate logScale(List<Double> ratios) {
        int n = ratios.size();
        if (n == 0) {
            return NONE;
        }
        List<Double> logs = logs(ratios);
        double m = mean(logs);
        if (n == 1) {
            return new Estimate(1, Math.exp(m), Double.NaN, Double.NaN, Double.NaN, List.copyOf(ratios));
        }
        double sd = Math.sqrt(variance(logs, m));
        double half = t(n - 1) * sd / Math.sqrt(n);
        return new Estimate(n, Math.exp(m), Math.exp(m - half), Math.exp(m + half), sd, List.copyOf(ratios));
    }

    public boolean hasInterval() {
        return n >= 2 && Double.isFinite(low);
    }

    /** Coefficient of variation of the replicates (sd / mean); NaN below 2 replicates. */
    public double cv() {
        return n >= 2 ? sd / mean : Double.NaN;
    }

    /** The larger distance from the estimate to a bound, as a share of the estimate (the t half-width). */
    public double relativeHalfWidth() {
        return hasInterval() ? Math.max(mean - low, high - mean) / mean : Double.NaN;
    }

    /** True when the interval is wider than {@link #NOISY_HALF_WIDTH} of the estimate, or missing. */
    /** True when the forks' own spread was below the floor ({@link #MIN_CV}): the interval is the floor's. */
    public boolean floored() {
        if (n < 2) {
            return false;
        }
        return Math.sqrt(variance(values, mean)) < MIN_CV * Math.abs(mean);
    }

    public boolean noisy() {
        return n > 0 && (!hasInterval() || relativeHalfWidth() > NOISY_HALF_WIDTH);
    }

    /**
     * Grubbs' test at the 5% level for one replicate far from the others (the forks disagree);
     * returns its index, or -1. Needs at least 3 replicates; at 3 it fires only on an extreme split.
     */
    public int outlier() {
        return outlier(0.05);
    }

    /**
     * Grubbs' test at level {@code alpha}: a report tests every configuration, so it passes 5%
     * divided by their number (Bonferroni), lest most reports of 17 rows carry a false flag.
     */
    public int outlier(double alpha) {
        if (n < 3 || !(sd > 0)) {
            return -1;
        }
        int worst = -1;
        double g = 0;
        for (int i = 0; i < n; i++) {
            double d = Math.abs(values.get(i) - mean) / sd;
            if (d > g) {
                g = d;
                worst = i;
            }
        }
        double tc = new TDistribution(n - 2).inverseCumulativeProbability(1 - alpha / (2 * n));
        double critical = (n - 1) / Math.sqrt(n) * Math.sqrt(tc * tc / (n - 2 + tc * tc));
        return g > critical ? worst : -1;
    }

    /** {@code 1.23 [1.10, 1.37]}, or the estimate alone without an interval, or "-". */
    public String formatRatio() {
        if (n == 0) {
            return "-";
        }
        return hasInterval() ? String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", mean, low, high)
                : String.format(Locale.ROOT, "%.2f", mean);
    }

    static List<Double> finite(List<Double> xs) {
        List<Double> v = new ArrayList<>();
        for (Double x : xs) {
            if (x != null && Double.isFinite(x)) {
                v.add(x);
            }
        }
        return v;
    }

    /** The natural logarithm of each value. */
    static List<Double> logs(List<Double> xs) {
        List<Double> l = new ArrayList<>();
        xs.forEach(x -> l.add(Math.log(x)));
        return l;
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
}
