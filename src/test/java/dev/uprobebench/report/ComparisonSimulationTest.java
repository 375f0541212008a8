package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The verdict rule of {@link Comparison}, tested by simulation with a fixed seed and no timing: on
 * synthetic pairs of runs drawn with the fork-to-fork noise measured on this project's 2-core CI
 * VM, how often does it call a change where there is none, and how often does it find a real one?
 *
 * <p>The noise models, from {@code ./run-bench.sh} (quick, 5 rounds of 3 x 200 ms) on that VM:
 * fork scores are log-normal with a coefficient of variation of {@value #MACHINE_CV} (the median
 * over the uncontended configurations of four runs; they ranged from 2.7% to 12.8%); up to
 * {@value #CONTENDED_CV} for lock-contended ones (two readers on one rwlock, churn); {@value
 * #QUIET_CV} in the VM's calm periods (10 forks of {@code ChurnBenchmark}, 3 x 500 ms: 3.6% and
 * 4.5%), which is what a quiet bare-metal server should do at least as well as; and forks that
 * settle at one of two levels 10% apart, as the issue that asked for this saw.
 */
class ComparisonSimulationTest {
    static final double QUIET_CV = 0.04;
    static final double MACHINE_CV = 0.079;
    static final double CONTENDED_CV = 0.45;
    private static final int PAIRS = 4000;
    private static final double NOMINAL = 0.05;
    /**
     * The nominal rate plus three Monte Carlo standard errors of a rate of 5% over {@link #PAIRS}
     * pairs (0.34% each): where noise dwarfs the threshold the rule is a plain 95% interval, whose
     * false-verdict rate is 5% on average, and a finite simulation scatters around that.
     */
    private static final double NOMINAL_WITH_SIMULATION_ERROR = NOMINAL + 3 * Math.sqrt(NOMINAL * (1 - NOMINAL) / PAIRS);

    private final SplittableRandom rnd = new SplittableRandom(20261128);

    private double gaussian() {
        // Box-Muller: the project has no need for a distributions library in tests
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** A log-normal fork score with the given coefficient of variation around {@code level}. */
    private DoubleSupplier logNormal(double level, double cv) {
        double sigma = Math.sqrt(Math.log(1 + cv * cv));
        return () -> level * Math.exp(sigma * gaussian() - sigma * sigma / 2);
    }

    /** Forks at one of two levels 10% apart (JIT or placement fixed per fork), with 2% noise inside. */
    private DoubleSupplier twoLevels(double level) {
        DoubleSupplier inside = logNormal(1, 0.02);
        return () -> (rnd.nextBoolean() ? level : level * 0.9) * inside.getAsDouble();
    }

    private static List<Double> draw(DoubleSupplier s, int n) {
        List<Double> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(s.getAsDouble());
        }
        return l;
    }

    /** Share of pairs (A from {@code a}, B from {@code b}, n forks each) whose comparison passes {@code p}. */
    private double rate(DoubleSupplier a, DoubleSupplier b, int n, Predicate<Comparison> p) {
        int hits = 0;
        for (int i = 0; i < PAIRS; i++) {
            if (p.test(Comparison.of(draw(a, n), draw(b, n), Comparison.DEFAULT_NOISE_THRESHOLD))) {
                hits++;
            }
        }
        return hits / (double) PAIRS;
    }

    private double rate(DoubleSupplier a, DoubleSupplier b, int n, String verdict) {
        return rate(a, b, n, c -> c.verdict().equals(verdict));
    }

    private double falseVerdicts(DoubleSupplier a, DoubleSupplier b, int n) {
        return rate(a, b, n, Comparison::isChange);
    }

    @Test
    void identicalRunsGetAFalseVerdictAtMostFivePercentOfTheTime() {
        for (int n : new int[] {3, 5, 10}) {
            for (double cv : new double[] {0.01, QUIET_CV, MACHINE_CV, CONTENDED_CV}) {
                double f = falseVerdicts(logNormal(1e7, cv), logNormal(1e7, cv), n);
                System.out.printf("A/A, cv %.2f, %d forks a side: %.4f false verdicts%n", cv, n, f);
                assertTrue(f <= NOMINAL_WITH_SIMULATION_ERROR, String.format("cv %.2f, %d forks: %.3f false verdicts",
                        cv, n, f));
            }
            double f = falseVerdicts(twoLevels(1e7), twoLevels(1e7), n);
            System.out.printf("A/A, two levels, %d forks a side: %.4f false verdicts%n", n, f);
            assertTrue(f <= NOMINAL_WITH_SIMULATION_ERROR, String.format("two levels, %d forks: %.3f false verdicts",
                    n, f));
        }
    }

    /**
     * Power, two-sided: a true 10% change at CV 4% with 5 forks a side is called in the right
     * direction (faster or slower, either form) at least 80% of the time, and never the wrong way;
     * the whole interval clears the ±5% band in only part of them, which is why the "maybe within
     * noise" form exists.
     */
    @Test
    void aRealTenPercentChangeWithFiveForksASideIsCalledInItsDirectionFourTimesInFiveOnAQuietMachine() {
        double faster = rate(logNormal(1e7, QUIET_CV), logNormal(1.1e7, QUIET_CV), 5, c -> c.kind().sign() > 0);
        double slower = rate(logNormal(1.1e7, QUIET_CV), logNormal(1e7, QUIET_CV), 5, c -> c.kind().sign() < 0);
        double wrongWay = rate(logNormal(1e7, QUIET_CV), logNormal(1.1e7, QUIET_CV), 5, c -> c.kind().sign() < 0);
        double sure = rate(logNormal(1e7, QUIET_CV), logNormal(1.1e7, QUIET_CV), 5, Comparison.FASTER);
        System.out.printf("10%% change, cv %.3f, 5 forks a side: called faster %.4f (beyond the band %.4f), slower "
                + "%.4f, the wrong way %.4f%n", QUIET_CV, faster, sure, slower, wrongWay);
        assertTrue(faster >= 0.80, String.format("10%% faster called %.3f of the time", faster));
        assertTrue(slower >= 0.80, String.format("10%% slower called %.3f of the time", slower));
        assertTrue(wrongWay == 0, "a 10% gain called slower " + wrongWay + " of the time");
        assertTrue(sure < faster, "the whole-interval verdict is the stricter one");
    }

    @Test
    void withThisVmsNoiseFifteenForksASideAreNeededForTheSameDetection() {
        double five = rate(logNormal(1e7, MACHINE_CV), logNormal(1.1e7, MACHINE_CV), 5, c -> c.kind().sign() > 0);
        double fifteen = rate(logNormal(1e7, MACHINE_CV), logNormal(1.1e7, MACHINE_CV), 15, c -> c.kind().sign() > 0);
        System.out.printf("10%% change, cv %.3f: called %.4f with 5 forks a side, %.4f with 15%n", MACHINE_CV, five,
                fifteen);
        assertTrue(five < 0.80, "if 5 forks sufficed here, the README's advice to use more rounds would be wrong");
        assertTrue(fifteen >= 0.80, String.format("10%% faster called %.3f of the time with 15 forks", fifteen));
    }

    @Test
    void aChangeSmallerThanTheNoiseThresholdIsEquivalentNeverFaster() {
        // 3% faster with almost no noise: always significant, shown inside the ±5% band
        double f = rate(logNormal(1e7, 0.002), logNormal(1.03e7, 0.002), 5, Comparison.FASTER);
        double eq = rate(logNormal(1e7, 0.002), logNormal(1.03e7, 0.002), 5, Comparison.EQUIVALENT);
        assertTrue(f == 0, String.format("a 3%% change was called faster %.3f of the time", f));
        assertTrue(eq > 0.99, String.format("a 3%% change at CV 0.2%% shown equivalent %.3f of the time", eq));
    }

    /** One comparison of {@code configs} configurations, A and B drawn from {@code a} and {@code b}. */
    private List<Comparison> family(DoubleSupplier a, DoubleSupplier b, int configs, int n) {
        List<Comparison> cs = new ArrayList<>();
        for (int i = 0; i < configs; i++) {
            cs.add(Comparison.of(draw(a, n), draw(b, n), Comparison.DEFAULT_NOISE_THRESHOLD));
        }
        return Comparison.family(cs);
    }

    @Test
    void twoIdenticalRunsOfSeventeenConfigurationsGetAnyVerdictAtMostFivePercentOfTheTime() {
        int families = PAIRS / 4;
        int withAFalseVerdict = 0;
        int falseVerdicts = 0;
        for (int i = 0; i < families; i++) {
            long n = family(logNormal(1e7, MACHINE_CV), logNormal(1e7, MACHINE_CV), 17, 5).stream()
                    .filter(Comparison::isChange).count();
            falseVerdicts += n;
            withAFalseVerdict += n > 0 ? 1 : 0;
        }
        double any = withAFalseVerdict / (double) families;
        System.out.printf("A/A, 17 configurations, cv %.3f, 5 forks a side: %.4f of comparisons with any false "
                + "verdict, %.3f false verdicts per comparison%n", MACHINE_CV, any, falseVerdicts / (double) families);
        double error = 3 * Math.sqrt(NOMINAL * (1 - NOMINAL) / families);
        assertTrue(any <= NOMINAL + error, String.format("%.3f of A/A comparisons had a false verdict", any));
    }

    @Test
    void aTenPercentRegressionOfEveryConfigurationIsStillFoundOnAQuietMachine() {
        int families = PAIRS / 20;
        int found = 0;
        for (int i = 0; i < families; i++) {
            found += family(logNormal(1.1e7, QUIET_CV), logNormal(1e7, QUIET_CV), 17, 5).stream()
                    .filter(c -> c.kind().sign() < 0).count();
        }
        double share = found / (17.0 * families);
        System.out.printf("10%% slower everywhere, 17 configurations, cv %.3f, 5 forks a side: %.4f found%n", QUIET_CV,
                share);
        assertTrue(share >= 0.80, String.format("found %.3f", share));
    }

    /** Seventeen configurations, one outcome each, forks drawn from {@code s}: a simulated report. */
    private List<ConfigOutcome> report(DoubleSupplier s, int configs, int n) {
        List<ConfigOutcome> l = new ArrayList<>();
        for (int i = 0; i < configs; i++) {
            double[] forks = new double[n];
            for (int k = 0; k < n; k++) {
                forks[k] = s.getAsDouble();
            }
            l.add(Outcomes.withForks("backend" + i, 1, forks));
        }
        return l;
    }

    /**
     * A/A through {@link ReportComparison} itself (matching by id, the valid-rows family, the
     * verdicts as the page shows them): two simulated reports of 17 configurations from one
     * distribution, many times; any faster or slower verdict, either form, in at most 5% of them.
     */
    @Test
    void twoSimulatedReportsFromOneDistributionGetAnyDirectionalVerdictAtMostFivePercentOfTheTime() {
        int pairs = PAIRS / 4;
        int withAny = 0;
        int equivalentOrInconclusive = 0;
        int rows = 0;
        for (int i = 0; i < pairs; i++) {
            List<ComparisonPage.Row> r = ReportComparison.judge(report(logNormal(1e7, MACHINE_CV), 17, 5),
                    report(logNormal(1e7, MACHINE_CV), 17, 5), Comparison.DEFAULT_NOISE_THRESHOLD);
            rows += r.size();
            withAny += r.stream().anyMatch(x -> x.hits().isChange()) ? 1 : 0;
            equivalentOrInconclusive += (int) r.stream().filter(x -> !x.hits().kind().directional()).count();
        }
        double any = withAny / (double) pairs;
        System.out.printf("A/A through ReportComparison, 17 configurations, cv %.3f, 5 forks a side: %.4f of pairs "
                + "with any directional verdict%n", MACHINE_CV, any);
        assertEquals(17 * pairs, rows, "every configuration matched");
        assertTrue(any <= NOMINAL + 3 * Math.sqrt(NOMINAL * (1 - NOMINAL) / pairs), "any verdict in " + any);
        assertTrue(equivalentOrInconclusive >= 0.99 * rows, "the rest is equivalent or inconclusive");
    }

    /** TOST: no change at CV 1% with 5 forks a side is shown equivalent within ±5% at least 80% of the time. */
    @Test
    void noChangeOnAQuietMachineIsShownEquivalent() {
        double eq = rate(logNormal(1e7, 0.01), logNormal(1e7, 0.01), 5, Comparison::equivalent);
        System.out.printf("equivalence, no change, cv 0.01, 5 forks a side: %.3f%n", eq);
        assertTrue(eq >= 0.8, "shown equivalent " + eq + " of the time");
        // and a true 10% change is (almost) never called equivalent
        double wrong = rate(logNormal(1e7, 0.01), logNormal(1.1e7, 0.01), 5, Comparison::equivalent);
        assertTrue(wrong <= 0.05, "a 10% change called equivalent " + wrong + " of the time");
    }
}
