package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisTest {
    private static Analysis.Row row(Analysis a, String backend, int readers) {
        return a.rows().stream().filter(r -> r.outcome().spec().backend().equals(backend) && r.outcome().spec().readers() == readers)
                .findFirst().orElseThrow();
    }

    @Test
    void ratiosToTheCeilingAndTheBaselineArePairedByRound() {
        // a slow round 2 for everyone: the paired ratios do not move
        Analysis a = Analysis.of(List.of(Outcomes.withForks("unsync", 1, 10, 5, 10),
                Outcomes.withForks("rwlock", 1, 4, 2, 4), Outcomes.withForks("srcu", 1, 8, 4, 8)));
        Analysis.Row srcu = row(a, "srcu", 1);
        assertEquals(0.8, srcu.xUnsync().mean(), 1e-12);
        assertEquals(0.8, srcu.xUnsync().low(), 1e-12);
        assertEquals(2.0, srcu.xRwlock().mean(), 1e-12);
        assertTrue(srcu.hits().noisy(), "the hits themselves spread by a factor of two");
        assertTrue(srcu.verdict().startsWith(Analysis.NOISY), srcu.verdict());
    }

    /** The null baseline sits above the ceiling by design: it is read against, not flagged or ranked. */
    @Test
    void theNullBaselineIsNeitherSuspectNorRanked() {
        Analysis a = Analysis.of(List.of(Outcomes.withForks("unsync", 1, 50, 51, 49),
                Outcomes.withForks("null", 1, 90, 91, 89), Outcomes.withForks("srcu", 1, 40, 41, 39)));
        Analysis.Row nul = row(a, "null", 1);
        assertEquals(List.of(), nul.flags());
        assertEquals(null, nul.rank());
        assertEquals(1.8, nul.xUnsync().mean(), 1e-2);
        assertEquals(Integer.valueOf(1), row(a, "unsync", 1).rank());
        assertEquals(Integer.valueOf(2), row(a, "srcu", 1).rank());
    }

    /** The host kernel is read beside the designs: not ranked, not divided by the model's ceiling or baseline. */
    @Test
    void theKernelIsNeitherRankedNorReadAgainstTheModelsCeiling() {
        Analysis a = Analysis.of(List.of(Outcomes.withForks("unsync", 1, 50, 51, 49),
                Outcomes.withForks("rwlock", 1, 20, 21, 19), Outcomes.withForks("kernel", 1, 0.8, 0.81, 0.79),
                Outcomes.withForks("srcu", 1, 40, 41, 39)));
        Analysis.Row kernel = row(a, "kernel", 1);
        assertEquals(null, kernel.rank());
        assertEquals(0, kernel.xUnsync().n());
        assertEquals(0, kernel.xRwlock().n());
        assertEquals(Integer.valueOf(3), row(a, "rwlock", 1).rank(), "ranks count the model rows only");
    }

    @Test
    void aSpeedUpAboveTheReaderRatioIsSuspect() {
        Analysis a = Analysis.of(List.of(Outcomes.withForks("srcu", 1, 10, 10.1, 9.9),
                Outcomes.withForks("srcu", 2, 27.2, 27.0, 27.4)));
        Analysis.Row two = row(a, "srcu", 2);
        assertEquals(2.72, two.speedUp().mean(), 0.01);
        assertTrue(two.flags().stream().anyMatch(f -> f.startsWith(Analysis.SUSPECT + ": speed-up 2.72")), two.flags()
                .toString());
    }

    @Test
    void aDesignAboveTheCeilingBeyondItsIntervalIsSuspectButNotWithinIt() {
        Analysis clear = Analysis.of(List.of(Outcomes.withForks("unsync", 1, 50, 51, 49),
                Outcomes.withForks("seqcount-rcu", 1, 55, 56.5, 54)));
        assertTrue(row(clear, "seqcount-rcu", 1).flags().stream().anyMatch(f -> f.contains("above the unsync ceiling")));
        Analysis noise = Analysis.of(List.of(Outcomes.withForks("unsync", 1, 50, 51, 49),
                Outcomes.withForks("seqcount-rcu", 1, 51, 49.5, 50.5)));
        assertEquals(List.of(), row(noise, "seqcount-rcu", 1).flags());
        assertEquals("valid", row(noise, "seqcount-rcu", 1).verdict());
    }

    @Test
    void forksThatDisagreeAreSuspect() {
        Analysis a = Analysis.of(List.of(Outcomes.withForks("rwlock", 1, 10, 10.1, 9.9, 10.05, 14)));
        assertTrue(row(a, "rwlock", 1).flags().stream().anyMatch(f -> f.contains("forks disagree (round 5")),
                row(a, "rwlock", 1).flags().toString());
    }

    @Test
    void aScenarioListsItsLabelsInFirstSeenOrderAndEachLabelsReadersAscending() {
        List<ConfigOutcome> in = new java.util.ArrayList<>();
        // labels interleaved and readers descending: what the old comparator, which called rows of
        // different labels equal, left as [a r2, b r1, a r1] for the first three
        in.add(Outcomes.withForks("a", 2, 1, 1, 1));
        in.add(Outcomes.withForks("b", 1, 1, 1, 1));
        in.add(Outcomes.withForks("a", 1, 1, 1, 1));
        for (int r = 40; r >= 1; r--) {
            in.add(Outcomes.withForks(r % 2 == 0 ? "c" : "b", r + 1, 1, 1, 1));
        }
        List<Analysis.Row> rows = Analysis.of(in).byScenario().values().iterator().next();
        List<String> seen = rows.stream().map(r -> r.outcome().spec().label() + r.outcome().spec().readers()).toList();
        List<String> expected = new java.util.ArrayList<>(List.of("a1", "a2"));
        for (String label : List.of("b", "c")) {
            rows.stream().filter(r -> r.outcome().spec().label().equals(label)).mapToInt(r -> r.outcome().spec().readers()).sorted()
                    .forEach(n -> expected.add(label + n));
        }
        assertEquals(expected, seen);
    }

    /**
     * Grubbs over a whole report: 400 simulated reports of 20 steady configurations (5 normal forks,
     * CV 3%) are flagged by chance in at most 8% of reports (5% nominal plus simulation error; at 5%
     * per configuration it would be about 64%), while one fork 40% off is still found among them.
     */
    @Test
    void forksThatDisagreeAreFlaggedAtFivePercentPerReportNotPerRow() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(20261206L);
        int flagged = 0;
        int reports = 400;
        for (int k = 0; k < reports; k++) {
            List<ConfigOutcome> rows = new java.util.ArrayList<>();
            for (int c = 0; c < 20; c++) {
                double[] f = new double[5];
                for (int i = 0; i < 5; i++) {
                    f[i] = 1e7 * (1 + 0.03 * gaussian(rnd));
                }
                rows.add(Outcomes.with(Outcomes.withForks("srcu", 1, f), "id", "c" + c));
            }
            if (Analysis.of(rows).rows().stream().anyMatch(r -> r.flags().stream()
                    .anyMatch(x -> x.contains("forks disagree")))) {
                flagged++;
            }
        }
        assertTrue(flagged <= 0.08 * reports, flagged + " of " + reports + " steady reports flagged");
        List<ConfigOutcome> rows = new java.util.ArrayList<>();
        for (int c = 0; c < 19; c++) {
            rows.add(Outcomes.with(Outcomes.withForks("srcu", 1, 10, 10.2, 9.9, 10.1, 9.8), "id", "c" + c));
        }
        rows.add(Outcomes.with(Outcomes.withForks("srcu", 1, 10, 10.1, 9.9, 10.05, 14.0), "id", "odd"));
        Analysis a = Analysis.of(rows);
        assertTrue(a.rows().get(19).flags().stream().anyMatch(x -> x.contains("round 5 is an outlier")),
                a.rows().get(19).flags().toString());
    }

    private static double gaussian(java.util.SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    @Test
    void identicalForksAreFlaggedAsFloored() {
        Analysis a = Analysis.of(List.of(Outcomes.withForks("srcu", 1, 10, 10, 10)));
        assertTrue(a.rows().get(0).flags().stream().anyMatch(f -> f.contains("forks agree within 0.1%")),
                a.rows().get(0).flags().toString());
    }
}
