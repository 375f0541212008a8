package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static final double T = Comparison.DEFAULT_NOISE_THRESHOLD;

    @Test
    void clearlyHigherBIsFasterWithAnIntervalAroundTheRatio() {
        Comparison c = Comparison.of(List.of(100.0, 101.0, 99.0, 100.0), List.of(150.0, 151.0, 149.0, 150.0), T);
        assertEquals(1.5, c.ratio(), 0.002); // ratio of geometric means
        assertTrue(c.low() > 1.4 && c.high() < 1.6, c.format());
        assertEquals(Comparison.FASTER, c.verdict());
    }

    @Test
    void clearlyLowerBIsSlower() {
        assertEquals(Comparison.SLOWER, Comparison.of(List.of(100.0, 101.0, 99.0), List.of(80.0, 81.0, 79.0), T).verdict());
    }

    @Test
    void theIntervalIsSymmetricInTheTwoSides() {
        Comparison ab = Comparison.of(List.of(100.0, 104.0, 97.0), List.of(120.0, 118.0, 125.0, 121.0), T);
        Comparison ba = Comparison.of(List.of(120.0, 118.0, 125.0, 121.0), List.of(100.0, 104.0, 97.0), T);
        assertEquals(1 / ab.ratio(), ba.ratio(), 1e-12);
        assertEquals(1 / ab.high(), ba.low(), 1e-12);
        assertEquals(1 / ab.low(), ba.high(), 1e-12);
    }

    @Test
    void overlappingNoiseIsInconclusiveWithTheForksThatWouldDecide() {
        Comparison c = Comparison.of(List.of(100.0, 130.0, 70.0, 110.0), List.of(105.0, 60.0, 140.0, 95.0), T);
        assertEquals(Comparison.Verdict.INCONCLUSIVE, c.kind(), c.format());
        assertTrue(c.verdict().matches("inconclusive \\((~\\d+|over 1000) forks a side would decide\\)"), c.verdict());
        assertTrue(c.low() < 1 && c.high() > 1);
    }

    @Test
    void aSignificantChangeWhollyInsideTheBandIsEquivalentNotAChange() {
        Comparison c = Comparison.of(List.of(100.0, 100.1, 99.9), List.of(102.0, 102.1, 101.9), T);
        assertTrue(c.low() > 1, "the interval excludes 1: " + c.format());
        assertEquals(Comparison.EQUIVALENT, c.verdict());
        assertTrue(!c.isChange());
        assertEquals(Comparison.FASTER, Comparison.of(List.of(100.0, 100.1, 99.9), List.of(102.0, 102.1, 101.9), 0.01)
                .verdict());
    }

    @Test
    void fewerThanThreeForksOnEitherSideIsInconclusive() {
        Comparison two = Comparison.of(List.of(100.0, 101.0), List.of(200.0, 201.0, 202.0), T);
        assertEquals("inconclusive (2/3 forks, 3 needed)", two.verdict());
        assertTrue(two.hasInterval(), "the interval is still shown");
        Comparison one = Comparison.of(List.of(100.0), List.of(120.0, 121.0), T);
        assertEquals("inconclusive (1/2 forks, 3 needed)", one.verdict());
        assertEquals("1.205", one.format());
    }

    @Test
    void missingDataIsInconclusive() {
        Comparison c = Comparison.of(List.of(), List.of(1.0), T);
        assertTrue(c.verdict().startsWith(Comparison.INCONCLUSIVE) && !c.isChange(), c.verdict());
        assertEquals("-", c.format());
    }

    @Test
    void aBorderlineChangeAmongSeventeenIsNoVerdictOnceAdjustedButAClearOneStays() {
        List<Comparison> cs = new java.util.ArrayList<>();
        Comparison borderline = Comparison.of(List.of(100.0, 104.0, 98.0, 101.0, 97.0),
                List.of(107.0, 112.0, 100.0, 109.0, 104.0), T);
        // alone: significant, but the interval reaches into the band
        assertEquals(Comparison.FASTER_MAYBE_NOISE, borderline.verdict(), "alone, p = " + borderline.p() + " "
                + borderline.format());
        assertTrue(borderline.isChange() && borderline.kind().sign() > 0);
        assertTrue(borderline.p() > 0.003 && borderline.p() < 0.05, "p = " + borderline.p());
        cs.add(borderline);
        for (int i = 0; i < 16; i++) {
            cs.add(Comparison.of(List.of(100.0, 104.0, 98.0, 101.0, 97.0), List.of(99.0, 103.0, 100.0, 98.0, 102.0), T));
        }
        List<Comparison> adjusted = Comparison.family(cs);
        assertEquals(Comparison.Verdict.INCONCLUSIVE, adjusted.get(0).kind(), "q = " + adjusted.get(0).q());
        assertEquals(Math.min(1, borderline.p() * 17), adjusted.get(0).q(), 1e-12, "the smallest p times 17");

        cs.set(1, Comparison.of(List.of(100.0, 101.0, 99.0, 100.5, 99.5), List.of(150.0, 151.0, 149.0, 150.5, 149.5), T));
        assertEquals(Comparison.FASTER, Comparison.family(cs).get(1).verdict());
    }

    @Test
    void theAdjustmentLeavesInconclusiveComparisonsAlone() {
        Comparison two = Comparison.of(List.of(100.0, 101.0), List.of(200.0, 201.0), T);
        List<Comparison> adjusted = Comparison.family(List.of(two, Comparison.of(List.of(1.0, 2.0, 3.0),
                List.of(1.0, 2.0, 3.0), T)));
        assertEquals(two, adjusted.get(0));
        assertEquals(1.0, adjusted.get(1).q(), 1e-12);
    }

    /**
     * The band is symmetric on the log scale: 5% means [1/1.05, 1.05], so 0.951 is slower and
     * 1.049 is not faster (twenty tight forks a side, so that the interval is narrower than the
     * 0.13% between 0.951 and 1/1.05 even at the spread floor).
     */
    @Test
    void theNoiseBandIsSymmetricOnTheLogScale() {
        List<Double> a = List.of(100.0, 100.01, 99.99, 100.0);
        List<Double> a20 = new java.util.ArrayList<>();
        List<Double> b20 = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            a20.addAll(a);
            b20.addAll(List.of(95.1, 95.11, 95.09, 95.1));
        }
        assertEquals(Comparison.SLOWER, Comparison.of(a20, b20, T).verdict());
        assertEquals(Comparison.EQUIVALENT, Comparison.of(a20, b20.stream().map(x -> x * 104.9 / 95.1).toList(), T)
                .verdict());
        assertEquals(Comparison.EQUIVALENT, Comparison.of(a20, b20.stream().map(x -> x * 95.3 / 95.1).toList(), T)
                .verdict());
        // with four forks the floored spread leaves 1.049 unsure: significant, and maybe within the band
        assertEquals(Comparison.FASTER_MAYBE_NOISE, Comparison.of(a, List.of(104.9, 104.91, 104.89, 104.9), T).verdict());
    }

    /** Forks that agree exactly are timer-limited, not certain: the interval keeps a width. */
    @Test
    void aZeroSpreadGetsAFloorNotAZeroWidthInterval() {
        Comparison c = Comparison.of(List.of(100.0, 100.0, 100.0), List.of(100.0, 100.0, 100.0), T);
        assertTrue(c.high() > c.low() && c.high() / c.low() > 1.001, c.format());
        assertEquals(Comparison.EQUIVALENT, c.verdict());
    }

    /** With fewer than three forks a side there is no q (a raw p in the q column would read as adjusted). */
    @Test
    void fewerThanThreeForksHaveNoQ() {
        Comparison two = Comparison.of(List.of(100.0, 101.0), List.of(200.0, 201.0, 202.0), T);
        assertEquals("-", two.formatQ());
        assertEquals("-", Comparison.family(List.of(two)).get(0).formatQ());
    }

    /** The minimum detectable effect shrinks with forks and grows with spread, and is what 80% power calls. */
    @Test
    void theMinimumDetectableEffectFollowsForksAndSpread() {
        Comparison few = Comparison.of(List.of(100.0, 104.0, 96.0), List.of(100.0, 104.0, 96.0), T);
        Comparison many = Comparison.of(List.of(100.0, 104.0, 96.0, 100.0, 104.0, 96.0, 100.0, 104.0, 96.0),
                List.of(100.0, 104.0, 96.0, 100.0, 104.0, 96.0, 100.0, 104.0, 96.0), T);
        Comparison quiet = Comparison.of(List.of(100.0, 100.4, 99.6), List.of(100.0, 100.4, 99.6), T);
        assertTrue(many.mde() < few.mde() && quiet.mde() < few.mde(), few.formatMde() + " " + many.formatMde() + " "
                + quiet.formatMde());
        // CV 4% with 3 forks a side: se of the log ratio 0.0327, (t(4, 0.975) + t(4, 0.8)) * se ~ 0.1236
        assertEquals(0.131, few.mde(), 0.01, few.formatMde());
        assertTrue(few.forksNeeded() > 3 && quiet.forksNeeded() == 3, few.forksNeeded() + " " + quiet.forksNeeded());
    }

    /** "Could not tell" is not "the same": TOST says which rows are shown within the band. */
    @Test
    void equivalenceIsShownOnlyWhenTheIntervalFitsTheBand() {
        Comparison tight = Comparison.of(List.of(100.0, 100.5, 99.5, 100.2, 99.8), List.of(100.4, 100.9, 99.9, 100.6,
                100.2), T);
        assertEquals(Comparison.EQUIVALENT, tight.verdict());
        assertTrue(tight.equivalent() && tight.formatEquivalence().equals("<0.001"), tight.formatEquivalence());
        Comparison loose = Comparison.of(List.of(100.0, 130.0, 70.0, 110.0), List.of(105.0, 60.0, 140.0, 95.0), T);
        assertEquals(Comparison.Verdict.INCONCLUSIVE, loose.kind());
        assertTrue(!loose.equivalent() && loose.pEquivalent() > 0.05, loose.formatEquivalence());
        assertTrue(loose.forksNeeded() > 20, "a CV near 25% needs many forks: " + loose.forksNeeded());
    }

    /**
     * Significant but reaching into the band: a direction, with its size unsure. Neither
     * "slower" (the interval is not wholly beyond the band) nor "equivalent" (nor inside it).
     */
    @Test
    void aSignificantChangeWhoseIntervalStraddlesTheBandEdgeIsMaybeWithinNoise() {
        Comparison c = Comparison.of(List.of(100.0, 101.0, 99.0, 100.5, 99.5), List.of(95.0, 96.0, 94.0, 95.5, 94.5), T);
        assertTrue(c.high() < 1 && c.high() > 1 / 1.05 && c.low() < 1 / 1.05, c.format());
        assertEquals(Comparison.SLOWER_MAYBE_NOISE, c.verdict());
        assertEquals(-1, c.kind().sign());
        assertTrue(c.isChange());
    }

    /**
     * The forks a side that would decide: inside the band, what TOST needs; beyond it, what it
     * takes for the interval to clear the band; more the nearer the difference is to the edge.
     */
    @Test
    void theForksThatWouldDecideGrowAsTheDifferenceNearsTheBandsEdge() {
        double edge = Math.log(1.05);
        double v = 2 * 0.04 * 0.04; // CV 4% a side
        // (z 0.95 + z 0.8)^2 * v / edge^2 = 6.18 * 0.0032 / 0.00238 = 8.3
        assertEquals(9, Comparison.forksToDecide(0, v, edge));
        assertTrue(Comparison.forksToDecide(0.03, v, edge) > Comparison.forksToDecide(0.01, v, edge));
        // beyond the band: (z 0.975 + z 0.8)^2 = 7.85
        assertEquals((int) Math.ceil(7.85 * v / Math.pow(0.1 - edge, 2)), Comparison.forksToDecide(0.1, v, edge), 1);
        assertEquals(Comparison.MANY_FORKS, Comparison.forksToDecide(edge, v, edge), "on the edge nothing decides");
        assertEquals(Comparison.MIN_FORKS, Comparison.forksToDecide(0, 1e-8, edge));
    }
}
