package dev.uprobebench.registry;

import java.util.Locale;

/**
 * Invariant 11 for one reader (DESIGN.md sections 4 and 10): every call it made on a registered
 * probe is counted by the kernel exactly once. {@code lostHits}: calls the kernel did not count;
 * {@code extraHits}: counts with no call behind them (a call the reader did not record, or a hit
 * counted twice). Either one makes the run invalid.
 *
 * @param calls     the calls the reader recorded, over its probes
 * @param counted   the kernel's counts, over the same probes
 * @param lostHits  the sum over probes of calls minus count, where positive
 * @param extraHits the sum over probes of count minus calls, where positive
 */
public record LostHitCheck(long calls, long counted, long lostHits, long extraHits) {
    public static final LostHitCheck NONE = new LostHitCheck(0, 0, 0, 0);
    /** The names of the two counts in a trial record's invariants ({@code invariants.json}). */
    public static final String LOST = "lost-hit";
    public static final String EXTRA = "extra-hit";

    /** Compares, probe by probe, a reader's calls with its events' counts. */
    public static LostHitCheck of(long[] calls, long[] counts) {
        if (calls.length != counts.length) {
            throw new IllegalArgumentException(calls.length + " call counts for " + counts.length + " events");
        }
        long c = 0;
        long k = 0;
        long lost = 0;
        long extra = 0;
        for (int i = 0; i < calls.length; i++) {
            c += calls[i];
            k += counts[i];
            lost += Math.max(0, calls[i] - counts[i]);
            extra += Math.max(0, counts[i] - calls[i]);
        }
        return new LostHitCheck(c, k, lost, extra);
    }

    /** Both checks of two readers, or of a reader and the churn writer. */
    public LostHitCheck plus(LostHitCheck o) {
        return new LostHitCheck(calls + o.calls, counted + o.counted, lostHits + o.lostHits, extraHits + o.extraHits);
    }

    public boolean exact() {
        return lostHits == 0 && extraHits == 0;
    }

    public String format() {
        return String.format(Locale.ROOT, "%d calls, %d counted by the kernel, %d lost, %d extra", calls, counted,
                lostHits, extraHits);
    }
}
