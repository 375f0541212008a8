package dev.uprobebench.report;

import dev.uprobebench.registry.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The model against the host kernel, in one scenario (issue 20, the {@code kernel-shape}
 * profile): per kernel row and reader count, the kernel's hits/s and its speed-up from one
 * reader, the same for the model of the host's own design (the lineage: {@link Backend#mainlineOf}),
 * the published speed-up of that design where DESIGN.md has one, and the kernel's scaling over the
 * model's. Absolute hits/s do not compare (the kernel pays a real trap, the model a synthetic one
 * or none); the scaling does: a ratio near 1 says the model's synchronization scales as the
 * kernel's, below 1 that the kernel loses more to sharing than the model does.
 */
public final class KernelTable {
    private KernelTable() {
    }

    /**
     * The table as Markdown, or empty when the scenario has no kernel row or no valid row of the
     * model of {@code hostRelease}'s design beside it.
     */
    public static String table(List<Analysis.Row> scenario, String hostRelease) {
        Backend design = Backend.mainlineOf(hostRelease);
        if (design == null) {
            return "";
        }
        List<String> kernels = new ArrayList<>();
        TreeSet<Integer> readers = new TreeSet<>();
        for (Analysis.Row r : scenario) {
            ConfigOutcome o = r.outcome();
            if (o.spec().backend().equals(Backend.KERNEL.cliName()) && o.valid() && r.hits().n() > 0) {
                if (!kernels.contains(o.spec().label())) {
                    kernels.add(o.spec().label());
                }
                readers.add(o.spec().readers());
            }
        }
        String model = design.cliName();
        if (kernels.isEmpty() || scenario.stream().noneMatch(r -> isModel(r, model))) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "The host kernel (%s) beside the model of its own design, `%s` (the "
                + "lineage: rwlock to 6.11, srcu in 6.12, seqcount-rcu from 6.13). Hits/s do not compare: the kernel "
                + "pays a real trap, the model none or a synthetic one. The scaling does: speed-up from 1 reader to N, "
                + "paired by round, with its 95%% interval; *kernel ÷ model* is the per-round ratio of the two speed-ups "
                + "(geometric mean, 95%% interval): near 1, the model scales as the kernel does; below 1, the kernel "
                + "loses more to what its readers share than the model does. Published: the speed-up of `bench "
                + "trig-uprobe-nop` for this design where DESIGN.md has it (80-core Xeon, 2024).%n%n", hostRelease,
                model));
        sb.append("| kernel | readers | kernel hits/s | kernel speed-up | ").append(model).append(" hits/s | ")
                .append(model).append(" speed-up | published speed-up | kernel ÷ model scaling |\n");
        sb.append("|---|---:|---:|---|---:|---|---:|---|\n");
        for (String k : kernels) {
            for (int n : readers) {
                Analysis.Row kr = find(scenario, r -> r.outcome().spec().label().equals(k), n);
                Analysis.Row mr = find(scenario, r -> isModel(r, model), n);
                if (kr == null) {
                    continue;
                }
                Double pub = published(design, n);
                sb.append("| ").append(k).append(" | ").append(n).append(" | ")
                        .append(Format.rate(kr.hits().mean())).append(" | ").append(speedUp(kr, n)).append(" | ")
                        .append(mr == null ? "-" : Format.rate(mr.hits().mean())).append(" | ")
                        .append(mr == null ? "-" : speedUp(mr, n)).append(" | ")
                        .append(pub == null ? "-" : String.format(Locale.ROOT, "%.2f", pub)).append(" | ")
                        .append(mr == null || n == 1 ? "-" : scaling(scenario, kr, mr).formatRatio()).append(" |\n");
            }
        }
        return sb.toString();
    }

    private static boolean isModel(Analysis.Row r, String model) {
        ConfigOutcome o = r.outcome();
        return o.spec().backend().equals(model) && o.valid() && o.spec().defaultRcuFlavour()
                && !o.spec().hasUretprobes() && r.hits().n() > 0;
    }

    private static Analysis.Row find(List<Analysis.Row> rows, java.util.function.Predicate<Analysis.Row> p, int n) {
        return rows.stream().filter(r -> r.outcome().spec().readers() == n && p.test(r)).findFirst().orElse(null);
    }

    private static String speedUp(Analysis.Row r, int n) {
        return n == 1 ? "1" : r.speedUp().formatRatio();
    }

    private static Double published(Backend design, int n) {
        Double at = PublishedFigures.published(design.publishedSeries(), n);
        Double one = PublishedFigures.published(design.publishedSeries(), 1);
        return at == null || one == null ? null : at / one;
    }

    /** Per round: (kernel at N / kernel at 1) / (model at N / model at 1), on the log scale. */
    static Estimate scaling(List<Analysis.Row> scenario, Analysis.Row kernelN, Analysis.Row modelN) {
        Analysis.Row kernel1 = find(scenario, r -> r.outcome().spec().label().equals(kernelN.outcome().spec().label()),
                1);
        Analysis.Row model1 = find(scenario, r -> r.outcome().spec().backendKey().equals(
                modelN.outcome().spec().backendKey()), 1);
        if (kernel1 == null || model1 == null) {
            return Estimate.NONE;
        }
        Map<Integer, Double> kn = kernelN.outcome().hitsByRound();
        Map<Integer, Double> k1 = kernel1.outcome().hitsByRound();
        Map<Integer, Double> mn = modelN.outcome().hitsByRound();
        Map<Integer, Double> m1 = model1.outcome().hitsByRound();
        List<Double> ratios = new ArrayList<>();
        for (Map.Entry<Integer, Double> e : kn.entrySet()) {
            Double a = k1.get(e.getKey());
            Double b = mn.get(e.getKey());
            Double c = m1.get(e.getKey());
            if (a != null && b != null && c != null && a > 0 && b > 0 && c > 0 && e.getValue() > 0) {
                ratios.add((e.getValue() / a) / (b / c));
            }
        }
        return Estimate.logScale(ratios);
    }
}
