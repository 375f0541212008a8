package dev.uprobebench.bench;

import dev.uprobebench.workload.Timing;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The floor of a timed section on this machine: {@code System.nanoTime()} twice around nothing,
 * recorded the way every hit is. Latencies near these figures are the timer, not the hit.
 */
final class TimerFloor {
    private static final int SAMPLES = 1_000_000;

    private TimerFloor() {
    }

    static Map<String, Long> measure() {
        Histogram h = Timing.histogram();
        for (int i = 0; i < SAMPLES; i++) {
            long t0 = System.nanoTime();
            h.recordValue(Math.max(1, LatencyLog.clamp(System.nanoTime() - t0)));
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("p50", h.getValueAtPercentile(50));
        m.put("p99", h.getValueAtPercentile(99));
        m.put("p99.9", h.getValueAtPercentile(99.9));
        m.put("max", h.getMaxValue());
        return m;
    }
}
