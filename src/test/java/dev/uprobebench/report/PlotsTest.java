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

    @Test
    void aBackEndHasTheSameColourAndMarkerOnEveryPlotWhateverIsBesideIt() {
        List<ConfigOutcome> all = Outcomes.sample().subList(0, 8);
        XYChart full = Plots.throughput("s", Analysis.of(all).rows());
        XYChart withoutUnsync = Plots.throughput("s",
                Analysis.of(all.stream().filter(o -> !o.spec().backend().equals("unsync")).toList()).rows());
        org.knowm.xchart.XYSeries a = full.getSeriesMap().get("srcu");
        org.knowm.xchart.XYSeries b = withoutUnsync.getSeriesMap().get("srcu");
        assertEquals(a.getLineColor(), b.getLineColor());
        assertEquals(a.getMarker(), b.getMarker());
        assertEquals(Plots.colour("srcu"), a.getLineColor());
    }

    @Test
    void everyBackEndHasItsOwnColourAndMarker() {
        java.util.Set<java.awt.Color> colours = new java.util.HashSet<>();
        java.util.Set<Object> markers = new java.util.HashSet<>();
        for (dev.uprobebench.registry.Backend b : dev.uprobebench.registry.Backend.values()) {
            colours.add(Plots.colour(b.cliName()));
            markers.add(Plots.marker(b.cliName()));
        }
        assertEquals(dev.uprobebench.registry.Backend.values().length, colours.size());
        assertEquals(dev.uprobebench.registry.Backend.values().length, markers.size());
    }

    @Test
    void aScenarioWithOneReaderCountIsDrawnAsPointsPerBackEnd() {
        List<ConfigOutcome> one = List.of(Outcomes.of("rwlock", 2, "0", 5e6, 0), Outcomes.of("srcu", 2, "0", 9e6, 0),
                Outcomes.of("seqcount-rcu", 2, "0", 12e6, 0));
        XYChart c = Plots.throughput("s", Analysis.of(one).rows());
        assertEquals(List.of("rwlock", "srcu", "seqcount-rcu"), List.copyOf(c.getSeriesMap().keySet()));
        double x = 1;
        for (org.knowm.xchart.XYSeries s : c.getSeriesMap().values()) {
            assertEquals(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter, s.getXYSeriesRenderStyle());
            assertEquals(x++, s.getXData()[0], 1e-9, "each back-end at its own place");
            assertTrue(s.getExtraValues()[0] > 0, "with its interval");
        }
        assertTrue(Plots.hasData(c));
        assertTrue(c.getXAxisTitle().contains("2 readers"), c.getXAxisTitle());
    }
}
