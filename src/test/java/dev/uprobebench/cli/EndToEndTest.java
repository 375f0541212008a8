package dev.uprobebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.report.Comparison;
import dev.uprobebench.report.ReportComparison;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ci} profile through the same code path as {@code ./run-bench.sh ci}: JMH forks,
 * pinning, the checker, the report directory, and its contents parsed back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
    private int exit;
    private String stdout;
    private Path dir;

    @BeforeAll
    void runCiProfile(@TempDir Path reports) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        exit = Main.run(new String[] {"ci", "--out", reports.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        System.out.println(stdout);
        System.out.println(err.toString(StandardCharsets.UTF_8));
        try (Stream<Path> s = Files.list(reports)) {
            dir = s.filter(Files::isDirectory).findFirst().orElse(null);
        }
    }

    private static Set<String> safeBackends() {
        return Backend.safeOnes().stream().map(Backend::cliName).collect(Collectors.toSet());
    }

    @Test
    void runSucceedsAndPrintsTheReportPathLast() {
        assertEquals(0, exit, stdout);
        assertNotNull(dir);
        String[] lines = stdout.trim().split("\n");
        assertEquals("report: " + dir, lines[lines.length - 1]);
    }

    @Test
    void reportHoldsEveryFile() {
        for (String f : List.of("profile.properties", "environment.json", "jmh-results.json", "invariants.json",
                "summary.md")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
    }

    @Test
    void jmhResultsCoverEverySafeBackEndWithAScore() throws Exception {
        JsonArray runs = JsonParser.parseString(Files.readString(dir.resolve("jmh-results.json"))).getAsJsonArray();
        Set<String> seen = new HashSet<>();
        for (JsonElement e : runs) {
            JsonObject r = e.getAsJsonObject();
            String backend = r.getAsJsonObject("params").get("backend").getAsString();
            double hits = r.getAsJsonObject("secondaryMetrics").getAsJsonObject(
                    r.get("benchmark").getAsString().endsWith("latency") ? "hitTimed" : "hit").get("score").getAsDouble();
            assertTrue(hits > 0, backend + " made no hits");
            seen.add(backend);
        }
        assertEquals(safeBackends(), seen);
    }

    @Test
    void everyConfigurationFinishedCheckedAndClean() throws Exception {
        JsonArray outcomes = JsonParser.parseString(Files.readString(dir.resolve("invariants.json"))).getAsJsonArray();
        Set<String> seen = new HashSet<>();
        for (JsonElement e : outcomes) {
            JsonObject o = e.getAsJsonObject();
            String id = o.get("id").getAsString();
            assertEquals("ok", o.get("status").getAsString(), id);
            assertEquals(0, o.get("violations").getAsLong(), id);
            assertEquals(4, o.get("trials").getAsInt(), id + ": a trial record per fork (3 throughput, 1 latency)");
            assertEquals("[1,2,3]", o.getAsJsonArray("forkRounds").toString(), id + ": one fork per round");
            for (JsonElement f : o.getAsJsonArray("forkHitsPerSec")) {
                assertTrue(f.getAsDouble() > 0, id + ": every fork scored");
            }
            assertEquals(Violation.values().length, o.getAsJsonObject("invariants").size(), id + ": every invariant counted");
            assertTrue(o.get("pinsVerified").getAsBoolean(), id + ": pins read back");
            assertFalse(o.getAsJsonArray("pinMap").isEmpty(), id);
            assertTrue(o.getAsJsonObject("latency").has("hit"), id + ": hit latency");
            if (o.get("writers").getAsInt() > 0) {
                assertTrue(o.getAsJsonObject("latency").has("unregister"), id + ": writer latency");
                assertTrue(o.get("writerOpsPerSec").getAsDouble() > 0, id);
            }
            seen.add(o.get("backend").getAsString());
        }
        assertEquals(safeBackends(), seen);
    }

    @Test
    void histogramsAreWrittenForEveryConfiguration() throws Exception {
        JsonArray outcomes = JsonParser.parseString(Files.readString(dir.resolve("invariants.json"))).getAsJsonArray();
        for (JsonElement e : outcomes) {
            String id = e.getAsJsonObject().get("id").getAsString();
            Path hgrm = dir.resolve("latency").resolve(id + "-hit.hgrm");
            assertTrue(Files.readString(hgrm).contains("#[Mean"), hgrm + " is an HdrHistogram percentile file");
            assertTrue(Files.exists(dir.resolve("latency").resolve(id + ".hlog")), id);
        }
    }

    @Test
    void roundsRunInTheOrderThePlanPrintsAndJmhResultsHoldEveryFork() throws Exception {
        ByteArrayOutputStream plan = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"ci", "--dry-run"}, new PrintStream(plan, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream())));
        String planText = plan.toString(StandardCharsets.UTF_8);
        java.util.Map<String, String> ids = new java.util.HashMap<>(); // "[i]" -> id, from the plan
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^  \\[(\\d+)\\] (\\S+):").matcher(planText);
        while (m.find()) {
            ids.put(m.group(1), m.group(2));
        }
        for (int round = 1; round <= 3; round++) {
            java.util.regex.Matcher r = java.util.regex.Pattern.compile("(?m)^round " + round + "[^:]*: \\[([0-9, ]+)\\]")
                    .matcher(planText);
            assertTrue(r.find(), planText);
            List<String> planned = new java.util.ArrayList<>();
            for (String i : r.group(1).split(", ")) {
                planned.add(ids.get(i));
            }
            List<String> ran = new java.util.ArrayList<>();
            java.util.regex.Matcher run = java.util.regex.Pattern.compile("(?m)^\\[round " + round + "/3, \\d+/\\d+\\] (.*?) \\(about")
                    .matcher(stdout);
            while (run.find()) {
                ran.add(run.group(1));
            }
            assertEquals(planned.size(), ran.size(), stdout);
            JsonArray outcomes = JsonParser.parseString(Files.readString(dir.resolve("invariants.json"))).getAsJsonArray();
            for (int k = 0; k < ran.size(); k++) {
                String id = planned.get(k);
                String label = null;
                for (JsonElement e : outcomes) {
                    if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
                        label = e.getAsJsonObject().get("label").getAsString();
                    }
                }
                assertTrue(ran.get(k).startsWith(label + " r="), "round " + round + " ran " + ran + ", planned " + planned);
            }
        }
        JsonArray runs = JsonParser.parseString(Files.readString(dir.resolve("jmh-results.json"))).getAsJsonArray();
        assertEquals(ids.size() * 4, runs.size(), "three throughput forks and one latency fork per configuration");
    }

    @Test
    void comparingTheReportWithACopyOfItselfFindsNoChange(@TempDir Path out) throws Exception {
        Path copy = out.resolve("copy");
        Files.createDirectories(copy);
        for (String f : List.of("invariants.json", "environment.json")) {
            Files.copy(dir.resolve(f), copy.resolve(f));
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int rows = ReportComparison.compare(dir.toString(), copy.toString(), out, Comparison.DEFAULT_NOISE_THRESHOLD,
                new PrintStream(text, true, StandardCharsets.UTF_8)).size();
        String t = text.toString(StandardCharsets.UTF_8);
        int configs = JsonParser.parseString(Files.readString(dir.resolve("invariants.json"))).getAsJsonArray().size();
        assertEquals(configs, rows);
        // the same forks on both sides: never a direction; equivalent where the spread lets TOST show it
        String tally = t.substring(t.indexOf("verdicts: "), t.indexOf('\n', t.indexOf("verdicts: ")));
        assertTrue(tally.matches("verdicts: (\\d+ (equivalent|inconclusive)(, )?)+"), t);
        assertTrue(!tally.contains("faster") && !tally.contains("slower"), t);
    }

    @Test
    void environmentRecordsMachineJvmAndDoctor() throws Exception {
        JsonObject env = JsonParser.parseString(Files.readString(dir.resolve("environment.json"))).getAsJsonObject();
        for (String k : List.of("cpuModel", "topology", "kernel", "jvm", "governor", "gitCommit", "doctor",
                "pinningPolicy", "pinningMaps", "rounds", "seed", "reportFormat")) {
            assertTrue(env.has(k), k);
        }
        assertEquals(42, env.get("seed").getAsLong(), "the ci profile's seed is recorded");
        int configs = JsonParser.parseString(Files.readString(dir.resolve("invariants.json"))).getAsJsonArray().size();
        assertEquals(configs, env.getAsJsonObject("pinningMaps").size(), "a read-back pinning map per configuration");
    }

    @Test
    void summaryHasATableRowPerConfigurationAndNoMissingSection() throws Exception {
        String md = Files.readString(dir.resolve("summary.md"));
        for (String b : safeBackends()) {
            assertTrue(md.contains("| " + b), b + " missing from the summary");
        }
        assertFalse(md.contains("## Missing"), md);
        assertTrue(md.contains("## Pinning map"), md);
    }
}
