package dev.uprobebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.uprobebench.report.ConfigOutcome;
import dev.uprobebench.report.EDivisive;
import dev.uprobebench.report.History;
import dev.uprobebench.report.OutcomeJson;
import dev.uprobebench.report.Outcomes;
import dev.uprobebench.report.ReportComparison;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code history}: nightly reports of one server, a kernel upgrade that moved one configuration. */
class HistoryCommandTest {
    @TempDir
    Path root;

    /** Twelve nightly reports; srcu drops 15% from the eighth, when the kernel went 6.12 -> 6.18; rwlock is flat. */
    private Path nightly() throws Exception {
        Path reports = root.resolve("reports");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int night = 1; night <= 12; night++) {
            double srcu = 1e7 * (night >= 8 ? 0.85 : 1) * (1 + 0.01 * (rnd.nextDouble() - 0.5));
            double rwlock = 5e6 * (1 + 0.01 * (rnd.nextDouble() - 0.5));
            Path dir = reports.resolve(String.format(Locale.ROOT, "202612%02d-020000-quick", night));
            Files.createDirectories(dir);
            ConfigOutcome s = Outcomes.withForks("srcu", 1, srcu * 0.99, srcu, srcu * 1.01);
            ConfigOutcome r = Outcomes.withForks("rwlock", 1, rwlock * 0.99, rwlock, rwlock * 1.01);
            if (night == 4) {
                r = Outcomes.with(r, "violations", 2L); // an invalid night: shown, never used
            }
            Files.writeString(dir.resolve("invariants.json"), OutcomeJson.write(List.of(s, r)));
            JsonObject env = new JsonObject();
            env.addProperty("reportFormat", ConfigOutcome.REPORT_FORMAT);
            env.addProperty("kernel", night >= 8 ? "Linux 6.18" : "Linux 6.12");
            env.addProperty("jvm", "25");
            Files.writeString(dir.resolve("environment.json"), env.toString());
        }
        Files.createDirectories(reports.resolve("compare-x-vs-y")); // not a report: ignored in a directory
        return reports;
    }

    @Test
    void aShiftIsFoundAtTheRunWhereItHappenedWithWhatChangedThen() throws Exception {
        Path reports = nightly();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path dir = History.write(List.of(reports.toString()), root.resolve("out"), EDivisive.standard(),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        String srcu = Outcomes.withForks("srcu", 1, 1).id();
        String rwlock = Outcomes.withForks("rwlock", 1, 1).id();
        assertTrue(text.contains(srcu) && text.contains("change at 20261208-020000-quick") && text.contains("(×0.85")
                && text.contains("kernel Linux 6.12 → Linux 6.18"), text);
        assertTrue(!text.contains(rwlock + " "), "rwlock is flat: " + text);
        assertTrue(text.contains("12 reports, 2 configurations, 1 change point(s)"), text);
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.matches("(?s).*\\| " + srcu + " \\| 8 \\| [^|]*×0\\.85[^|]*\\| kernel Linux 6\\.12 → Linux 6\\.18 \\|.*"), md);
        assertTrue(md.contains("| " + rwlock + " | 11 of 12 |"), "the invalid night is not used: " + md);
        assertTrue(Files.readString(dir.resolve("index.html")).contains("data:image/png;base64,"), "plots embedded");
        assertTrue(Files.isRegularFile(dir.resolve("plots/history-1.svg")));
    }

    @Test
    void reportsGivenOneByOneAreOrderedByTheTimeInTheirNames() throws Exception {
        Path reports = nightly();
        List<String> args = new java.util.ArrayList<>();
        for (int night = 12; night >= 1; night--) {
            args.add(reports.resolve(String.format(Locale.ROOT, "202612%02d-020000-quick", night)).toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        History.write(args, root.resolve("out"), EDivisive.standard(), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("change at 20261208-020000-quick"), out.toString());
    }

    @Test
    void badInputIsAOneLineErrorNamingWhatIsValid() throws Exception {
        Path reports = nightly();
        ReportComparison.BadReportException one = assertThrows(ReportComparison.BadReportException.class,
                () -> History.write(List.of(reports.resolve("20261201-020000-quick").toString()), root,
                        EDivisive.standard(), System.out));
        assertTrue(one.getMessage().startsWith("history needs two or more reports, found 1"), one.getMessage());
        ReportComparison.BadReportException none = assertThrows(ReportComparison.BadReportException.class,
                () -> History.write(List.of(root.resolve("nope").toString()), root, EDivisive.standard(), System.out));
        assertTrue(none.getMessage().startsWith("no report directory"), none.getMessage());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, Main.run(new String[] {"history", reports.toString(), "--alpha", "2"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("bad value '2' for --alpha; valid:"), err.toString());
    }
}
