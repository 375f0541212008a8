package dev.uprobebench.report;

import java.util.List;

/** The plots drawn for one scenario: file base names and PNGs, and the series each one shows. */
public record ScenarioPlots(List<Plots.Saved> saved, List<List<String>> series) {
    static final ScenarioPlots NONE = new ScenarioPlots(List.of(), List.of());
}
