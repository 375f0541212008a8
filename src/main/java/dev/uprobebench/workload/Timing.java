package dev.uprobebench.workload;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The range every latency recorder and histogram of the harness shares (1 ns to a minute, three
 * significant digits), and a paced thread's schedule with its recorders: what the churn writer and
 * the address-space writer both are.
 */
public final class Timing {
    /** Highest value recorded, in ns (larger values are clamped to it). */
    public static final long MAX_NANOS = 60_000_000_000L;
    public static final int DIGITS = 3;

    private Timing() {
    }

    /** A measured duration as the histograms record it: at most {@link #MAX_NANOS}. */
    public static long clamp(long nanos) {
        return Math.min(nanos, MAX_NANOS);
    }

    public static Histogram histogram() {
        return new Histogram(1, MAX_NANOS, DIGITS);
    }

    public static SingleWriterRecorder recorder(int digits) {
        return new SingleWriterRecorder(1, MAX_NANOS, digits);
    }

    /** A pace and the recorders of the series a paced thread times; restarted every measurement interval. */
    static final class Paced {
        final Pacer pacer;
        final SingleWriterRecorder[] recorders;

        Paced(long intervalNanos, int series, int digits) {
            pacer = new Pacer(intervalNanos);
            recorders = new SingleWriterRecorder[series];
            for (int i = 0; i < series; i++) {
                recorders[i] = recorder(digits);
            }
        }

        /** A new measurement interval: the schedule starts now and the recorders are empty. */
        void restart() {
            pacer.restart();
            for (SingleWriterRecorder r : recorders) {
                r.reset();
            }
        }
    }
}
