package dev.uprobebench.uret;

import java.util.concurrent.TimeUnit;

/**
 * How return probes run.
 *
 * @param lifetime what keeps the uprobe alive between entry and return
 * @param permille return probes per 1000 keys: the key at offset {@code k} is one when
 *     {@code k % 1000 < permille} (1000: every uprobe, as {@code trig-uretprobe-nop})
 * @param durationHits the function returns after this many further hits (0: before the next hit);
 *     -1 when the duration is a time
 * @param durationNanos the function returns this long after its entry, checked at each hit; -1
 *     when the duration is a number of hits
 * @param maxDepth pending returns per thread; an entry beyond it gets no return instance (the
 *     kernel's {@code MAX_URETPROBE_DEPTH} is 64)
 * @param timeoutNanos the per-task timer: re-armed this long after each entry (the kernel's
 *     {@code RI_TIMER_PERIOD} is 100 ms)
 * @param riAlloc where return instances come from: {@code pool} (6.14's per-task {@code ri_pool}),
 *     {@code rcu-free} (before 6.14: allocated per entry from a slab and freed after an RCU grace
 *     period, {@code kfree_rcu}), or {@code alloc} (allocated per entry and dropped to the garbage
 *     collector: no grace period, no slab; a lower bound, not a kernel design)
 */
public record ReturnProbeConfig(Lifetime lifetime, int permille, int durationHits, long durationNanos, int maxDepth,
        long timeoutNanos, String riAlloc) {
    /** The return-instance sources, as profiles write them. */
    public static final java.util.List<String> RI_ALLOCS = java.util.List.of("pool", "rcu-free", "alloc");
    public static final int KERNEL_MAX_DEPTH = 64;
    public static final long KERNEL_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    public ReturnProbeConfig {
        if (lifetime == null) {
            throw new IllegalArgumentException("a return-probe lifetime is required; valid: " + Lifetime.names());
        }
        if (permille < 0 || permille > 1000) {
            throw new IllegalArgumentException("return-probe share must be in [0, 1], got " + permille / 1000.0);
        }
        if ((durationHits < 0) == (durationNanos < 0)) {
            throw new IllegalArgumentException("a function duration is a number of hits or a time, not both or neither");
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("return-probe depth must be >= 1, got " + maxDepth);
        }
        if (timeoutNanos < 1) {
            throw new IllegalArgumentException("lease timeout must be > 0, got " + timeoutNanos + " ns");
        }
        if (!RI_ALLOCS.contains(riAlloc)) {
            throw new IllegalArgumentException("unknown return-instance allocation '" + riAlloc + "'; valid: "
                    + String.join(", ", RI_ALLOCS));
        }
    }

    /** 6.14's per-task pool. */
    public boolean riPool() {
        return "pool".equals(riAlloc);
    }

    /** Before 6.14: a slab allocation per entry, freed after a grace period. */
    public boolean riRcuFree() {
        return "rcu-free".equals(riAlloc);
    }

    /** Every uprobe a return probe, returning before the next hit: {@code trig-uretprobe-nop}. */
    public static ReturnProbeConfig of(Lifetime lifetime) {
        return new ReturnProbeConfig(lifetime, 1000, 0, -1, KERNEL_MAX_DEPTH, KERNEL_TIMEOUT_NANOS, "pool");
    }

    public ReturnProbeConfig withDuration(String text) {
        long[] d = parseDuration(text);
        return new ReturnProbeConfig(lifetime, permille, (int) d[0], d[1], maxDepth, timeoutNanos, riAlloc);
    }

    public ReturnProbeConfig withShare(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("return-probe share must be in [0, 1], got " + share);
        }
        return new ReturnProbeConfig(lifetime, (int) Math.round(share * 1000), durationHits, durationNanos, maxDepth,
                timeoutNanos, riAlloc);
    }

    public ReturnProbeConfig withDepth(int depth) {
        return new ReturnProbeConfig(lifetime, permille, durationHits, durationNanos, depth, timeoutNanos, riAlloc);
    }

    public ReturnProbeConfig withTimeout(String text) {
        long[] d = parseDuration(text);
        if (d[1] < 0) {
            throw new IllegalArgumentException("lease timeout must be a time (e.g. 100ms, 500us), got '" + text + "'");
        }
        return new ReturnProbeConfig(lifetime, permille, durationHits, durationNanos, maxDepth, d[1], riAlloc);
    }

    public ReturnProbeConfig withRiAlloc(String mode) {
        return new ReturnProbeConfig(lifetime, permille, durationHits, durationNanos, maxDepth, timeoutNanos, mode);
    }

    public boolean isReturnProbe(long offset) {
        return Math.floorMod(offset, 1000L) < permille;
    }

    /** The duration as the profile writes it: {@code 16} (hits) or {@code 200us}. */
    public String durationLabel() {
        return durationHits >= 0 ? Integer.toString(durationHits) : formatNanos(durationNanos);
    }

    static String formatNanos(long ns) {
        if (ns % 1_000_000 == 0) {
            return ns / 1_000_000 + "ms";
        }
        if (ns % 1_000 == 0) {
            return ns / 1_000 + "us";
        }
        return ns + "ns";
    }

    /**
     * Parses a duration: a plain number is hits ({@code {hits, -1}}); a number with {@code ns},
     * {@code us} or {@code ms} is a time ({@code {-1, nanos}}).
     */
    public static long[] parseDuration(String text) {
        String t = text == null ? "" : text.trim();
        long unit;
        String digits;
        if (t.endsWith("ms")) {
            unit = 1_000_000;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            unit = 1_000;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ns")) {
            unit = 1;
            digits = t.substring(0, t.length() - 2);
        } else {
            unit = 0;
            digits = t;
        }
        try {
            long v = Long.parseLong(digits);
            if (v >= 0 && v <= Integer.MAX_VALUE && (unit == 0 || v > 0)) {
                return unit == 0 ? new long[] {v, -1} : new long[] {-1, v * unit};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("a duration is a number of hits (e.g. 0, 16) or a positive time with "
                + "ns, us or ms (e.g. 200us); got '" + text + "'");
    }
}
