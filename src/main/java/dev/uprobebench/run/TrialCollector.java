package dev.uprobebench.run;

import dev.uprobebench.bench.TrialFiles;
import dev.uprobebench.bench.TrialRecord;
import dev.uprobebench.pin.ThreadPinner.PinRecord;
import dev.uprobebench.report.ConfigOutcome;
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
 * Reads what one configuration's forks left in the report directory back into its
 * {@link ConfigOutcome}: every trial's invariant counts and read-back pins, and the latency logs,
 * summed per tag into {@code latency/<id>-<tag>.hgrm}. (The scores come from JMH's
 * {@code RunResult}s, not from here.)
 */
final class TrialCollector {
    private TrialCollector() {
    }

    /** Fills {@code o} from the configuration's trial records and latency logs. */
    static void collect(Path dir, BenchConfig c, ConfigOutcome o) throws IOException {
        o.invariants.clear();
        o.violations = 0;
        o.trials = 0;
        o.speculations = 0;
        o.fallbacks = 0;
        o.mmOps = 0;
        o.uretHits = 0;
        o.uretEntries = 0;
        o.uretReturns = 0;
        o.uretReturnsGone = 0;
        o.uretSkipped = 0;
        o.uretExpiredStable = 0;
        o.uretExpiredGone = 0;
        o.uretRiDropped = 0;
        o.uretGracePeriods = 0;
        o.uretGraceNanos = 0;
        o.uretGraceMaxNanos = 0;
        o.uretReturnP99Nanos = 0;
        o.pinMap.clear();
        o.pinsVerified = true;
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
                o.trials++;
                r.invariants.forEach((k, v) -> o.invariants.merge(k, v, Long::sum));
                o.violations += r.violations;
                // Every round collects every trial again: a trial's problems are added once, named by
                // the fork that had them, beside the problems the run itself recorded.
                for (String p : r.problems) {
                    String named = mode + " fork " + r.pid + ": " + p;
                    if (!o.problems.contains(named)) {
                        o.problems.add(named);
                    }
                }
                o.speculations += r.speculations;
                o.fallbacks += r.fallbacks;
                o.mmOps += r.mmOps;
                if (r.uretprobe != null) {
                    o.uretHits += r.hits;
                    o.uretEntries += r.uretEntries;
                    o.uretReturns += r.uretReturns;
                    o.uretReturnsGone += r.uretReturnsGone;
                    o.uretSkipped += r.uretSkippedDepth;
                    o.uretExpiredStable += r.uretExpiredStable;
                    o.uretExpiredGone += r.uretExpiredGone;
                    o.uretRiDropped += r.uretRiDropped;
                    o.uretGracePeriods += r.uretGracePeriods;
                    o.uretGraceNanos += r.uretGraceNanos;
                    o.uretGraceMaxNanos = Math.max(o.uretGraceMaxNanos, r.uretGraceMaxNanos);
                    o.uretReturnP99Nanos = Math.max(o.uretReturnP99Nanos, r.uretReturnP99Nanos);
                }
                if (r.keyLayout != null) {
                    o.keyLayout = r.keyLayout;
                }
                if (r.trapNanos > 0) {
                    o.trapNanos = r.trapNanos;
                    o.trapMeasuredNanos = r.trapMeasuredNanos;
                }
                if (o.pinMap.isEmpty()) {
                    List<PinRecord> pins = new ArrayList<>(r.pins);
                    pins.sort(java.util.Comparator.comparing(PinRecord::role).thenComparingInt(PinRecord::index));
                    for (PinRecord p : pins) {
                        o.pinMap.add(p.role() + p.index() + "@cpu" + (p.requestedCpu() >= 0 ? p.requestedCpu()
                                : p.cpuNow() + "(unpinned)") + "(core " + p.core() + ", pkg " + p.pkg() + ")"
                                + (p.verified() || p.requestedCpu() < 0 ? "" : " NOT VERIFIED: " + p.note()));
                    }
                }
                for (PinRecord p : r.pins) {
                    if (p.requestedCpu() >= 0 && !p.verified()) {
                        o.pinsVerified = false;
                    }
                }
                if (mode.equals("latency")) {
                    o.timerFloorNanos = r.timerFloorNanos;
                    if (r.latencyLog != null && Files.exists(raw.resolve(r.latencyLog))) {
                        logs.add(raw.resolve(r.latencyLog));
                    }
                }
            }
        }
        o.latency.clear();
        o.curves.clear();
        if (!logs.isEmpty()) {
            for (int i = 0; i < logs.size(); i++) {
                String name = c.id() + (logs.size() > 1 ? "-fork" + (i + 1) : "") + ".hlog";
                Files.copy(logs.get(i), dir.resolve("latency").resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            for (Map.Entry<String, Histogram> e : Histograms.sumByTag(logs).entrySet()) {
                if (e.getValue().getTotalCount() == 0) {
                    continue;
                }
                o.latency.put(e.getKey(), Histograms.percentiles(e.getValue()));
                o.curves.put(e.getKey(), Histograms.curve(e.getValue()));
                Histograms.writeHgrm(e.getValue(), dir.resolve("latency").resolve(c.id() + "-" + e.getKey() + ".hgrm"),
                        1000.0);
            }
        }
    }

}
