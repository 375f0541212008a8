package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users see, pinned: a fixed set of outcomes (both scenarios of {@link Outcomes#sample()}, a
 * negative control that broke an invariant, return-probe and address-space rows, a failed and an
 * interrupted configuration) renders to exactly the checked-in {@code summary.md} and
 * {@code index.html} under {@code src/test/resources/golden/} (the page's embedded PNGs aside). A change to the pages must change
 * those files in the same commit, on purpose: run
 * {@code mvn -B test -Dtest=GoldenReportTest -Dmodel-check.skip=true -Dgolden.update=true}
 * and read the diff.
 */
class GoldenReportTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    @TempDir
    Path dir;

    static List<ConfigOutcome> fixture() {
        List<ConfigOutcome> l = new ArrayList<>(Outcomes.sample());
        l.add(ReturnProbeReportTest.uret("refcount", 1, 4e6, 0, 0));
        l.add(ReturnProbeReportTest.uret("hprobe", 1, 6e6, 12, 1));
        l.add(AddressSpaceReportTest.speculative("srcu", 1, 4e6, 4_000_000, 600));
        l.add(AddressSpaceReportTest.speculative("srcu", 2, 8e6, 8_000_000, 2_000_000));
        ConfigOutcome failed = Outcomes.of("percpu-rwsem", 1, "max", 1e6, 0);
        failed = failed.withStatus(Status.FAILED, null);
        failed = failed.withProblem("fork 2 exited with code 1");
        l.add(failed);
        ConfigOutcome interrupted = Outcomes.of("percpu-rwsem", 2, "max", 2e6, 0);
        interrupted = interrupted.withStatus(Status.INTERRUPTED, null);
        l.add(interrupted);
        return l;
    }

    /**
     * The page with each embedded plot's PNG bytes left out: pixels depend on the machine's fonts
     * ({@code PlotsTest} checks the plots); what a plot shows is in its alt text, which stays.
     */
    static String withoutPixels(String page) {
        return page.replaceAll("src=\"data:image/png;base64,[A-Za-z0-9+/=]+\"", "src=\"data:image/png;base64,...\"");
    }

    @Test
    void theFixedOutcomesRenderToTheCheckedInPages() throws IOException {
        Files.createDirectories(dir.resolve("latency"));
        for (String f : List.of("jmh-results.json", "invariants.json", "environment.json", "profile.properties")) {
            Files.writeString(dir.resolve(f), "{}");
        }
        Summary.Header h = new Summary.Header("quick", "Do the designs differ?", "20261206-000000", "golden machine",
                "golden JVM", "physical", "5 of 5 complete", List.of("a warning"), List.of("a note"), "complete");
        ReportPages.write(dir, h, fixture(), true);
        boolean update = Boolean.getBoolean("golden.update");
        for (String page : List.of("summary.md", "index.html")) {
            String actual = withoutPixels(Files.readString(dir.resolve(page)));
            Path expected = GOLDEN.resolve(page);
            if (update) {
                Files.createDirectories(GOLDEN);
                Files.writeString(expected, actual);
            }
            assertTrue(Files.exists(expected), expected + " is missing: run with -Dgolden.update=true to create it");
            assertEquals(Files.readString(expected), actual, page + " differs from " + expected
                    + " (if the change is meant, rerun with -Dgolden.update=true and commit the new file)");
        }
    }
}
