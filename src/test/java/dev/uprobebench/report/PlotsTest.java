package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class PlotsTest {
    @Test
    void percentileAxisPutsEachNineOneDecadeFurther() {
        assertEquals(1.0, Plots.percentileAxis(90), 1e-9);
        assertEquals(3.0, Plots.percentileAxis(99.9), 1e-9);
        assertEquals(5.0, Plots.percentileAxis(99.999), 1e-9);
    }

    @Test
    void decadesAreLabelledAsPercentilesAndTicksBetweenThemAreBlank() {
        assertEquals("0%", Plots.percentileLabel(0));
        assertEquals("90%", Plots.percentileLabel(1));
        assertEquals("99%", Plots.percentileLabel(2));
        assertEquals("99.999%", Plots.percentileLabel(5));
        assertEquals("", Plots.percentileLabel(2.5));
    }

    @Test
    void latencyTicksShowTheValueNotItsLogarithm() {
        assertEquals("1,000", Plots.powerOfTenLabel(3));
        assertEquals("32", Plots.powerOfTenLabel(1.5));
        assertEquals("0.5", Plots.powerOfTenLabel(Math.log10(0.5)));
    }

    @Test
    void throughputPlotHasOneSeriesPerBackEndAndFlagsInvalidOnes() {
        XYChart c = Plots.throughput("s", Analysis.of(Outcomes.sample().subList(0, 8)).rows());
        List<String> names = List.copyOf(c.getSeriesMap().keySet());
        assertEquals(List.of("unsync", "rwlock", "srcu", "seqcount-rcu-rfc (INVALID)"), names);
        assertTrue(Plots.hasData(c));
    }
}
