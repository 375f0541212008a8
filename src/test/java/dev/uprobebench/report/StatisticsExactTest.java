package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exact values of the statistics, worked by hand, so that a changed operator or boundary in the
 * code shows here and not only as a shifted rate in a simulation (the survivors of PIT's first run
 * over the statistics, issue 21).
 */
class StatisticsExactTest {
    private static final double T = Comparison.DEFAULT_NOISE_THRESHOLD;

    /** The scaled energy distance, from the definition, on sums worked by hand. */
    @Test
    void theEnergyStatisticOnHandWorkedSums() {
        // {0, 2} | {4, 10}: within 2 and 6, between 4 + 10 + 2 + 8 = 24; E = 2*24/4 - 2/1 - 6/1 = 4; q = (2*2/4) * 4
        assertEquals(4.0, EDivisive.statistic(2, 2, 2, 6, 24), 1e-12);
        // {0, 1, 3} | {5, 9}: within 6 (over 3 pairs) and 4 (1 pair), between 34; E = 68/6 - 2 - 4; q = 6/5 * E
        assertEquals(6.0 / 5 * (68.0 / 6 - 2 - 4), EDivisive.statistic(3, 2, 6, 4, 34), 1e-12);
    }

    /** The smallest segment on either side: a split nearer the edge is never taken, even when it would be best. */
    @Test
    void noSplitLeavesFewerThanMinSizeOnEitherSide() {
        EDivisive d = new EDivisive(0.01, 99, 3, 1);
        assertEquals(3, (int) d.bestSplit(new double[] {0, 0, 5, 5, 5, 5}, 0, 6)[0], "2 would be best, 3 is the nearest allowed");
        assertEquals(3, (int) d.bestSplit(new double[] {0, 0, 0, 0, 5, 5}, 0, 6)[0], "4 would be best, 3 is the nearest allowed");
        assertEquals(null, d.bestSplit(new double[] {0, 0, 0, 5, 5}, 0, 5));
        // the right-hand sample ends anywhere up to the segment's end, never shorter than minSize
        assertEquals(3, (int) d.bestSplit(new double[] {0, 0, 0, 9, 9, 9, 0, 0, 0}, 0, 9)[0]);
    }

    @Test
    void changePointsComeInIndexOrderWhicheverIsFoundFirst() {
        double[] xs = new double[30];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < 30; i++) {
            // a small step at 10, a large one at 20: the large one is found first
            xs[i] = (i >= 20 ? 2.0 : i >= 10 ? 1.15 : 1.0) * (1 + 0.01 * (r.nextDouble() - 0.5));
        }
        EDivisive d = new EDivisive(0.01, 199, 3, 7);
        assertEquals(List.of(10, 20), d.changePoints(xs).stream().map(EDivisive.ChangePoint::index).toList());
    }

    @Test
    void theDetectorsSettingsAreCheckedAtTheirEdges() {
        new EDivisive(0.01, 99, 2, 1); // 99 shuffles reach p = 0.01 exactly; two values a side
        assertThrows(IllegalArgumentException.class, () -> new EDivisive(0.01, 98, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new EDivisive(0.01, 99, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new EDivisive(0, 99, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new EDivisive(1, 99, 3, 1));
        EDivisive strict = EDivisive.standard().withAlpha(0.0005);
        assertEquals(0.0005, strict.alpha(), 0);
        assertEquals(3, strict.minSize());
        assertEquals(0.01, EDivisive.standard().alpha(), 0);
    }

    @Test
    void aFamilyAdjustsRowsOfExactlyThreeForks() {
        Comparison a = Comparison.of(List.of(100.0, 101.0, 99.0), List.of(110.0, 111.0, 109.0), T);
        Comparison b = Comparison.of(List.of(100.0, 104.0, 96.0), List.of(100.0, 104.0, 96.0), T);
        List<Comparison> f = Comparison.family(List.of(a, b));
        assertEquals(Math.min(1, a.p() * 2), f.get(0).q(), 1e-12, "the smaller p of two, times 2");
        assertEquals(Math.max(a.p() * 2, b.p()), f.get(1).q(), 1e-12);
    }

    @Test
    void threeForksASideCanBeShownEquivalentAndTwoCannot() {
        Comparison three = Comparison.of(List.of(100.0, 100.1, 99.9), List.of(100.0, 100.1, 99.9), T);
        assertTrue(three.equivalent(), three.formatEquivalence());
        assertEquals("<0.001", three.formatEquivalence());
        Comparison twoB = Comparison.of(List.of(100.0, 100.1, 99.9), List.of(100.0, 100.1), T);
        assertFalse(twoB.equivalent());
        assertEquals("-", twoB.formatEquivalence());
        assertTrue(twoB.hasInterval(), "two forks on B still give an interval");
        Comparison twoA = Comparison.of(List.of(100.0, 100.1), List.of(100.0, 100.1, 99.9), T);
        assertFalse(twoA.equivalent());
    }

    @Test
    void qIsWrittenToThreePlacesOrAsBelowAThousandth() {
        List<Comparison> f = Comparison.family(List.of(
                Comparison.of(List.of(100.0, 101.0, 99.0), List.of(150.0, 151.0, 149.0), T),
                Comparison.of(List.of(100.0, 104.0, 96.0, 102.0), List.of(103.0, 107.0, 99.0, 104.0), T)));
        assertEquals("<0.001", f.get(0).formatQ());
        assertTrue(f.get(1).formatQ().matches("0\\.\\d{3}"), f.get(1).formatQ());
        assertEquals(String.format(java.util.Locale.ROOT, "%.3f", f.get(1).q()), f.get(1).formatQ());
        assertEquals("-", Comparison.of(List.of(1.0), List.of(1.0), T).formatQ());
    }

    @Test
    void aForkOfZeroIsDroppedNotLogged() {
        Comparison c = Comparison.of(List.of(0.0, 100.0, 101.0, 99.0), List.of(100.0, 101.0, 99.0), T);
        assertEquals(3, c.nA());
        assertTrue(Double.isFinite(c.ratio()) && Double.isFinite(c.low()), c.format());
    }

    @Test
    void anEstimatesSpreadFlagsAndIntervalAtTheirEdges() {
        Estimate two = Estimate.of(List.of(100.0, 102.0));
        assertTrue(two.hasInterval());
        assertEquals(Math.sqrt(2) / 101, two.cv(), 1e-12);
        assertTrue(Double.isNaN(Estimate.of(List.of(100.0)).cv()));
        assertFalse(Estimate.of(List.of(100.0)).hasInterval());
        assertTrue(Estimate.of(List.of(100.0, 100.0)).floored(), "identical forks: the floor's interval");
        assertFalse(Estimate.of(List.of(100.0, 100.2)).floored(), "a spread of 0.14% is above the 0.1% floor");
        assertFalse(Estimate.of(List.of(100.0)).floored());
        // noisy: half-width over 10%, or no interval
        assertTrue(Estimate.of(List.of(100.0)).noisy());
        assertFalse(Estimate.NONE.noisy());
        assertFalse(Estimate.of(List.of(100.0, 100.5, 99.5)).noisy());
        // a rate's interval is cut at zero; a signed figure's is not
        assertEquals(0, Estimate.of(List.of(1.0, 100.0)).low(), 0);
        assertTrue(Estimate.of(List.of(-1.0, 100.0)).low() < 0);
    }

    @Test
    void aPairedRatioUsesRoundsPresentAndPositiveOnBothSides() {
        java.util.Map<Integer, Double> num = new java.util.HashMap<>(java.util.Map.of(1, 2.0, 2, 4.0, 3, 0.0));
        java.util.Map<Integer, Double> den = java.util.Map.of(1, 1.0, 2, 2.0, 4, 1.0);
        Estimate e = Estimate.pairedRatio(num, den);
        assertEquals(2, e.n(), "round 3 is zero on one side, round 4 missing on the other");
        assertEquals(2.0, e.mean(), 1e-12);
        assertEquals(Estimate.NONE, Estimate.pairedRatio(java.util.Map.of(), den));
        Estimate one = Estimate.pairedRatio(java.util.Map.of(1, 3.0), den);
        assertEquals(3.0, one.mean(), 1e-12);
        assertFalse(one.hasInterval());
        // log scale: geometric mean and a t interval of the logs, n - 1 degrees of freedom
        Estimate r = Estimate.pairedRatio(java.util.Map.of(1, 1.0, 2, 4.0, 3, 2.0), java.util.Map.of(1, 1.0, 2, 1.0, 3, 1.0));
        double sd = Math.sqrt(((0 - Math.log(2)) * (0 - Math.log(2)) + Math.log(2) * Math.log(2)) / 2);
        assertEquals(2.0, r.mean(), 1e-12);
        assertEquals(2.0 * Math.exp(Estimate.t(2) * sd / Math.sqrt(3)), r.high(), 1e-9);
    }

    @Test
    void grubbsFlagsAClearOutlierAtItsEdgeAndNotANearOne() {
        assertEquals(3, Estimate.of(List.of(100.0, 100.5, 99.5, 140.0, 100.2, 99.8)).outlier());
        assertEquals(-1, Estimate.of(List.of(100.0, 101.0, 99.0, 102.0, 98.0, 100.5)).outlier());
        assertEquals(-1, Estimate.of(List.of(100.0, 140.0)).outlier(), "two forks: no test");
        assertEquals(-1, Estimate.of(List.of(100.0, 100.0, 100.0)).outlier(), "no spread: no test");
    }
}
