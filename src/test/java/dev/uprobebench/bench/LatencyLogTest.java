package dev.uprobebench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.report.Histograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interval log as HdrHistogram's own tools read it. */
class LatencyLogTest {
    @TempDir
    Path dir;

    private Path writeLog() {
        Path log = dir.resolve("c.hlog");
        try (LatencyLog l = new LatencyLog(log)) {
            for (int iteration = 0; iteration < 3; iteration++) {
                for (int reader = 0; reader < 2; reader++) {
                    Histogram h = LatencyLog.newHistogram();
                    h.setStartTimeStamp(System.currentTimeMillis());
                    for (int i = 0; i < 1000; i++) {
                        h.recordValue(100 + i); // 100 .. 1099 ns
                    }
                    h.setEndTimeStamp(System.currentTimeMillis() + 1);
                    l.report(LatencyLog.HIT, h, 2);
                }
                Histogram w = LatencyLog.newHistogram();
                w.recordValue(1_000_000);
                l.report("unregister", w, 1);
            }
        }
        return log;
    }

    @Test
    void histogramLogProcessorReadsTheHitSeriesWithoutATag() throws Exception {
        Path log = writeLog();
        Path out = dir.resolve("hit");
        // The README's plain command, run through the jar's own class (run(), not start(): same thread).
        new HistogramLogProcessor(new String[] {"-i", log.toString(), "-o", out.toString(), "-outputValueUnitRatio",
                "1"}).run();
        String hgrm = Files.readString(dir.resolve("hit.hgrm"));
        assertTrue(hgrm.contains("Total count"), hgrm);
        assertTrue(hgrm.matches("(?s).*#\\[Max\\s*=\\s*109\\d\\.0+, Total count\\s*=\\s*6000\\].*"),
                "6000 hits of at most 1099 ns, no writer interval mixed in: " + hgrm);
    }

    @Test
    void theWriterSeriesAreStillReadByTag() throws Exception {
        Path log = writeLog();
        Path out = dir.resolve("unregister");
        new HistogramLogProcessor(new String[] {"-i", log.toString(), "-o", out.toString(), "-tag", "unregister",
                "-outputValueUnitRatio", "1"}).run();
        String hgrm = Files.readString(dir.resolve("unregister.hgrm"));
        assertTrue(hgrm.matches("(?s).*Total count\\s*=\\s*3\\].*"), hgrm);
    }

    @Test
    void theReportReadsTheUntaggedSeriesAsHits() throws Exception {
        Map<String, Histogram> byTag = Histograms.sumByTag(List.of(writeLog()));
        assertEquals(6000, byTag.get("hit").getTotalCount());
        assertEquals(3, byTag.get("unregister").getTotalCount());
        assertEquals(2, byTag.size());
    }
}
