package dev.uprobebench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.junit.jupiter.api.Test;

/** Writer latency with and without the coordinated-omission correction. */
class WriterLatencyTest {
    static SingleWriterRecorder recorder() {
        return Timing.recorder(Timing.DIGITS);
    }

    @Test
    void anOperationThatOverranItsPaceAlsoCountsTheOperationsItHeldBack() {
        SingleWriterRecorder corrected = recorder();
        SingleWriterRecorder service = recorder();
        long pace = 100_000; // 10,000 operations per second
        for (int i = 0; i < 99; i++) {
            ChurnWriter.record(corrected, service, 10_000, pace); // on time
        }
        ChurnWriter.record(corrected, service, 5_000_000, pace); // one 5 ms grace period
        Histogram s = service.getIntervalHistogram();
        Histogram c = corrected.getIntervalHistogram();
        assertEquals(100, s.getTotalCount());
        assertEquals(10_000, s.getValueAtPercentile(99), 10);
        // 49 operations were due during the 5 ms: they wait 4.9 ms, 4.8 ms, ... behind it.
        assertEquals(149, c.getTotalCount());
        assertTrue(c.getValueAtPercentile(99) > 4_000_000, "p99 from the intended start: " + c.getValueAtPercentile(99));
    }

    @Test
    void anUnpacedWriterHasNoScheduleToCorrectAgainst() {
        SingleWriterRecorder corrected = recorder();
        SingleWriterRecorder service = recorder();
        ChurnWriter.record(corrected, service, 5_000_000, 0);
        assertEquals(1, corrected.getIntervalHistogram().getTotalCount());
        assertEquals(1, service.getIntervalHistogram().getTotalCount());
    }
}
