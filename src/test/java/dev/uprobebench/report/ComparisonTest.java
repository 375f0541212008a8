package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    @Test
    void clearlyHigherBIsFasterWithAnIntervalAroundTheRatio() {
        Comparison c = Comparison.of(List.of(100.0, 101.0, 99.0, 100.0), List.of(150.0, 151.0, 149.0, 150.0));
        assertEquals(1.5, c.ratio(), 1e-9);
        assertTrue(c.low() > 1.4 && c.high() < 1.6, c.format());
        assertEquals(Comparison.FASTER, c.verdict());
    }

    @Test
    void clearlyLowerBIsSlower() {
        assertEquals(Comparison.SLOWER,
                Comparison.of(List.of(100.0, 101.0, 99.0), List.of(80.0, 81.0, 79.0)).verdict());
    }

    @Test
    void overlappingNoiseIsNoSignificantChange() {
        Comparison c = Comparison.of(List.of(100.0, 130.0, 70.0, 110.0), List.of(105.0, 60.0, 140.0, 95.0));
        assertEquals(Comparison.SAME, c.verdict(), c.format());
        assertTrue(c.low() < 1 && c.high() > 1);
    }

    @Test
    void oneIterationGivesNoInterval() {
        Comparison c = Comparison.of(List.of(100.0), List.of(120.0, 121.0));
        assertEquals(Comparison.UNKNOWN, c.verdict());
        assertEquals("1.205", c.format());
    }

    @Test
    void missingDataIsUnknown() {
        assertEquals(Comparison.UNKNOWN, Comparison.of(List.of(), List.of(1.0)).verdict());
    }
}
