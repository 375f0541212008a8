package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two reports from a 2-core machine and one from a fake 64-core server, one profile, one page. */
class FleetTest {
    @TempDir
    Path root;

    static final String PROFILE = "# profile 'scaling' as resolved (defaults and --set overrides applied)\n"
            + "backends=rwlock,srcu\nreaders=1..max\nseed=%d\n";

    private Path report(String name, String host, String topology, int maxReaders, double perReader, String profile,
            long seed) throws Exception {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        List<ConfigOutcome> os = new ArrayList<>();
        for (String b : List.of("rwlock", "srcu")) {
            for (int r = 1; r <= maxReaders; r *= 2) {
                double scale = b.equals("rwlock") ? Math.sqrt(r) : r * 0.95; // rwlock stops scaling, srcu does
                os.add(Outcomes.of(b, r, "0", perReader * scale, 0));
            }
        }
        Files.writeString(dir.resolve("invariants.json"), OutcomeJson.write(os));
        JsonObject env = new JsonObject();
        env.addProperty("hostname", host);
        env.addProperty("cpuModel", topology.contains("64") ? "Intel Xeon Gold 6138" : "AMD EPYC");
        env.addProperty("topologySummary", topology);
        env.addProperty("kernel", "Linux 6.12");
        env.addProperty("jvm", "17.0.15");
        env.addProperty("pinningPolicy", "physical");
        env.addProperty("reportFormat", ConfigOutcome.REPORT_FORMAT);
        Files.writeString(dir.resolve("environment.json"), env.toString());
        Files.writeString(dir.resolve("profile.properties"), String.format(profile, seed));
        return dir;
    }

    @Test
    void onePageCarriesEveryMachineItsResultsAndItsSpeedUpCurves() throws Exception {
        Path a = report("20261128-100000-scaling", "vm-a", "1 package, 2 cores, 2 CPUs", 2, 5e6, PROFILE, 1);
        Path b = report("20261128-110000-scaling", "vm-a", "1 package, 2 cores, 2 CPUs", 2, 5.2e6, PROFILE, 2);
        Path big = report("20261128-120000-scaling", "xeon-64", "2 packages, 64 cores, 128 CPUs", 64, 3e6, PROFILE, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path dir = Fleet.write(List.of(a.toString(), b.toString(), big.toString()), root.resolve("reports"),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("on 3 machines"), md);
        assertTrue(md.contains("| topology | 1 package, 2 cores, 2 CPUs | 1 package, 2 cores, 2 CPUs | 2 packages, 64 cores, "
                + "128 CPUs |"), md);
        assertTrue(md.contains("Intel Xeon Gold 6138"), md);
        // a 64-reader configuration exists only on the big machine: the small ones show '-'
        assertTrue(md.matches("(?s).*\\| srcu_r64_[^|]*\\| - \\| - \\| [0-9.]+ M \\[.*"), md);
        // per reader (per core) throughput is given for every result
        assertTrue(md.contains("/reader"), md);
        // one speed-up plot per back-end and scenario, each with every machine and the linear line
        assertEquals(2, Files.list(dir.resolve("plots")).filter(p -> p.toString().endsWith(".png")).count());
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("xeon-64 (20261128-120000-scaling)"), html);
        assertTrue(out.toString(StandardCharsets.UTF_8).trim().endsWith("report: " + dir));
    }

    @Test
    void speedUpCurvesAreRelativeToEachMachinesOwnOneReaderFigure() throws Exception {
        Path a = report("a", "vm-a", "2 cores", 2, 5e6, PROFILE, 1);
        Path big = report("big", "xeon-64", "64 cores", 64, 3e6, PROFILE, 3);
        List<Fleet.Machine> ms = List.of(
                new Fleet.Machine("a", a, ReportComparison.env(a), Fleet.profile(a), ReportComparison.outcomes(a)),
                new Fleet.Machine("big", big, ReportComparison.env(big), Fleet.profile(big), ReportComparison.outcomes(big)));
        var charts = Fleet.speedUpCharts(ms);
        var srcu = charts.values().stream().filter(c -> c.getTitle().contains("srcu")).findFirst().orElseThrow();
        var bigSeries = srcu.getSeriesMap().get("big");
        assertEquals(1.0, bigSeries.getYData()[0], 1e-9);
        assertEquals(64 * 0.95 / 0.95, bigSeries.getYData()[bigSeries.getYData().length - 1], 0.05 * 64);
        assertTrue(srcu.getSeriesMap().containsKey("a") && srcu.getSeriesMap().containsKey("linear"));
    }

    @Test
    void reportsOfDifferentProfilesAreRefusedNamingTheKey() throws Exception {
        Path a = report("a", "vm-a", "2 cores", 2, 5e6, PROFILE, 1);
        Path other = report("b", "vm-b", "2 cores", 2, 5e6, PROFILE.replace("rwlock,srcu", "srcu"), 1);
        ReportComparison.BadReportException e = assertThrows(ReportComparison.BadReportException.class,
                () -> Fleet.write(List.of(a.toString(), other.toString()), root.resolve("reports"),
                        new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("different profiles (backends: rwlock,srcu vs srcu)"), e.getMessage());
        assertThrows(ReportComparison.BadReportException.class, () -> Fleet.write(List.of(a.toString(), a.toString()),
                root.resolve("reports"), new PrintStream(new ByteArrayOutputStream())));
    }
}
