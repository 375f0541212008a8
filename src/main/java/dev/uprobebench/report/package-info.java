/**
 * What a run's numbers say and how they are shown: per-fork estimates and intervals
 * ({@link dev.uprobebench.report.Estimate}), the analysis computed once per report
 * ({@link dev.uprobebench.report.Analysis}), the comparison of two runs
 * ({@link dev.uprobebench.report.Comparison}, {@link dev.uprobebench.report.ReportComparison}),
 * and the renderers: summary, page, plots, histograms, flame-graph conversion.
 */
package dev.uprobebench.report;
