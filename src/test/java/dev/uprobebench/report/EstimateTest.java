package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EstimateTest {
    @Test
    void theIntervalIsStudentTOverTheForks() {
        Estimate e = Estimate.of(List.of(10.0, 11.0, 12.0));
        // mean 11, sd 1, t(0.975, 2 df) = 4.302653
        double half = 4.302653 / Math.sqrt(3);
        assertEquals(11.0, e.mean(), 1e-12);
        assertEquals(11.0 - half, e.low(), 1e-5);
        assertEquals(11.0 + half, e.high(), 1e-5);
        assertEquals(1 / 11.0, e.cv(), 1e-12);
    }

    @Test
    void aRateIsNeverGivenANegativeLowerBound() {
        Estimate e = Estimate.of(List.of(1.0, 2.0, 3.0)); // mean - half would be -0.48
        assertEquals(0.0, e.low(), 0);
        assertEquals(2.0 + 4.302653 / Math.sqrt(3), e.high(), 1e-5);
    }

    @Test
    void oneForkHasNoIntervalAndIsNoisy() {
        Estimate e = Estimate.of(List.of(5.0));
        assertFalse(e.hasInterval());
        assertTrue(e.noisy());
        assertEquals("-", Estimate.NONE.formatRatio());
    }

    @Test
    void noisyMeansWiderThanTenPercentEitherSide() {
        assertFalse(Estimate.of(List.of(100.0, 101.0, 99.0, 100.5, 99.5)).noisy());
        assertTrue(Estimate.of(List.of(100.0, 120.0, 80.0)).noisy());
    }

    @Test
    void ratiosArePairedByRoundAndUnpairedRoundsAreLeftOut() {
        Map<Integer, Double> num = new LinkedHashMap<>();
        Map<Integer, Double> den = new LinkedHashMap<>();
        num.put(1, 20.0);
        num.put(2, 30.0);
        num.put(3, 99.0); // no round 3 in the denominator
        den.put(1, 10.0);
        den.put(2, 15.0);
        Estimate r = Estimate.pairedRatio(num, den);
        assertEquals(2, r.n());
        assertEquals(2.0, r.mean(), 1e-12);
        assertEquals(2.0, r.low(), 1e-12); // both rounds agree exactly: the drift between them cancels
        assertEquals(List.of(2.0, 2.0), r.values());
    }

    @Test
    void grubbsFindsTheForkThatDisagreesAndOnlyThatOne() {
        assertEquals(4, Estimate.of(List.of(10.0, 10.1, 9.9, 10.05, 14.0)).outlier());
        assertEquals(-1, Estimate.of(List.of(10.0, 10.4, 9.7, 10.2, 9.9)).outlier());
        assertEquals(-1, Estimate.of(List.of(10.0, 14.0)).outlier(), "two forks cannot disagree with a majority");
    }

    /** Identical forks get an interval from the spread floor, and say so; real spread is untouched. */
    @Test
    void identicalForksGetTheFloorNotAZeroWidthInterval() {
        Estimate same = Estimate.of(List.of(100.0, 100.0, 100.0));
        assertTrue(same.floored() && same.high() > same.low(), same.low() + " " + same.high());
        assertEquals(100 * (1 + Estimate.t(2) * Estimate.MIN_CV / Math.sqrt(3)), same.high(), 1e-9);
        Estimate real = Estimate.of(List.of(100.0, 104.0, 96.0));
        assertTrue(!real.floored());
        assertEquals(4.0, real.sd(), 1e-9);
    }
}
