package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configurations with return probes get their own table, held against trig-uretprobe-nop. */
class ReturnProbeReportTest {
    @TempDir
    Path dir;

    static ConfigOutcome uret(String design, int readers, double hits, long expiredStable, long expiredGone) {
        ConfigOutcome o = Outcomes.of("seqcount-rcu", readers, "0", hits, 0);
        o = Outcomes.with(o, "uretprobe", design);
        o = Outcomes.with(o, "uretDuration", "0");
        o = Outcomes.with(o, "riAlloc", "pool");
        o = Outcomes.with(o, "backendKey", "seqcount-rcu-qsbr-uret-" + design);
        o = Outcomes.with(o, "label", "seqcount-rcu (qsbr) + " + design);
        o = Outcomes.with(o, "configKey", o.spec().configKey() + "_uret-d0");
        o = Outcomes.with(o, "id", o.spec().backendKey() + "_" + o.spec().configKey());
        o = Outcomes.with(o, "scenario", o.spec().scenario() + ", return probes, functions of 0 hits");
        o = Outcomes.with(o, "uretHits", 1000L);
        o = Outcomes.with(o, "uretEntries", 500L); // half the hits pushed a return instance
        o = Outcomes.with(o, "uretReturns", 500L);
        o = Outcomes.with(o, "uretExpiredStable", expiredStable);
        o = Outcomes.with(o, "uretExpiredGone", expiredGone);
        o = Outcomes.with(o, "uretGracePeriods", 4L);
        o = Outcomes.with(o, "uretGraceNanos", 8_000_000);
        o = Outcomes.with(o, "uretGraceMaxNanos", 3_000_000);
        o = Outcomes.with(o, "uretReturnP99Nanos", 250L);
        return o;
    }

    @Test
    void theTableGivesPairsPerSecondTheRatioToRefcountAndThePublishedFigures() throws Exception {
        List<ConfigOutcome> outcomes = new ArrayList<>(Outcomes.sample());
        outcomes.add(uret("refcount", 1, 4e6, 0, 0));
        outcomes.add(uret("hprobe", 1, 6e6, 7, 2));
        outcomes.add(uret("srcu-updown", 1, 8e6, 0, 0));
        Files.createDirectories(dir.resolve("latency"));
        Summary.Header h = new Summary.Header("uretprobe", "What keeps a uprobe alive?", "20261129-000000",
                "test machine", "test JVM", "physical", "3 of 3 complete", List.of(), List.of(), "complete");
        ReportPages.write(dir, h, outcomes, true);
        String md = Files.readString(dir.resolve("summary.md"));
        String html = Files.readString(dir.resolve("index.html"));
        assertEquals(1, md.split("### Return probes", -1).length - 1, "only the scenario with return probes");
        // hits/s x entries per hit (0.5); x refcount paired by round: 6/4 = 1.50; published 1.97 (0.90 of 2.20).
        assertTrue(md.contains("| hprobe | 1 | 0 hits | pool | 3.00 M | - | 1.50"), md);
        assertTrue(md.contains("| 1.97 (0.90) | 7 / 2 | 0 | 0 | 0 | 4, 2.00 / 3.00 | 250 |"), md);
        assertTrue(md.contains("| refcount | 1 | 0 hits | pool | 2.00 M | - | - | 2.20 (1.00) |"), md);
        assertTrue(md.contains("| srcu-updown | 1 | 0 hits | pool | 4.00 M | - | 2.00"), md);
        assertTrue(md.contains("| srcu-updown | 1 | 0 hits | pool | 4.00 M | - | 2.00") && md.contains(" | - | 0 / 0 |"),
                "srcu-updown was not published: " + md);
        assertTrue(html.contains("<h3>Return probes</h3>"), html);
        assertFalse(md.contains("| rwlock | 1 | 0 hits"), "rows without return probes are not in the table");
        assertEquals(1, md.split("-published-uretprobe.png", -1).length - 1,
                "the published curves are drawn beside the return-probe scenario only: " + md);
        assertTrue(Files.isRegularFile(dir.resolve("plots").resolve(
                md.replaceAll("(?s).*\\(plots/(s\\d+-published-uretprobe)\\.png\\).*", "$1") + ".png")));
    }

    @Test
    void eachDesignHasItsOwnColourAndMarker() {
        java.util.Set<java.awt.Color> colours = new java.util.HashSet<>();
        java.util.Set<Object> markers = new java.util.HashSet<>();
        for (dev.uprobebench.uret.Lifetime l : dev.uprobebench.uret.Lifetime.values()) {
            colours.add(Plots.designColour(l.label()));
            markers.add(Plots.designMarker(l.label()));
        }
        assertEquals(3, colours.size());
        assertEquals(3, markers.size());
    }

    @Test
    void thePublishedFiguresAreThoseOfTheCoverLetterAtTheirThreadCountsOnly() {
        assertEquals(2.20, ReturnProbeTable.published("refcount", 1));
        assertEquals(47.6, ReturnProbeTable.published("hprobe", 80));
        assertEquals(5.93, ReturnProbeTable.published("refcount", 32));
        assertNull(ReturnProbeTable.published("hprobe", 2), "not published at 2 threads");
        assertNull(ReturnProbeTable.published("srcu-updown", 1), "not published");
    }
}
