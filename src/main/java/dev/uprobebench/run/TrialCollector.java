package dev.uprobebench.run;

import dev.uprobebench.bench.TrialFiles;
import dev.uprobebench.bench.TrialRecord;
import dev.uprobebench.report.TrialTotals;
import dev.uprobebench.report.Histograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Reads what one configuration's forks left in the report directory into its
 * {@link TrialTotals}: every trial's invariant counts and read-back pins, and the latency logs,
 * summed per tag into {@code latency/<id>-<tag>.hgrm}. (The scores come from JMH's
 * {@code RunResult}s, not from here.)
 */
final class TrialCollector {
    private TrialCollector() {
    }

    /**
     * The totals of every trial record and latency log the configuration's forks have left so
     * far (every collection starts from nothing: a later round reads the earlier trials again).
     */
    static TrialTotals collect(Path dir, BenchConfig c) throws IOException {
        TrialTotals.Builder totals = new TrialTotals.Builder();
        List<Path> logs = new ArrayList<>();
        for (String mode : List.of("throughput", "latency")) {
            Path raw = dir.resolve("raw").resolve(c.id()).resolve(mode);
            if (!Files.isDirectory(raw)) {
                continue;
            }
            List<Path> trials;
            try (Stream<Path> s = Files.list(raw)) {
                trials = s.filter(p -> p.getFileName().toString().matches("trial-\\d+\\.json")).sorted()
                        .collect(Collectors.toList());
            }
            for (Path t : trials) {
                TrialRecord r = TrialFiles.read(t);
                totals.add(mode, r);
                if (mode.equals("latency") && r.latencyLog != null && Files.exists(raw.resolve(r.latencyLog))) {
                    logs.add(raw.resolve(r.latencyLog));
                }
            }
        }
        if (!logs.isEmpty()) {
            for (int i = 0; i < logs.size(); i++) {
                String name = c.id() + (logs.size() > 1 ? "-fork" + (i + 1) : "") + ".hlog";
                Files.copy(logs.get(i), dir.resolve("latency").resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            for (Map.Entry<String, Histogram> e : Histograms.sumByTag(logs).entrySet()) {
                if (e.getValue().getTotalCount() == 0) {
                    continue;
                }
                totals.latency(e.getKey(), Histograms.percentiles(e.getValue()), Histograms.curve(e.getValue()));
                Histograms.writeHgrm(e.getValue(), dir.resolve("latency").resolve(c.id() + "-" + e.getKey() + ".hgrm"),
                        1000.0);
            }
        }
        return totals.build();
    }
}
