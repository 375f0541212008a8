package dev.uprobebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.uprobebench.report.ConfigOutcome;
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

    /** A minimal report: invariants.json, environment.json and one JMH result per configuration. */
    private Path report(String name, String kernel, double[] srcuIterations, double[] rwlockIterations) throws Exception {
        Path dir = root.resolve(name);
        Files.createDirectories(dir.resolve("jmh"));
        ConfigOutcome srcu = outcome("srcu", mean(srcuIterations));
        ConfigOutcome rwlock = outcome("rwlock", mean(rwlockIterations));
        Files.writeString(dir.resolve("invariants.json"), new Gson().toJson(List.of(srcu, rwlock)));
        JsonObject env = new JsonObject();
        env.addProperty("cpuModel", "AMD EPYC");
        env.addProperty("kernel", kernel);
        Files.writeString(dir.resolve("environment.json"), env.toString());
        jmh(dir, srcu.id, srcuIterations);
        jmh(dir, rwlock.id, rwlockIterations);
        return dir;
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    private static ConfigOutcome outcome(String backend, double hits) {
        ConfigOutcome o = new ConfigOutcome();
        o.id = backend + "_r1_w0_churn-0_s1024_uniform_h0";
        o.backend = backend;
        o.label = backend;
        o.readers = 1;
        o.status = ConfigOutcome.OK;
        o.trials = 2;
        o.hitsPerSec = hits;
        o.pinPolicy = "physical";
        o.pinMap.add("reader0@cpu0(core 0, pkg 0)");
        return o;
    }

    private static void jmh(Path dir, String id, double[] iterations) throws Exception {
        JsonArray fork = new JsonArray();
        for (double v : iterations) {
            fork.add(v);
        }
        JsonArray raw = new JsonArray();
        raw.add(fork);
        JsonObject hit = new JsonObject();
        hit.addProperty("score", mean(iterations));
        hit.add("rawData", raw);
        JsonObject sec = new JsonObject();
        sec.add("hit", hit);
        JsonObject run = new JsonObject();
        run.addProperty("benchmark", "dev.uprobebench.bench.ChurnBenchmark.throughput");
        run.add("secondaryMetrics", sec);
        JsonArray all = new JsonArray();
        all.add(run);
        Files.writeString(dir.resolve("jmh").resolve(id + "-throughput.json"), all.toString());
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
        int exit = CompareCommand.run(new String[] {"compare", a.toString(), b.toString()}, Path.of(reports),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, exit);
        String text = out.toString(StandardCharsets.UTF_8);
        Path dir = Path.of(reports, "compare-20261127-100000-quick-vs-20261127-110000-quick");
        assertTrue(text.trim().endsWith("report: " + dir), text);
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.matches("(?s).*srcu_r1_w0_churn-0_s1024_uniform_h0 \\|[^\\n]*\\| 1\\.500 \\[[^\\n]*\\| faster \\|.*"), md);
        assertTrue(md.matches("(?s).*rwlock_r1_w0[^\\n]*no significant change.*"), md);
        assertTrue(md.contains("kernels differ"), md);
        assertTrue(Files.readString(dir.resolve("index.html")).contains("class=\"faster\""));
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
}
