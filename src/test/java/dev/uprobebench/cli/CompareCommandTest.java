package dev.uprobebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.uprobebench.report.Comparison;
import dev.uprobebench.report.ConfigOutcome;
import dev.uprobebench.report.OutcomeJson;
import dev.uprobebench.report.Outcomes;
import dev.uprobebench.report.Status;
import dev.uprobebench.report.ReportComparison;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    @TempDir
    Path root;

    /** A minimal report of the current format: invariants.json with per-fork scores, environment.json. */
    private Path report(String name, String kernel, double[] srcuForks, double[] rwlockForks) throws Exception {
        return report(name, kernel, srcuForks, rwlockForks, ConfigOutcome.REPORT_FORMAT);
    }

    private Path report(String name, String kernel, double[] srcuForks, double[] rwlockForks, Integer format)
            throws Exception {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("invariants.json"), OutcomeJson.write(List.of(outcome("srcu", srcuForks),
                outcome("rwlock", rwlockForks))));
        JsonObject env = new JsonObject();
        env.addProperty("cpuModel", "AMD EPYC");
        env.addProperty("kernel", kernel);
        if (format != null) {
            env.addProperty("reportFormat", format);
        }
        Files.writeString(dir.resolve("environment.json"), env.toString());
        return dir;
    }

    private static ConfigOutcome outcome(String backend, double[] forks) {
        return Outcomes.renamed(Outcomes.with(Outcomes.withForks(backend, 1, forks), "configKey",
                "r1_w0_churn-0_s1024_uniform_h0"));
    }

    private int compare(String a, String b, ByteArrayOutputStream out) {
        return Main.run(new String[] {"compare", a, b}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void ratiosVerdictsAndMachineWarningsAreWritten() throws Exception {
        Path a = report("20261127-100000-quick", "Linux 6.12", new double[] {10e6, 10.1e6, 9.9e6},
                new double[] {5e6, 5.1e6, 4.9e6});
        Path b = report("20261127-110000-quick", "Linux 6.18", new double[] {15e6, 15.1e6, 14.9e6},
                new double[] {5.05e6, 4.9e6, 5.1e6});
        String reports = root.resolve("out").toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rows = ReportComparison.compare(a.toString(), b.toString(), Path.of(reports), Comparison.DEFAULT_NOISE_THRESHOLD,
                new PrintStream(out, true, StandardCharsets.UTF_8)).size();
        assertEquals(2, rows);
        String text = out.toString(StandardCharsets.UTF_8);
        Path dir = Path.of(reports, "compare-20261127-100000-quick-vs-20261127-110000-quick");
        assertTrue(text.trim().endsWith("report: " + dir), text);
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.matches("(?s).*srcu_r1_w0_churn-0_s1024_uniform_h0 \\| 3/3 \\|[^\\n]*\\| 1\\.500 \\[[^\\n]*\\| \\*\\*faster\\*\\* \\|.*"), md);
        assertTrue(md.matches("(?s).*rwlock_r1_w0[^\\n]*\\| equivalent \\| 0\\.026 \\|.*"), md);
        assertTrue(md.contains("kernels differ"), md);
        assertTrue(md.contains("verdicts: 1 faster, 1 equivalent"), md);
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("class=\"faster\""));
        String forest = Files.readString(dir.resolve("forest.svg"));
        assertTrue(forest.startsWith("<svg") && html.contains("src=\"" + dev.uprobebench.report.HtmlPage.svg(forest) + "\""),
                "the forest plot is on the page and beside it");
    }

    /** The host kernel's rows are compared, and exported, like any back-end's. */
    @Test
    void kernelRowsAreComparedAndExportedLikeAnyOther() throws Exception {
        java.util.function.Function<double[], ConfigOutcome> kernel = f -> Outcomes.renamed(Outcomes.with(Outcomes.with(
                Outcomes.with(Outcomes.withForks("kernel", 1, f), "configKey", "r1_w0_churn-0_s1_uniform_h0"),
                "backendKey", "kernel-nop5"), "label", "kernel (nop5)"));
        Path[] dirs = new Path[2];
        double[][] forks = {{780e3, 790e3, 770e3}, {560e3, 565e3, 555e3}};
        for (int i = 0; i < 2; i++) {
            dirs[i] = root.resolve("k" + i);
            Files.createDirectories(dirs[i]);
            Files.writeString(dirs[i].resolve("invariants.json"), OutcomeJson.write(List.of(
                    outcome("srcu", new double[] {10e6, 10.1e6, 9.9e6}), kernel.apply(forks[i]))));
            JsonObject env = new JsonObject();
            env.addProperty("kernel", i == 0 ? "Linux 6.18" : "Linux 6.19");
            env.addProperty("reportFormat", ConfigOutcome.REPORT_FORMAT);
            Files.writeString(dirs[i].resolve("environment.json"), env.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(2, ReportComparison.compare(dirs[0].toString(), dirs[1].toString(), root.resolve("out"),
                Comparison.DEFAULT_NOISE_THRESHOLD, new PrintStream(out, true, StandardCharsets.UTF_8)).size());
        String md = Files.readString(root.resolve("out").resolve("compare-k0-vs-k1").resolve("summary.md"));
        assertTrue(md.matches("(?s).*kernel-nop5_r1_w0_churn-0_s1_uniform_h0 \\| 3/3 \\|[^\\n]*\\*\\*slower\\*\\*.*"), md);
        dev.uprobebench.report.Exports.write(dirs[0], dev.uprobebench.report.Analysis.of(
                dev.uprobebench.report.OutcomeJson.read(Files.readString(dirs[0].resolve("invariants.json")))));
        String bencher = Files.readString(dirs[0].resolve(dev.uprobebench.report.ReportFiles.BENCHER));
        assertTrue(bencher.contains("\"kernel-nop5_r1_w0_churn-0_s1_uniform_h0\""), bencher);
    }

    /** A report of the given configurations (written as a run writes them). */
    private Path reportOf(String name, List<ConfigOutcome> outcomes) throws Exception {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("invariants.json"), OutcomeJson.write(outcomes));
        JsonObject env = new JsonObject();
        env.addProperty("kernel", "k");
        env.addProperty("reportFormat", ConfigOutcome.REPORT_FORMAT);
        Files.writeString(dir.resolve("environment.json"), env.toString());
        return dir;
    }

    private int gate(Path a, Path b, ByteArrayOutputStream out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("compare", a.toString(), b.toString(),
                "--fail-on-slower", "10"));
        args.addAll(List.of(more));
        return Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /**
     * The gate fails closed: a configuration of A that B lacks, or that is INVALID or FAILED on a
     * side, cannot be judged and fails it with its own code (5), named; {@code --allow-missing} lets
     * the missing one pass, never the invalid or failed one.
     */
    @Test
    void theGateFailsClosedOnWhatItCannotJudge() throws Exception {
        double[] f = {10e6, 10.1e6, 9.9e6};
        ConfigOutcome srcu = outcome("srcu", f);
        ConfigOutcome rwlock = outcome("rwlock", f);
        Path a = reportOf("gate-a", List.of(srcu, rwlock));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Main.OK, gate(a, reportOf("gate-same", List.of(srcu, rwlock)), out), out.toString());

        Path missing = reportOf("gate-missing", List.of(srcu));
        out = new ByteArrayOutputStream();
        assertEquals(Main.GATE_INCOMPLETE, gate(a, missing, out));
        assertTrue(out.toString().contains("rwlock_r1_w0_churn-0_s1024_uniform_h0 (missing in B)"), out.toString());
        out = new ByteArrayOutputStream();
        assertEquals(Main.OK, gate(a, missing, out, "--allow-missing"), out.toString());

        Path invalid = reportOf("gate-invalid", List.of(srcu, Outcomes.with(rwlock, "violations", 2L)));
        out = new ByteArrayOutputStream();
        assertEquals(Main.GATE_INCOMPLETE, gate(a, invalid, out, "--allow-missing"));
        assertTrue(out.toString().contains("rwlock_r1_w0_churn-0_s1024_uniform_h0 (B: INVALID: 2 invariant "
                + "violations)"), out.toString());

        Path failed = reportOf("gate-failed", List.of(srcu, rwlock.withStatus(Status.FAILED, "round 2: died")));
        out = new ByteArrayOutputStream();
        assertEquals(Main.GATE_INCOMPLETE, gate(a, failed, out));
        assertTrue(out.toString().contains("(B: failed)"), out.toString());
        // an invalid row is left out of the family: no q beside it
        ReportComparison.compare(a.toString(), failed.toString(), root.resolve("out-gate"),
                Comparison.DEFAULT_NOISE_THRESHOLD, new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));
        String md = Files.readString(root.resolve("out-gate").resolve("compare-gate-a-vs-gate-failed")
                .resolve("summary.md"));
        assertTrue(md.matches("(?s).*rwlock_r1[^\\n]*\\| - \\| \\*\\*INVALID input\\*\\*.*"), md);
    }

    @Test
    void aChangeInsideTheNoiseThresholdIsEquivalentNotAVerdict() throws Exception {
        // 3% faster, tightly measured: the interval excludes 1, but lies inside the 5% band
        Path a = report("a", "k", new double[] {100, 100.2, 99.8}, new double[] {50, 50.1, 49.9});
        Path b = report("b", "k", new double[] {103, 103.2, 102.8}, new double[] {50, 50.1, 49.9});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, compare(a.toString(), b.toString(), out));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("(?s).*srcu_r1[^\\n]*1\\.030[^\\n]*  equivalent\\n.*"), text);
        ByteArrayOutputStream strict = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"compare", a.toString(), b.toString(), "--noise-threshold", "1"},
                new PrintStream(strict, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream())));
        assertTrue(strict.toString(StandardCharsets.UTF_8).matches("(?s).*srcu_r1[^\\n]*faster.*"), strict.toString());
    }

    @Test
    void fewerThanThreeForksIsInconclusive() throws Exception {
        Path a = report("a", "k", new double[] {100, 101}, new double[] {50, 51});
        Path b = report("b", "k", new double[] {150, 151}, new double[] {50, 51});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, compare(a.toString(), b.toString(), out));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("inconclusive (2/2 forks, 3 needed)") && !text.contains("faster"), text);
    }

    @Test
    void aReportOfAnOlderFormatIsRefusedByName() throws Exception {
        Path old = report("old", "k", new double[] {1, 2, 3}, new double[] {1, 2, 3}, null);
        Path now = report("now", "k", new double[] {1, 2, 3}, new double[] {1, 2, 3});
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, Main.run(new String[] {"compare", old.toString(), now.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("format 1 (before rounds"), err.toString());
        assertEquals(Main.USAGE, Main.run(new String[] {"compare", now.toString(), old.toString(), "--noise-threshold",
                "many"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void missingOrForeignInputsAreUsageErrors() throws Exception {
        Path a = report("a", "k", new double[] {1, 2}, new double[] {1, 2});
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, Main.run(new String[] {"compare", a.toString(), root.resolve("nope").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no report directory"), err.toString());
        Files.createDirectories(root.resolve("empty"));
        assertEquals(Main.USAGE, compare(a.toString(), root.resolve("empty").toString(), new ByteArrayOutputStream()));
        assertEquals(Main.USAGE, compare(a.toString(), a.toString(), new ByteArrayOutputStream()));
        assertEquals(Main.USAGE, Main.run(new String[] {"compare", a.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())));
    }

    private int gate(Path a, Path b, String percent, ByteArrayOutputStream out) {
        return Main.run(new String[] {"compare", a.toString(), b.toString(), "--fail-on-slower", percent},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void theGateFailsOnASlowdownBeyondItsThresholdOnly() throws Exception {
        // srcu 20% slower, tightly measured; rwlock unchanged
        Path a = report("a", "k", new double[] {100, 100.5, 99.5}, new double[] {50, 50.1, 49.9});
        Path b = report("b", "k", new double[] {80, 80.4, 79.6}, new double[] {50, 50.1, 49.9});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Main.SLOWER, gate(a, b, "10", out));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("gate: FAILED") && text.contains("srcu_r1") && !text.contains("rwlock_r1_w0_churn-0_s1024_uniform_h0 (B/A"),
                text);
        assertEquals(Main.OK, gate(a, b, "25", new ByteArrayOutputStream()), "a 20% slowdown passes a 25% gate");
        assertEquals(Main.OK, gate(b, a, "10", new ByteArrayOutputStream()), "faster never fails the gate");
        assertEquals(Main.USAGE, gate(a, b, "ten", new ByteArrayOutputStream()));
    }

    @Test
    void aSlowdownThatIsNotSignificantDoesNotFailTheGate() throws Exception {
        // 20% lower on average but the forks overlap widely: no "slower" verdict, no failure
        Path a = report("a", "k", new double[] {100, 60, 140}, new double[] {50, 50.1, 49.9});
        Path b = report("b", "k", new double[] {80, 130, 30}, new double[] {50, 50.1, 49.9});
        assertEquals(Main.OK, gate(a, b, "10", new ByteArrayOutputStream()));
    }
}
