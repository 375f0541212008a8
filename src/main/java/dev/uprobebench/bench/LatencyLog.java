package dev.uprobebench.bench;

import dev.uprobebench.workload.Timing;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The trial's latency log: every measured iteration, each thread hands in its interval histogram
 * for a tag ({@code hit}, {@code register}, {@code unregister}); once every thread of that tag has
 * reported, the merged interval is written with {@link HistogramLogWriter} and added to the run's
 * total for the tag. Called only between iterations, never on the measured path.
 */
final class LatencyLog implements AutoCloseable {
    /** Highest value recorded, in ns (larger values are clamped to it). */
    static final long MAX_NANOS = Timing.MAX_NANOS;
    static final int DIGITS = Timing.DIGITS;
    /** The tag the hit path reports under; written untagged. */
    static final String HIT = "hit";

    private final HistogramLogWriter writer;
    private final PrintStream stream;
    private final Map<String, Histogram> iteration = new HashMap<>();
    private final Map<String, Integer> reported = new HashMap<>();
    private final Map<String, Histogram> total = new HashMap<>();
    private final long startMillis = System.currentTimeMillis();

    LatencyLog(Path file) {
        try {
            this.stream = new PrintStream(new FileOutputStream(file.toFile()), false, "UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open latency log " + file + ": " + e.getMessage(), e);
        }
        this.writer = new HistogramLogWriter(stream);
        writer.outputLogFormatVersion();
        writer.outputComment("uprobe-bench interval histograms, values in nanoseconds; hit intervals untagged "
                + "(the default series); writer intervals tagged register and unregister (from the intended start, "
                + "corrected for coordinated omission), register-service and unregister-service (service time), "
                + "synchronize (each grace-period wait)");
        writer.outputStartTime(startMillis);
        writer.setBaseTime(startMillis);
        writer.outputLegend();
    }

    /** A measured duration as the histograms record it: at most {@link #MAX_NANOS}. */
    static long clamp(long nanos) {
        return Timing.clamp(nanos);
    }

    static Histogram newHistogram() {
        return Timing.histogram();
    }

    /** One thread's interval for {@code tag}; {@code expected} threads report each interval. */
    synchronized void report(String tag, Histogram interval, int expected) {
        Histogram merged = iteration.computeIfAbsent(tag, t -> newHistogram());
        merged.add(interval);
        merged.setStartTimeStamp(merged.getStartTimeStamp() == 0 ? interval.getStartTimeStamp()
                : Math.min(merged.getStartTimeStamp(), interval.getStartTimeStamp()));
        merged.setEndTimeStamp(Math.max(merged.getEndTimeStamp(), interval.getEndTimeStamp()));
        int n = reported.merge(tag, 1, Integer::sum);
        if (n >= expected) {
            // The hit series is the log's default (untagged) one, so that HistogramLogProcessor
            // reads it without -tag; the writer series are tagged.
            merged.setTag(HIT.equals(tag) ? null : tag);
            writer.outputIntervalHistogram(merged);
            total.computeIfAbsent(tag, t -> newHistogram()).add(merged);
            iteration.remove(tag);
            reported.remove(tag);
        }
    }

    /**
     * One thread's interval of each recorder (taken, so the next interval starts empty) into the
     * log under its tag, when the iteration was {@code measured}; warm-up intervals are dropped.
     */
    void reportAll(org.HdrHistogram.SingleWriterRecorder[] recorders, Histogram[] intervals, String[] tags,
            int expected, boolean measured) {
        for (int i = 0; i < recorders.length; i++) {
            intervals[i] = recorders[i].getIntervalHistogram(intervals[i]);
            if (measured) {
                report(tags[i], intervals[i], expected);
            }
        }
    }

    synchronized Histogram total(String tag) {
        return total.get(tag);
    }

    @Override
    public synchronized void close() {
        stream.flush();
        stream.close();
    }
}
