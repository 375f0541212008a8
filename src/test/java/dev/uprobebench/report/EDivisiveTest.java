package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** E-divisive means on simulated nightly series (fixed seeds, no timing). */
class EDivisiveTest {
    private final SplittableRandom rnd = new SplittableRandom(20261206);

    private double gaussian() {
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** {@code n} runs at CV {@code cv}; from run {@code at} on, the level is multiplied by {@code shift}. */
    private double[] series(int n, double cv, int at, double shift) {
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = 1e7 * (i >= at ? shift : 1) * (1 + cv * gaussian());
        }
        return xs;
    }

    /** Fewer shuffles than the command's 999 keep the test quick; the level stays reachable (p >= 1/200). */
    private final EDivisive detector = new EDivisive(0.01, 199, 3, 7);

    @Test
    void oneShiftOfFifteenPercentAtCvThreePercentIsFoundAtTheRightRun() {
        int trials = 200;
        int exact = 0;
        int extra = 0;
        for (int t = 0; t < trials; t++) {
            int at = 5 + rnd.nextInt(11); // somewhere in runs 5..15 of 20
            List<EDivisive.ChangePoint> cps = detector.changePoints(series(20, 0.03, at, 0.85));
            exact += cps.stream().anyMatch(c -> c.index() == at) ? 1 : 0;
            extra += cps.stream().filter(c -> c.index() != at).count();
        }
        System.out.printf("15%% shift at CV 3%%, 20 runs: found at the right run %d of %d, %d extra change points%n",
                exact, trials, extra);
        assertTrue(exact >= 0.95 * trials, exact + " of " + trials);
        assertTrue(extra <= 0.05 * trials, extra + " extra change points in " + trials + " series");
    }

    @Test
    void aFlatSeriesOfThirtyRunsHasNoChangePointInNinetyFivePercentOfTrials() {
        int trials = 300;
        int none = 0;
        for (int t = 0; t < trials; t++) {
            none += detector.changePoints(series(30, 0.03, 30, 1)).isEmpty() ? 1 : 0;
        }
        System.out.printf("flat series of 30 at CV 3%%: no change point in %d of %d%n", none, trials);
        assertTrue(none >= 0.95 * trials, none + " of " + trials);
    }

    @Test
    void twoShiftsAreBothFound() {
        double[] xs = new double[30];
        for (int i = 0; i < 30; i++) {
            xs[i] = 1e7 * (i >= 10 ? 0.8 : 1) * (i >= 20 ? 1.3 : 1) * (1 + 0.02 * gaussian());
        }
        List<EDivisive.ChangePoint> cps = detector.changePoints(xs);
        assertEquals(List.of(10, 20), cps.stream().map(EDivisive.ChangePoint::index).toList(), cps.toString());
        assertTrue(cps.stream().allMatch(c -> c.p() <= 0.01 && c.q() > 0));
    }

    @Test
    void theSplitStatisticIsTheScaledEnergyDistance() {
        // {0, 0, 0} | {1, 1, 1}: between mean 1, within 0: (3*3/6) * 2 = 3
        double[] best = detector.bestSplit(new double[] {0, 0, 0, 1, 1, 1}, 0, 6);
        assertEquals(3, best[0], 0);
        assertEquals(3.0, best[1], 1e-12);
        // by brute force on an arbitrary series, every split against the incremental sums
        double[] xs = {5, 1, 4, 4, 9, 2, 6, 5, 3};
        double bestQ = Double.NEGATIVE_INFINITY;
        int bestAt = -1;
        for (int tau = 3; tau <= xs.length - 3; tau++) {
            for (int kappa = tau + 3; kappa <= xs.length; kappa++) {
                double l = 0;
                double r = 0;
                double b = 0;
                for (int i = 0; i < kappa; i++) {
                    for (int k = i + 1; k < kappa; k++) {
                        double d = Math.abs(xs[i] - xs[k]);
                        if (k < tau) {
                            l += d;
                        } else if (i >= tau) {
                            r += d;
                        } else {
                            b += d;
                        }
                    }
                }
                double q = EDivisive.statistic(tau, kappa - tau, l, r, b);
                if (q > bestQ) {
                    bestQ = q;
                    bestAt = tau;
                }
            }
        }
        double[] got = detector.bestSplit(xs, 0, xs.length);
        assertEquals(bestAt, (int) got[0]);
        assertEquals(bestQ, got[1], 1e-9);
    }

    @Test
    void tooShortASeriesHasNoChangePointAndBadSettingsAreRefused() {
        assertTrue(detector.changePoints(new double[] {1, 1, 1, 2, 2}).isEmpty(), "5 < 2 x 3 runs");
        assertTrue(detector.changePoints(new double[0]).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new EDivisive(0.01, 50, 3, 1), "p can never reach 0.01");
        assertThrows(IllegalArgumentException.class, () -> new EDivisive(0.05, 99, 1, 1));
    }

    @Test
    void theSameSeriesGivesTheSameChangePoints() {
        double[] xs = series(20, 0.05, 12, 0.9);
        assertEquals(EDivisive.standard().changePoints(xs), EDivisive.standard().changePoints(xs));
    }
}
