package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PublishedFiguresTest {
    @Test
    void speedUpsAreOursBesideThePublishedOnes() {
        List<ConfigOutcome> s = List.of(Outcomes.of("rwlock", 1, "0", 10e6, 0), Outcomes.of("rwlock", 2, "0", 12e6, 0),
                Outcomes.of("srcu", 1, "0", 10e6, 0), Outcomes.of("srcu", 2, "0", 19e6, 0));
        String t = PublishedFigures.speedUpTable(Analysis.of(s).rows());
        // rwlock: 12/10 = 1.20 ours, 3.45/3.03 = 1.14 published; srcu: 1.90 ours, 4.13/3.28 = 1.26 published;
        // every fork is 1% off its mean in the same direction, so the paired ratios do not spread
        assertTrue(t.contains("| 2 | 1.20 [1.20, 1.20] (1.14) | 1.90 [1.90, 1.90] (1.26) |"), t);
        assertTrue(t.contains("rwlock (rwlock)") && t.contains("srcu (SRCU)"), "each back-end names its series: " + t);
    }

    @Test
    void aSpeedUpAboveTheReaderRatioIsMarkedSuspect() {
        List<ConfigOutcome> s = List.of(Outcomes.of("srcu", 1, "0", 10e6, 0), Outcomes.of("srcu", 2, "0", 27.2e6, 0));
        String t = PublishedFigures.speedUpTable(Analysis.of(s).rows());
        assertTrue(t.contains("| 2 | 2.72 [2.72, 2.72] **SUSPECT** (1.26) |"), t);
    }

    @Test
    void nothingToHoldAgainstWithOneReaderCountOrOnlyInvalidResults() {
        assertEquals("", PublishedFigures.speedUpTable(Analysis.of(List.of(Outcomes.of("rwlock", 1, "0", 10e6, 0)))
                .rows()));
        assertEquals("", PublishedFigures.speedUpTable(Analysis.of(List.of(Outcomes.of("srcu", 1, "0", 10e6, 2),
                Outcomes.of("srcu", 2, "0", 19e6, 2))).rows()));
    }

    /** The published series paid mmap_read_lock on every hit: the note names the like-for-like scenario. */
    @Test
    void theNoteSaysWhichVmaLookupIsLikeForLike() {
        List<ConfigOutcome> s = new java.util.ArrayList<>(List.of(Outcomes.of("srcu", 1, "0", 10e6, 0),
                Outcomes.of("srcu", 2, "0", 19e6, 0)));
        assertTrue(PublishedFigures.speedUpTable(Analysis.of(s).rows()).contains("the `mmap-lock` scenario of the "
                + "`vma` profile is the like-for-like one"));
        s.replaceAll(o -> Outcomes.with(o, "vmaLookup", "mmap-lock"));
        assertTrue(PublishedFigures.speedUpTable(Analysis.of(s).rows()).contains("as the published runs did: like for like"));
        s.replaceAll(o -> Outcomes.with(o, "vmaLookup", "speculative"));
        assertTrue(PublishedFigures.speedUpTable(Analysis.of(s).rows()).contains("3.53 M/s on 1 CPU and 142 M/s on 80 "
                + "(a speed-up of 40.2)"));
    }
}
