package dev.uprobebench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Change points in a series of figures by E-divisive means (Matteson and James, "A nonparametric
 * approach for multiple change point analysis of multivariate data", JASA 2014), as Apache Otava
 * (formerly Hunter) and MongoDB's performance CI use it on nightly benchmark results.
 *
 * <p>For a split of a segment at {@code tau} against the values from {@code tau} up to some
 * {@code kappa}, the statistic is the energy distance between the two sides scaled by their sizes, {@code q = (n m / (n + m)) (2 mean|x - y| - mean|x - x'| - mean|y -
 * y'|)} with exponent 1 (the means over distinct pairs). The best split of each segment is the one
 * with the largest {@code q}; it is kept when a permutation test says it is significant: the
 * segment's values are shuffled {@code permutations} times and the best {@code q} of each shuffle
 * is compared with the observed one, {@code p = (1 + #{q_perm >= q}) / (1 + permutations)}.
 * Kept change points split the series; the search repeats on the pieces (the best new split over
 * all pieces first) until none is significant. Segments shorter than {@code minSize} on either
 * side are not split, so a shift in the last {@code minSize - 1} runs shows on a later run. The
 * shuffles come from a fixed seed: the same series gives the same change points.
 */
public final class EDivisive {
    /** One change point: the series splits before {@code index}, with its statistic and permutation p. */
    public record ChangePoint(int index, double q, double p) {
    }

    private final double alpha;
    private final int permutations;
    private final int minSize;
    private final long seed;

    /**
     * @param alpha        significance level of the permutation test (e.g. 0.01)
     * @param permutations shuffles per test (at least {@code 1/alpha - 1} for the level to be reachable)
     * @param minSize      fewest values on either side of a change point (at least 2)
     * @param seed         of the shuffles
     */
    public EDivisive(double alpha, int permutations, int minSize, long seed) {
        if (!(alpha > 0 && alpha < 1) || permutations < Math.ceil(1 / alpha - 1) || minSize < 2) {
            throw new IllegalArgumentException("alpha in (0, 1), permutations >= 1/alpha - 1, minSize >= 2");
        }
        this.alpha = alpha;
        this.permutations = permutations;
        this.minSize = minSize;
        this.seed = seed;
    }

    /** The defaults of {@code history}: 1% level, 999 shuffles, 3 values a side. */
    public static EDivisive standard() {
        return new EDivisive(0.01, 999, 3, 20141201L);
    }

    /** The same search at another level (with enough shuffles to reach it). */
    public EDivisive withAlpha(double newAlpha) {
        return new EDivisive(newAlpha, Math.max(permutations, (int) Math.ceil(1 / newAlpha - 1)), minSize, seed);
    }

    public double alpha() {
        return alpha;
    }

    public int minSize() {
        return minSize;
    }

    /** The significant change points of {@code xs}, in index order. */
    public List<ChangePoint> changePoints(double[] xs) {
        List<ChangePoint> found = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        while (true) {
            List<Integer> bounds = new ArrayList<>();
            bounds.add(0);
            found.forEach(c -> bounds.add(c.index()));
            bounds.add(xs.length);
            bounds.sort(Comparator.naturalOrder());
            // the best split over every piece
            int bestStart = -1;
            int bestEnd = -1;
            double[] best = null;
            for (int k = 0; k + 1 < bounds.size(); k++) {
                int from = bounds.get(k);
                int to = bounds.get(k + 1);
                double[] split = bestSplit(xs, from, to);
                if (split != null && (best == null || split[1] > best[1])) {
                    best = split;
                    bestStart = from;
                    bestEnd = to;
                }
            }
            if (best == null) {
                break;
            }
            double p = pValue(xs, bestStart, bestEnd, best[1], rnd);
            if (p > alpha) {
                break;
            }
            found.add(new ChangePoint((int) best[0], best[1], p));
        }
        found.sort(Comparator.comparingInt(ChangePoint::index));
        return found;
    }

    /** The permutation p of a best split with statistic {@code q} of {@code xs[from, to)}. */
    private double pValue(double[] xs, int from, int to, double q, SplittableRandom rnd) {
        double[] seg = java.util.Arrays.copyOfRange(xs, from, to);
        int atLeast = 0;
        for (int r = 0; r < permutations; r++) {
            for (int i = seg.length - 1; i > 0; i--) { // Fisher-Yates
                int j = rnd.nextInt(i + 1);
                double t = seg[i];
                seg[i] = seg[j];
                seg[j] = t;
            }
            double[] s = bestSplit(seg, 0, seg.length);
            if (s != null && s[1] >= q) {
                atLeast++;
            }
        }
        return (1.0 + atLeast) / (1.0 + permutations);
    }

    /**
     * The split of {@code xs[from, to)} with the largest statistic, as {index, q}, or null when the
     * segment is too short to split. As in the paper, the right-hand sample is {@code [tau, kappa)}
     * for every {@code kappa} up to the segment's end, so that a shift that comes back (a bump in
     * the middle) is found as readily as a step. O(n^3): the sums grow by one row per step.
     */
    double[] bestSplit(double[] xs, int from, int to) {
        int n = to - from;
        if (n < 2 * minSize) {
            return null;
        }
        double[] best = null;
        double left = 0; // within [from, tau)
        for (int tau = from + 1; tau <= to - minSize; tau++) {
            for (int i = from; i < tau - 1; i++) {
                left += Math.abs(xs[i] - xs[tau - 1]);
            }
            int a = tau - from;
            if (a < minSize) {
                continue;
            }
            double right = 0; // within [tau, kappa)
            double between = 0; // [from, tau) x [tau, kappa)
            for (int kappa = tau + 1; kappa <= to; kappa++) {
                double add = xs[kappa - 1];
                for (int j = tau; j < kappa - 1; j++) {
                    right += Math.abs(xs[j] - add);
                }
                for (int i = from; i < tau; i++) {
                    between += Math.abs(xs[i] - add);
                }
                int b = kappa - tau;
                if (b < minSize) {
                    continue;
                }
                double q = statistic(a, b, left, right, between);
                if (best == null || q > best[1]) {
                    best = new double[] {tau, q};
                }
            }
        }
        return best;
    }

    /** The scaled energy distance of two sides of sizes a and b from their distance sums. */
    static double statistic(int a, int b, double withinLeft, double withinRight, double between) {
        double e = 2 * between / ((double) a * b) - withinLeft / (a * (a - 1) / 2.0) - withinRight / (b * (b - 1) / 2.0);
        return (double) a * b / (a + b) * e;
    }
}
