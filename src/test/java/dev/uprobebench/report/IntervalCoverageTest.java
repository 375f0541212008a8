package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/**
 * Coverage of the 95% intervals, by simulation with a fixed seed: on forks drawn normal and
 * log-normal, CV 2% to 30%, 3 to 20 forks, the interval of one estimate ({@link Estimate#of}) and
 * of a ratio ({@link Comparison#of}) covers the truth 93% to 97% of the time, over {@value #TRIALS}
 * trials a cell (a Monte Carlo standard error of 0.34%, so 95% and 90% are told apart by over ten
 * of them).
 *
 * <p>The bounds must be able to fail: each test also computes, from the same samples, the interval
 * a textbook would give with the normal quantile in place of t, and with the degrees of freedom one
 * too many and one too few, and checks that at least one cell of each falls outside [93%, 97%].
 * The textbook interval with the right quantile is checked against the production one sample by
 * sample, so the variants differ from the code in the quantile only.
 */
class IntervalCoverageTest {
    private static final int TRIALS = 4000;
    private static final double LOW = 0.93;
    private static final double HIGH = 0.97;
    private static final double HIGH_WELCH_3_3 = 0.975;
    private static final double[] CVS = {0.02, 0.10, 0.30};
    private static final int[] FORKS = {3, 5, 20};

    private final SplittableRandom rnd = new SplittableRandom(20261206);

    private double gaussian() {
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** One fork score with mean {@code level} and the given CV; normal or log-normal. */
    private double draw(boolean logNormal, double level, double cv) {
        if (logNormal) {
            double sigma = Math.sqrt(Math.log(1 + cv * cv));
            return level * Math.exp(sigma * gaussian() - sigma * sigma / 2);
        }
        return level * (1 + cv * gaussian());
    }

    private List<Double> sample(boolean logNormal, double level, double cv, int n) {
        List<Double> l = new ArrayList<>();
        while (l.size() < n) {
            double x = draw(logNormal, level, cv);
            if (x > 0) { // a rate; at CV 30% a normal draw is negative once in 3,000
                l.add(x);
            }
        }
        return l;
    }

    /** The two-sided 95% quantile for df degrees of freedom, as the code does it and as its mistakes would. */
    private enum Quantile {
        T(df -> new TDistribution(df).inverseCumulativeProbability(0.975)),
        NORMAL(df -> new NormalDistribution().inverseCumulativeProbability(0.975)),
        DF_PLUS_ONE(df -> new TDistribution(df + 1).inverseCumulativeProbability(0.975)),
        DF_MINUS_ONE(df -> new TDistribution(Math.max(0.5, df - 1)).inverseCumulativeProbability(0.975));

        final DoubleUnaryOperator q;

        Quantile(DoubleUnaryOperator q) {
            this.q = q;
        }
    }

    private record Cell(String what, double[] coverage) {
    }

    @Test
    void theIntervalOfOneEstimateCoversTheTruthNinetyFivePercentOfTheTime() {
        List<Cell> cells = new ArrayList<>();
        for (boolean logNormal : new boolean[] {false, true}) {
            for (double cv : CVS) {
                for (int n : FORKS) {
                    int[] covered = new int[Quantile.values().length];
                    for (int i = 0; i < TRIALS; i++) {
                        List<Double> x = sample(logNormal, 100, cv, n);
                        Estimate e = Estimate.of(x);
                        double se = e.sd() / Math.sqrt(n);
                        double half = Quantile.T.q.applyAsDouble(n - 1) * se;
                        assertEquals(e.mean() + half, e.high(), 1e-9 * e.mean(), "the textbook interval is the code's");
                        for (Quantile q : Quantile.values()) {
                            double h = q.q.applyAsDouble(n - 1) * se;
                            // the code's own interval for T; the variants from the same mean and spread
                            boolean in = q == Quantile.T ? e.low() <= 100 && 100 <= e.high()
                                    : e.mean() - h <= 100 && 100 <= e.mean() + h;
                            covered[q.ordinal()] += in ? 1 : 0;
                        }
                    }
                    cells.add(cell((logNormal ? "log-normal" : "normal") + ", cv " + cv + ", " + n + " forks", covered));
                }
            }
        }
        check(cells);
    }

    @Test
    void theIntervalOfARatioCoversTheTruthNinetyFivePercentOfTheTime() {
        double truth = 1.1;
        List<Cell> cells = new ArrayList<>();
        for (boolean logNormal : new boolean[] {false, true}) {
            for (double cv : CVS) {
                for (int[] n : new int[][] {{3, 3}, {5, 5}, {20, 20}, {3, 10}}) {
                    int[] covered = new int[Quantile.values().length];
                    for (int i = 0; i < TRIALS; i++) {
                        List<Double> a = sample(logNormal, 1e7, cv, n[0]);
                        // B is A's distribution scaled: the ratio of geometric means is exactly truth
                        List<Double> b = sample(logNormal, 1e7, cv, n[1]).stream().map(v -> v * truth).toList();
                        Comparison c = Comparison.of(a, b, Comparison.DEFAULT_NOISE_THRESHOLD);
                        List<Double> la = Estimate.logs(a);
                        List<Double> lb = Estimate.logs(b);
                        // the code's floor on the spread (timer-limited forks) is part of its interval
                        double floor = Comparison.MIN_CV * Comparison.MIN_CV;
                        double va = Math.max(Estimate.variance(la, Estimate.mean(la)), floor) / n[0];
                        double vb = Math.max(Estimate.variance(lb, Estimate.mean(lb)), floor) / n[1];
                        double se = Math.sqrt(va + vb);
                        double df = Comparison.welchDf(va, n[0], vb, n[1]);
                        assertEquals(c.ratio() * Math.exp(Quantile.T.q.applyAsDouble(df) * se), c.high(),
                                1e-9 * c.high(), "the textbook interval is the code's");
                        for (Quantile q : Quantile.values()) {
                            double h = Math.exp(q.q.applyAsDouble(df) * se);
                            boolean in = q == Quantile.T ? c.low() <= truth && truth <= c.high()
                                    : c.ratio() / h <= truth && truth <= c.ratio() * h;
                            covered[q.ordinal()] += in ? 1 : 0;
                        }
                    }
                    cells.add(cell((logNormal ? "log-normal" : "normal") + ", cv " + cv + ", " + n[0] + "/" + n[1]
                            + " forks", covered));
                }
            }
        }
        check(cells);
    }

    private static Cell cell(String what, int[] covered) {
        double[] c = new double[covered.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = covered[i] / (double) TRIALS;
        }
        return new Cell(what, c);
    }

    /** Every cell of the code in bounds; every mistaken quantile out of bounds in some cell. */
    private static void check(List<Cell> cells) {
        cells.forEach(c -> System.out.printf("%-36s t %.4f  normal %.4f  df+1 %.4f  df-1 %.4f%n", c.what(),
                c.coverage()[0], c.coverage()[1], c.coverage()[2], c.coverage()[3]));
        for (Cell c : cells) {
            double t = c.coverage()[Quantile.T.ordinal()];
            // Welch's degrees of freedom at 3 forks a side are at most 4 and below it whenever the two
            // sample spreads differ, so the interval is conservative there (about 97%): allowed, and
            // only there, half a point more
            double high = c.what().contains(" 3/3 forks") ? HIGH_WELCH_3_3 : HIGH;
            assertTrue(t >= LOW && t <= high, c.what() + ": coverage " + t);
        }
        for (Quantile q : List.of(Quantile.NORMAL, Quantile.DF_PLUS_ONE, Quantile.DF_MINUS_ONE)) {
            assertTrue(cells.stream().anyMatch(c -> c.coverage()[q.ordinal()] < LOW || c.coverage()[q.ordinal()] > HIGH),
                    "the bounds would not notice the quantile " + q);
        }
    }
}
