package dev.uprobebench.host;

import dev.uprobebench.registry.HostKernel.TrapCost;
import java.util.Arrays;

/**
 * The host's trap cost per trap kind, measured: batches of hits from the native loop with one
 * probe registered for this thread, less the same batches with no probe. The unprobed call is the
 * null baseline of a {@code kernel} hit (DESIGN.md section 10), not the model's {@code null}.
 */
final class TrapCosts {
    private TrapCosts() {
    }

    /** Times {@code repetitions} batches of {@code hits} probed calls, after one warm-up batch each way. */
    static TrapCost measure(UprobePmu pmu, ProbeTargets.Function f, int repetitions, long hits) {
        double[] unprobed = new double[repetitions];
        double[] probed = new double[repetitions];
        f.callMany(hits);
        for (int r = 0; r < repetitions; r++) {
            unprobed[r] = timePerCall(f, hits * 100);
        }
        try (UprobeEvent e = UprobeEvent.forThisThread(pmu, f.file(), f.offset(), false)) {
            e.enable();
            f.callMany(hits);
            for (int r = 0; r < repetitions; r++) {
                probed[r] = timePerCall(f, hits);
            }
            e.disable();
            long expected = hits * (repetitions + 1L);
            if (e.count() != expected) {
                throw new IllegalStateException("the " + f + " probe counted " + e.count() + " of " + expected
                        + " hits while its cost was measured");
            }
        }
        double base = median(unprobed);
        double[] cost = Arrays.stream(probed).map(p -> p - base).sorted().toArray();
        return new TrapCost(f.trap().key(), median(cost), cost[0], cost[cost.length - 1], base, repetitions, hits);
    }

    private static double timePerCall(ProbeTargets.Function f, long n) {
        long t0 = System.nanoTime();
        f.callMany(n);
        return (System.nanoTime() - t0) / (double) n;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
