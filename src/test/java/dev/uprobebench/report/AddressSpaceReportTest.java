package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configurations whose hits went through an address space get their own table in both pages. */
class AddressSpaceReportTest {
    @TempDir
    Path dir;

    static ConfigOutcome speculative(String backend, int readers, double hits, long speculations, long fallbacks) {
        ConfigOutcome o = Outcomes.of(backend, readers, "0", hits, 0);
        o = Outcomes.with(o, "vmaLookup", "speculative");
        o = Outcomes.with(o, "mmWriters", 1);
        o = Outcomes.with(o, "mmChurn", "1000");
        o = Outcomes.with(o, "configKey", o.spec().configKey() + "_vma-speculative_m1-mmchurn-1000");
        o = Outcomes.with(o, "id", o.spec().backendKey() + "_" + o.spec().configKey());
        o = Outcomes.with(o, "scenario", o.spec().scenario() + ", VMA lookup speculative, mm churn 1000/s x 1 mm writer");
        o = Outcomes.with(o, "speculations", speculations);
        o = Outcomes.with(o, "fallbacks", fallbacks);
        o = Outcomes.with(o, "mmOps", 2000L);
        Map<String, Map<String, Long>> latency = new java.util.LinkedHashMap<>(o.totals().latency());
        latency.put("mmap", Map.of("p50", 4000L, "p99", 25000L, "p99.9", 30000L, "max", 40000L, "count", 1000L));
        latency.put("munmap", Map.of("p50", 3000L, "p99", 15000L, "p99.9", 20000L, "max", 30000L, "count", 1000L));
        o = Outcomes.with(o, "latency", latency);
        return o;
    }

    @Test
    void theTableGivesSpeculationFailuresFallbacksSpeedUpAndMmWriterLatency() throws Exception {
        List<ConfigOutcome> outcomes = new ArrayList<>(Outcomes.sample());
        outcomes.add(speculative("srcu", 1, 4e6, 4_000_000, 600));
        outcomes.add(speculative("srcu", 2, 8e6, 8_000_000, 2_000_000));
        Files.createDirectories(dir.resolve("latency"));
        Summary.Header h = new Summary.Header("vma", "Does speculation help?", "20261128-000000", "test machine",
                "test JVM", "physical", "3 of 3 complete", List.of(), List.of(), "complete");
        ReportPages.write(dir, h, outcomes, true);
        String md = Files.readString(dir.resolve("summary.md"));
        String html = Files.readString(dir.resolve("index.html"));
        assertEquals(1, md.split("### The address space", -1).length - 1, "only the scenario with an address space");
        assertTrue(md.contains("| srcu | 1 | speculative | 4.00 M | - | 4,000,000 | 600 | 0.015% | 2,000 | 25.0 | 15.0 |"),
                md);
        assertTrue(java.util.regex.Pattern.compile("\\| srcu \\| 2 \\| speculative \\| 8\\.00 M \\| 2\\.00[^|]* \\| "
                + "8,000,000 \\| 2,000,000 \\| 25% \\| 2,000 \\| 25\\.0 \\| 15\\.0 \\|").matcher(md).find(),
                "the speed-up over the 1-reader row, paired by round: " + md);
        assertTrue(html.contains("<h3>The address space</h3>") && html.contains("<td align=\"right\">0.015%</td>"), html);
        assertFalse(md.contains("| rwlock | 1 | none |"), "registry-only rows are not in the table");
    }

    @Test
    void aTrapCostIsStatedAtTheTopOfBothPages() throws Exception {
        List<ConfigOutcome> outcomes = new ArrayList<>(Outcomes.sample());
        outcomes.replaceAll(o -> Outcomes.with(Outcomes.with(o, "trapNanos", 300L), "trapMeasuredNanos", 311.6));
        Files.createDirectories(dir.resolve("latency"));
        Summary.Header h = new Summary.Header("quick", "q", "20261128-000000", "m", "j", "physical", "1 of 1", List.of(),
                List.of(), "complete");
        ReportPages.write(dir, h, outcomes, false);
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("- trap cost: 300 ns of fixed work per hit outside the registry") && md.contains(
                "took 312 ns per hit here"), md);
        assertEquals("", Summary.trapLine(Outcomes.sample()), "nothing said when no trap cost was asked for");
    }

    @Test
    void anInterleavedKeyLayoutIsStatedAtTheTopOfBothPages() throws Exception {
        List<ConfigOutcome> outcomes = new ArrayList<>(Outcomes.sample());
        outcomes.replaceAll(o -> Outcomes.with(o, "keyLayout", "interleaved"));
        Files.createDirectories(dir.resolve("latency"));
        Summary.Header h = new Summary.Header("quick", "q", "20261128-000000", "m", "j", "physical", "1 of 1", List.of(),
                List.of(), "complete");
        ReportPages.write(dir, h, outcomes, true);
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("- key layout: interleaved: each churn key sits "
                + "between two stable keys"));
        assertTrue(Files.readString(dir.resolve("index.html")).contains("<li>key layout: interleaved:"));
        List<ConfigOutcome> separate = new ArrayList<>(Outcomes.sample());
        separate.replaceAll(o -> Outcomes.with(o, "keyLayout", "separate"));
        assertEquals(List.of(), Summary.workloadLines(separate), "the default layout goes without saying");
    }

    @Test
    void tinyFailureRatesKeepThreeSignificantDigits() {
        assertEquals("0%", Summary.smallPercent(0));
        assertEquals("0.015%", Summary.smallPercent(0.00015));
        assertEquals("25%", Summary.smallPercent(0.25));
        assertEquals("12.3%", Summary.smallPercent(0.12345));
    }
}
