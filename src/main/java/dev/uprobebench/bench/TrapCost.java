package dev.uprobebench.bench;

import java.util.Arrays;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Fixed per-hit work outside the registry standing for what the kernel spends around every uprobe
 * hit before and after the lookup: the {@code int3} trap and the single-step of the original
 * instruction (about 300 ns: 3.4 M hits/s on one CPU), or 6.18's optimised {@code nop5} path
 * (about 140 ns). With it, ratios between designs can be held against kernel figures, where this
 * cost dilutes every difference.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>The work is {@link Blackhole#consumeCPU(long)} tokens, calibrated at trial setup to the
 *       asked nanoseconds on this machine (the median of several timed batches), so a hit pays no
 *       timer call; the tokens and the cost measured with them are recorded.</li>
 *   <li>Allocation-free on the hit path; calibration takes a few tens of milliseconds.</li>
 * </ul>
 */
public final class TrapCost {
    /** Named costs: the {@code int3} + single-step path, and 6.18's optimised nop5 path. */
    public static final long INT3_NANOS = 300;
    public static final long NOP5_NANOS = 140;
    private static final long BATCH_TOKENS = 2_000_000;
    private static final int BATCHES = 7;

    private TrapCost() {
    }

    /** {@code none}, {@code int3}, {@code nop5} or {@code N ns} ({@code 250ns}) in nanoseconds; -1 if malformed. */
    public static long parse(String v) {
        switch (v) {
            case "none":
                return 0;
            case "int3":
                return INT3_NANOS;
            case "nop5":
                return NOP5_NANOS;
            default:
                if (v.endsWith("ns")) {
                    try {
                        long n = Long.parseLong(v.substring(0, v.length() - 2));
                        return n >= 0 && n <= 1_000_000 ? n : -1;
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
                return -1;
        }
    }

    /** Nanoseconds per {@link Blackhole#consumeCPU} token on this machine (median of timed batches). */
    public static double nanosPerToken() {
        double[] samples = new double[BATCHES];
        for (int i = 0; i < BATCHES; i++) {
            long t0 = System.nanoTime();
            Blackhole.consumeCPU(BATCH_TOKENS);
            samples[i] = (double) (System.nanoTime() - t0) / BATCH_TOKENS;
        }
        Arrays.sort(samples);
        return samples[BATCHES / 2];
    }

    /** The tokens that take {@code nanos} here (at least 1 for any positive cost). */
    public static long tokensFor(long nanos, double nanosPerToken) {
        if (nanos <= 0) {
            return 0;
        }
        return Math.max(1, Math.round(nanos / nanosPerToken));
    }

    /** What {@code tokens} of work really takes per call, in ns (mean over a timed batch). */
    public static double measure(long tokens) {
        if (tokens <= 0) {
            return 0;
        }
        int calls = (int) Math.max(1_000, Math.min(1_000_000, BATCH_TOKENS / tokens));
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            Blackhole.consumeCPU(tokens);
        }
        return (double) (System.nanoTime() - t0) / calls;
    }
}
