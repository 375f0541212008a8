package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `compare` warns of: each environment key that differs, pinning that differs, invalid rows; nothing else. */
class ComparisonWarningsTest {
    @TempDir
    Path root;

    private Path report(String name, String value, String pin) throws Exception {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        JsonObject env = new JsonObject();
        for (String k : List.of("cpuModel", "topologySummary", "kernel", "jvm", "hostname", "gitCommit", "governor")) {
            env.addProperty(k, k + "-" + value);
        }
        env.addProperty("reportFormat", ConfigOutcome.REPORT_FORMAT);
        Files.writeString(dir.resolve("environment.json"), env.toString());
        ConfigOutcome o = Outcomes.of("srcu", 1, "0", 1e7, 0);
        o = Outcomes.with(o, "pinMap", List.of("reader0@" + pin));
        Files.writeString(dir.resolve("invariants.json"), OutcomeJson.write(List.of(o)));
        return dir;
    }

    private static List<ComparisonPage.Row> rows(Path a, Path b) {
        return ReportComparison.judge(ReportComparison.outcomes(a), ReportComparison.outcomes(b), 0.05);
    }

    @Test
    void everyEnvironmentKeyThatDiffersIsNamedAndNoneWhenTheyAgree() throws Exception {
        Path a = report("a", "one", "cpu0");
        Path same = report("same", "one", "cpu0");
        Path b = report("b", "two", "cpu1");
        assertEquals(List.of(), ReportComparison.warnings(a, same, rows(a, same)), "nothing differs: no warning");
        List<String> w = ReportComparison.warnings(a, b, rows(a, b));
        for (String what : List.of("CPU models", "topologies", "kernels", "JVMs", "machines (host names)",
                "harness versions (git commits)", "frequency governors", "pinning maps")) {
            assertTrue(w.stream().anyMatch(s -> s.startsWith("the " + what + " differ")), what + " in " + w);
        }
        assertEquals(8, w.size(), w.toString());
    }

    @Test
    void anInvalidRowIsWarnedOfWithItsSide() throws Exception {
        Path a = report("a", "one", "cpu0");
        Path b = root.resolve("b");
        Files.createDirectories(b);
        Files.copy(a.resolve("environment.json"), b.resolve("environment.json"));
        Files.writeString(b.resolve("invariants.json"), OutcomeJson.write(List.of(Outcomes.with(
                Outcomes.of("srcu", 1, "0", 1e7, 3), "pinMap", List.of("reader0@cpu0")))));
        List<String> w = ReportComparison.warnings(a, b, rows(a, b));
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("is not a valid result in B"), w.get(0));
    }

    @Test
    void missingDataIsSaidSo() {
        assertEquals("inconclusive (no data)", Comparison.of(List.of(), List.of(1.0), 0.05).verdict());
        assertEquals("inconclusive (no data)", Comparison.of(List.of(1.0), List.of(), 0.05).verdict());
    }
}
