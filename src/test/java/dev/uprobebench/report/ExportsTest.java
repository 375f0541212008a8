package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The continuous-benchmarking exports: written, parsed back, every valid configuration present. */
class ExportsTest {
    @TempDir
    Path dir;

    List<ConfigOutcome> outcomes() {
        List<ConfigOutcome> l = new java.util.ArrayList<>(Outcomes.sample());
        l.replaceAll(o -> Outcomes.with(o, "negativeControl", o.spec().backend().endsWith("-rfc")));
        ConfigOutcome failed = Outcomes.of("srcu", 4, "0", 1e7, 0);
        failed = failed.withStatus(Status.FAILED, null);
        l.add(failed);
        return l;
    }

    @Test
    void bencherJsonCarriesEveryValidConfigurationWithItsInterval() throws IOException {
        Analysis a = Analysis.of(outcomes());
        List<Exports.Excluded> excluded = Exports.write(dir, a);
        JsonObject bmf = JsonParser.parseString(Files.readString(dir.resolve(ReportFiles.BENCHER))).getAsJsonObject();

        Set<String> valid = a.rows().stream().map(Analysis.Row::outcome).filter(ConfigOutcome::valid)
                .map(o -> o.id()).collect(Collectors.toSet());
        assertEquals(valid, bmf.keySet());
        for (Analysis.Row r : a.rows()) {
            if (!valid.contains(r.outcome().id())) {
                continue;
            }
            JsonObject t = bmf.getAsJsonObject(r.outcome().id()).getAsJsonObject("throughput");
            assertEquals(r.hits().mean(), t.get("value").getAsDouble(), 1e-6);
            assertEquals(r.hits().low(), t.get("lower_value").getAsDouble(), 1e-6);
            assertEquals(r.hits().high(), t.get("upper_value").getAsDouble(), 1e-6);
            assertTrue(t.get("lower_value").getAsDouble() < t.get("value").getAsDouble());
            assertEquals(90, bmf.getAsJsonObject(r.outcome().id()).getAsJsonObject("hit-p99").get("value").getAsLong());
            assertEquals(r.outcome().spec().writers() > 0, bmf.getAsJsonObject(r.outcome().id()).has("writer-throughput"));
        }

        Set<String> left = excluded.stream().map(Exports.Excluded::id).collect(Collectors.toSet());
        Set<String> all = new HashSet<>(left);
        all.addAll(bmf.keySet());
        assertEquals(a.rows().size(), all.size(), "every configuration is exported or listed");
        assertTrue(excluded.stream().anyMatch(x -> x.reason().contains("negative control")));
        assertTrue(excluded.stream().anyMatch(x -> x.reason().equals("failed")));
        assertFalse(bmf.keySet().stream().anyMatch(k -> k.contains("rfc")));
    }

    @Test
    void githubActionBenchmarkFilesAreItsCustomLists() throws IOException {
        Analysis a = Analysis.of(outcomes());
        Exports.write(dir, a);
        JsonArray bigger = JsonParser.parseString(Files.readString(dir.resolve(ReportFiles.ACTION_BIGGER))).getAsJsonArray();
        JsonArray smaller = JsonParser.parseString(Files.readString(dir.resolve(ReportFiles.ACTION_SMALLER)))
                .getAsJsonArray();
        long valid = a.rows().stream().filter(r -> r.outcome().valid()).count();
        long validWithWriters = a.rows().stream().filter(r -> r.outcome().valid() && r.outcome().spec().writers() > 0).count();
        assertEquals(valid + validWithWriters, bigger.size());
        assertEquals(2 * valid, smaller.size(), "p99 and p99.9 per configuration");
        for (JsonElement e : bigger) {
            JsonObject o = e.getAsJsonObject();
            assertTrue(o.get("name").getAsString().endsWith("/s"));
            assertTrue(o.get("value").getAsDouble() > 0);
            assertTrue(o.get("range").getAsString().startsWith("± "), o.toString());
            assertTrue(o.has("unit") && o.has("extra"));
        }
        for (JsonElement e : smaller) {
            assertEquals("ns", e.getAsJsonObject().get("unit").getAsString());
        }
    }

    @Test
    void theSummaryListsWhatTheExportsLeaveOut() throws IOException {
        Summary.Header h = new Summary.Header("quick", "", "now", "m", "jvm", "physical", "3", List.of(), List.of(),
                "complete");
        ReportPages.write(dir, h, outcomes(), false);
        String summary = Files.readString(dir.resolve("summary.md"));
        assertTrue(summary.contains("left out of the exports"), summary);
        assertTrue(Files.exists(dir.resolve(ReportFiles.BENCHER)));
    }
}
