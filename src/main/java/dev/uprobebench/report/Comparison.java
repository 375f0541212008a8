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
 * paired. A zero spread is given a floor ({@link #MIN_CV}): two forks that agree to the last digit
 * are limited by the timer, not certain.
 *
 * <p>The verdict rule: with fewer than {@link #MIN_FORKS} forks on either side, "inconclusive",
 * no verdict and no q; otherwise "faster" or "slower" only when the change is significant
 * <em>and</em> the ratio lies outside the noise band, which is symmetric on the log scale (a
 * threshold t means [1/(1+t), 1+t], Criterion's {@code noise_threshold}). Significant means
 * {@code q < 0.05}, where {@code q} is the p value adjusted over the comparison's rows valid on
 * both sides by Benjamini and Hochberg's procedure ({@link #family}). Beside the verdict: the
 * minimum detectable effect {@link #mde} (the smallest change these forks at this spread would call
 * with 80% power), the TOST p value against the band's edges ({@link #pEquivalent}: below 0.05, B is
 * within the band of A), and the forks a side that would resolve a change the size of the band at
 * this spread ({@link #forksNeeded}).
 */
public record Comparison(double ratio, double low, double high, int nA, int nB, double p, double q,
        double threshold, String verdict, double pEquivalent, double mde, int forksNeeded) {
    public static final int MIN_FORKS = 3;
    /** The false-discovery rate of the verdicts over a comparison's configurations, and the TOST level. */
    public static final double FDR = 0.05;
    /** The power {@link #mde} and {@link #forksNeeded} are computed for. */
    public static final double POWER = 0.8;
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
    /** A spread floor, as a fraction of the score: two forks that agree exactly are timer-limited, not certain. */
    public static final double MIN_CV = Estimate.MIN_CV;

    /** One configuration compared on its own ({@code q = p}). */
    public static Comparison of(List<Double> forksA, List<Double> forksB, double noiseThreshold) {
        List<Double> a = positive(forksA);
        List<Double> b = positive(forksB);
        int na = a.size();
        int nb = b.size();
        if (na == 0 || nb == 0) {
            return new Comparison(Double.NaN, Double.NaN, Double.NaN, na, nb, Double.NaN, Double.NaN, noiseThreshold,
                    INCONCLUSIVE + " (no data)", Double.NaN, Double.NaN, -1);
        }
        List<Double> la = Estimate.logs(a);
        List<Double> lb = Estimate.logs(b);
        double ma = Estimate.mean(la);
        double mb = Estimate.mean(lb);
        double r = Math.exp(mb - ma);
        if (na < 2 || nb < 2) {
            return new Comparison(r, Double.NaN, Double.NaN, na, nb, Double.NaN, Double.NaN, noiseThreshold,
                    inconclusive(na, nb), Double.NaN, Double.NaN, -1);
        }
        // A zero spread is the timer's resolution, not certainty: the log variance has a floor.
        double floor = MIN_CV * MIN_CV;
        double sa = Math.max(Estimate.variance(la, ma), floor);
        double sb = Math.max(Estimate.variance(lb, mb), floor);
        double va = sa / na; // variance of the mean of the logs
        double vb = sb / nb;
        double se = Math.sqrt(va + vb);
        double df = welchDf(va, na, vb, nb);
        TDistribution dist = new TDistribution(Double.isFinite(df) ? df : 1e6);
        double t = dist.inverseCumulativeProbability(0.975);
        double low = r * Math.exp(-t * se);
        double high = r * Math.exp(t * se);
        double d = mb - ma;
        double p = 2 * (1 - dist.cumulativeProbability(Math.abs(d) / se));
        double edge = Math.log1p(noiseThreshold);
        // TOST: H0 d <= -edge and H0 d >= edge, each one-sided at the same level.
        double pEq = Math.max(1 - dist.cumulativeProbability((d + edge) / se),
                1 - dist.cumulativeProbability((edge - d) / se));
        double tPower = dist.inverseCumulativeProbability(POWER);
        double mde = Math.expm1((t + tPower) * se);
        double z = new NormalDistribution().inverseCumulativeProbability(0.975)
                + new NormalDistribution().inverseCumulativeProbability(POWER);
        int needed = (int) Math.ceil(z * z * (sa + sb) / (edge * edge));
        return withQ(new Comparison(r, low, high, na, nb, p, p, noiseThreshold, "", pEq, mde, Math.max(needed,
                MIN_FORKS)), p);
    }

    /** This comparison with {@code q} as its adjusted p value, and the verdict that follows. */
    private static Comparison withQ(Comparison c, double q) {
        String verdict;
        double band = 1 + c.threshold;
        if (c.nA < MIN_FORKS || c.nB < MIN_FORKS) {
            verdict = inconclusive(c.nA, c.nB);
            q = Double.NaN; // never shown with a q: too few forks to judge
        } else if (!(q < FDR)) {
            verdict = SAME;
        } else if (c.ratio > 1) {
            verdict = c.ratio > band ? FASTER : WITHIN_NOISE;
        } else {
            verdict = c.ratio < 1 / band ? SLOWER : WITHIN_NOISE; // the band is symmetric on the log scale
        }
        return new Comparison(c.ratio, c.low, c.high, c.nA, c.nB, c.p, q, c.threshold, verdict, c.pEquivalent, c.mde,
                c.forksNeeded);
    }

    /**
     * The comparisons of one report pair as a family: p values adjusted by Benjamini-Hochberg over
     * those with enough forks to be judged, so that between two identical runs the chance that any
     * configuration gets a verdict is at most {@link #FDR}; the verdicts follow the adjusted values.
     * The caller passes the rows valid on both sides only ({@link #outsideFamily} for the others).
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

    /** A row left out of the family (invalid on a side): no q, and no verdict but its own. */
    public Comparison outsideFamily(String why) {
        return new Comparison(ratio, low, high, nA, nB, p, Double.NaN, threshold, why, pEquivalent, mde, forksNeeded);
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

    /** True when TOST shows B within the noise band of A (both one-sided tests reject at {@link #FDR}). */
    public boolean equivalent() {
        return nA >= MIN_FORKS && nB >= MIN_FORKS && pEquivalent < FDR;
    }

    /**
     * What the row shows beside its verdict about "the same": {@code equivalent (TOST p 0.004)}
     * when shown within the band, else the forks a side that would decide at this spread.
     */
    public String formatEquivalence() {
        if (nA < MIN_FORKS || nB < MIN_FORKS || !Double.isFinite(pEquivalent)) {
            return "-";
        }
        if (equivalent()) {
            return String.format(Locale.ROOT, "equivalent (TOST p %s)", pEquivalent < 0.001 ? "<0.001"
                    : String.format(Locale.ROOT, "%.3f", pEquivalent));
        }
        return isChange() ? "-" : String.format(Locale.ROOT, "not shown; ~%d forks a side would decide", forksNeeded);
    }

    /** The minimum detectable effect, {@code ±4.1%}, or "-" without an interval. */
    public String formatMde() {
        return Double.isFinite(mde) ? String.format(Locale.ROOT, "±%.1f%%", 100 * mde) : "-";
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
