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
 * <p>The verdict reads the interval, never the point estimate alone. The noise band is symmetric
 * on the log scale (a threshold t means [1/(1+t), 1+t], Criterion's {@code noise_threshold}).
 * With fewer than {@link #MIN_FORKS} forks on either side: {@link Verdict#INCONCLUSIVE}, no q.
 * Otherwise, in this order:
 * <ol>
 * <li>{@link Verdict#FASTER} / {@link Verdict#SLOWER}: significant ({@code q < 0.05}, the p value
 * adjusted over the comparison's rows valid on both sides by Benjamini and Hochberg's procedure,
 * {@link #family}) and the whole 95% interval beyond the band: changed, by more than the band;
 * <li>{@link Verdict#EQUIVALENT}: the whole 90% interval inside the band, i.e. both one-sided
 * tests against the band's edges reject at 5% (TOST, {@link #pEquivalent}): B is shown within the
 * band of A, a positive statement to publish (even when a smaller change is significant);
 * <li>{@link Verdict#FASTER_MAYBE_NOISE} / {@link Verdict#SLOWER_MAYBE_NOISE}: significant, but
 * the interval reaches into the band: changed in this direction, by an amount that may be smaller
 * than the band;
 * <li>{@link Verdict#INCONCLUSIVE}: none of these, with the forks (rounds) a side that would
 * decide it at this spread with 80% power ({@link #forksNeeded}).
 * </ol>
 * The two "maybe within noise" verdicts are what keeps the rule's power: a true 10% change at a CV
 * of 4% with 5 forks a side has a 95% interval of about ±6%, so its whole interval clears a ±5%
 * band only about a third of the time; it is called in the right direction (in one of the two
 * forms) 90% of the time. Beside the verdict: the minimum detectable effect {@link #mde} (the
 * smallest change these forks at this spread would call with 80% power).
 */
public record Comparison(double ratio, double low, double high, int nA, int nB, double p, double q,
        double threshold, Verdict kind, String verdict, double pEquivalent, double mde, int forksNeeded) {
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
    /** Shown in place of a forks-needed figure beyond it. */
    static final int MANY_FORKS = 1000;
    /** A spread floor, as a fraction of the score: two forks that agree exactly are timer-limited, not certain. */
    public static final double MIN_CV = Estimate.MIN_CV;

    /** What a comparison says; {@link #label} is the word on the pages. */
    public enum Verdict {
        FASTER("faster"), SLOWER("slower"), EQUIVALENT("equivalent"),
        FASTER_MAYBE_NOISE("faster, maybe within noise"), SLOWER_MAYBE_NOISE("slower, maybe within noise"),
        INCONCLUSIVE("inconclusive");

        public final String label;

        Verdict(String label) {
            this.label = label;
        }

        /** A call in a direction, either form. */
        public boolean directional() {
            return this != EQUIVALENT && this != INCONCLUSIVE;
        }

        /** The direction: +1 faster, -1 slower, 0 none. */
        public int sign() {
            return this == FASTER || this == FASTER_MAYBE_NOISE ? 1 : this == SLOWER || this == SLOWER_MAYBE_NOISE ? -1 : 0;
        }
    }

    public static final String FASTER = Verdict.FASTER.label;
    public static final String SLOWER = Verdict.SLOWER.label;
    public static final String EQUIVALENT = Verdict.EQUIVALENT.label;
    public static final String FASTER_MAYBE_NOISE = Verdict.FASTER_MAYBE_NOISE.label;
    public static final String SLOWER_MAYBE_NOISE = Verdict.SLOWER_MAYBE_NOISE.label;
    public static final String INCONCLUSIVE = Verdict.INCONCLUSIVE.label;

    /** One configuration compared on its own ({@code q = p}). */
    public static Comparison of(List<Double> forksA, List<Double> forksB, double noiseThreshold) {
        List<Double> a = positive(forksA);
        List<Double> b = positive(forksB);
        int na = a.size();
        int nb = b.size();
        if (na == 0 || nb == 0) {
            return new Comparison(Double.NaN, Double.NaN, Double.NaN, na, nb, Double.NaN, Double.NaN, noiseThreshold,
                    Verdict.INCONCLUSIVE, INCONCLUSIVE + " (no data)", Double.NaN, Double.NaN, -1);
        }
        List<Double> la = Estimate.logs(a);
        List<Double> lb = Estimate.logs(b);
        double ma = Estimate.mean(la);
        double mb = Estimate.mean(lb);
        double r = Math.exp(mb - ma);
        if (na < 2 || nb < 2) {
            return new Comparison(r, Double.NaN, Double.NaN, na, nb, Double.NaN, Double.NaN, noiseThreshold,
                    Verdict.INCONCLUSIVE, tooFew(na, nb), Double.NaN, Double.NaN, -1);
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
        return withQ(new Comparison(r, low, high, na, nb, p, p, noiseThreshold, Verdict.INCONCLUSIVE, "", pEq, mde,
                forksToDecide(d, sa + sb, edge)), p);
    }

    /**
     * The forks a side that would decide this row with 80% power if the spread and the difference
     * stay as observed: for a difference inside the band, enough for TOST to show it inside; beyond
     * the band, enough for the whole interval to clear it. Normal quantiles (the figure is a
     * planning one); at least {@link #MIN_FORKS}, at most {@link #MANY_FORKS}.
     */
    static int forksToDecide(double d, double varianceSum, double edge) {
        NormalDistribution n = new NormalDistribution();
        double margin = Math.abs(Math.abs(d) - edge);
        double z = (Math.abs(d) < edge ? n.inverseCumulativeProbability(1 - FDR)
                : n.inverseCumulativeProbability(1 - FDR / 2)) + n.inverseCumulativeProbability(POWER);
        double needed = margin == 0 ? Double.POSITIVE_INFINITY : z * z * varianceSum / (margin * margin);
        return needed >= MANY_FORKS ? MANY_FORKS : Math.max(MIN_FORKS, (int) Math.ceil(needed));
    }

    /** This comparison with {@code q} as its adjusted p value, and the verdict that follows. */
    private static Comparison withQ(Comparison c, double q) {
        Verdict v;
        String words;
        double band = 1 + c.threshold;
        boolean significant = q < FDR;
        if (c.nA < MIN_FORKS || c.nB < MIN_FORKS) {
            v = Verdict.INCONCLUSIVE;
            words = tooFew(c.nA, c.nB);
            q = Double.NaN; // never shown with a q: too few forks to judge
        } else {
            if (significant && c.low > band) {
                v = Verdict.FASTER;
            } else if (significant && c.high < 1 / band) {
                v = Verdict.SLOWER;
            } else if (c.pEquivalent < FDR) {
                v = Verdict.EQUIVALENT;
            } else if (significant) {
                v = c.ratio > 1 ? Verdict.FASTER_MAYBE_NOISE : Verdict.SLOWER_MAYBE_NOISE;
            } else {
                v = Verdict.INCONCLUSIVE;
            }
            words = v != Verdict.INCONCLUSIVE ? v.label : String.format(Locale.ROOT, "%s (%s forks a side would "
                    + "decide)", v.label, c.forksNeeded >= MANY_FORKS ? "over " + MANY_FORKS : "~" + c.forksNeeded);
        }
        return new Comparison(c.ratio, c.low, c.high, c.nA, c.nB, c.p, q, c.threshold, v, words, c.pEquivalent, c.mde,
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
        return new Comparison(ratio, low, high, nA, nB, p, Double.NaN, threshold, Verdict.INCONCLUSIVE, why, pEquivalent,
                mde, forksNeeded);
    }

    private static String tooFew(int na, int nb) {
        return String.format(Locale.ROOT, "%s (%d/%d forks, %d needed)", INCONCLUSIVE, na, nb, MIN_FORKS);
    }

    /** True for a call in a direction, either form ("faster", "slower, maybe within noise", ...). */
    public boolean isChange() {
        return kind.directional(); // every path without a judged q (too few forks, outside the family) is inconclusive
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

    /** The TOST p value, {@code 0.004} or {@code <0.001}, or "-" without one. */
    public String formatEquivalence() {
        if (nA < MIN_FORKS || nB < MIN_FORKS || !Double.isFinite(pEquivalent)) {
            return "-";
        }
        return pEquivalent < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", pEquivalent);
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
