package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's structure: every back-end in every table and plot, every link resolvable, nothing remote. */
class ReportPagesTest {
    @TempDir
    Path dir;
    private List<ConfigOutcome> outcomes;
    private String html;

    @BeforeEach
    void render() throws Exception {
        outcomes = Outcomes.sample();
        Files.createDirectories(dir.resolve("latency"));
        for (String f : List.of("jmh-results.json", "invariants.json", "environment.json", "profile.properties")) {
            Files.writeString(dir.resolve(f), "{}"); // what a run writes before its pages
        }
        Summary.Header h = new Summary.Header("quick", "Do the designs differ?", "20261127-000000", "test machine",
                "test JVM", "physical", "3 of 3 complete", List.of("a warning"), List.of("a note"), "complete");
        ReportPages.write(dir, h, outcomes, true);
        html = Files.readString(dir.resolve("index.html"));
    }

    /** The page split at its h2 headings: heading text, then the section. */
    private List<String[]> sections() {
        List<String[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("<h2>(.*?)</h2>").matcher(html);
        List<int[]> at = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        while (m.find()) {
            at.add(new int[] {m.start(), m.end()});
            titles.add(m.group(1));
        }
        for (int i = 0; i < at.size(); i++) {
            int end = i + 1 < at.size() ? at.get(i + 1)[0] : html.length();
            out.add(new String[] {titles.get(i), html.substring(at.get(i)[1], end)});
        }
        return out;
    }

    @Test
    void everyBackEndOfAScenarioIsInItsTableAndInEachOfItsPlots() {
        int checked = 0;
        for (String[] s : sections()) {
            List<ConfigOutcome> inScenario = outcomes.stream().filter(o -> HtmlPage.esc(o.spec().scenario()).equals(s[0]))
                    .collect(Collectors.toList());
            if (inScenario.isEmpty()) {
                continue;
            }
            List<String> alts = new ArrayList<>();
            Matcher m = Pattern.compile("<img [^>]*alt=\"([^\"]*)\"").matcher(s[1]);
            while (m.find()) {
                alts.add(m.group(1));
            }
            assertTrue(alts.size() >= 3, s[0] + ": throughput and latency plots, got " + alts);
            for (ConfigOutcome o : inScenario) {
                assertTrue(s[1].contains("<td>" + o.spec().label() + "</td>"), o.spec().label() + " missing from the table of " + s[0]);
                for (String alt : alts) {
                    if (alt.contains("throughput") || alt.contains("hit-latency-r" + o.spec().readers())) {
                        assertTrue(alt.contains(o.spec().label()), o.spec().label() + " missing from plot " + alt);
                    }
                }
            }
            checked++;
        }
        assertEquals(2, checked, "both scenarios rendered");
    }

    @Test
    void everyLinkAndImagePointsToAFileOfTheReport() {
        Matcher m = Pattern.compile("(?:href|src)=\"([^\"]+)\"").matcher(html);
        int n = 0;
        while (m.find()) {
            String target = m.group(1);
            if (target.startsWith("data:image/png;base64,")) {
                continue;
            }
            assertFalse(target.contains("://"), "remote reference " + target);
            assertTrue(Files.exists(dir.resolve(target)), "dangling link " + target);
            n++;
        }
        assertTrue(n > 0);
        for (String f : List.of("summary.md", "jmh-results.json", "invariants.json", "environment.json", "latency/")) {
            assertTrue(html.contains("href=\"" + f + "\""), "the page links " + f);
        }
    }

    @Test
    void nothingIsLoadedFromTheNetwork() {
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("<link"), "no external stylesheets");
        assertFalse(html.matches("(?s).*url\\(\\s*['\"]?https?:.*"), "no remote CSS resources");
        assertFalse(html.matches("(?s).*src=\"https?:.*"), "no remote images");
    }

    @Test
    void invalidResultsAreRedAndLeftOutOfTheRanking() {
        Matcher rows = Pattern.compile("(?s)<tr class=\"invalid\">\\s*<td>seqcount-rcu-rfc</td>(.*?)</tr>").matcher(html);
        int n = 0;
        while (rows.find()) {
            assertTrue(rows.group(1).contains("excluded"), rows.group(1));
            assertTrue(rows.group(1).contains("INVALID"), rows.group(1));
            n++;
        }
        assertEquals(4, n, "every rfc row is marked");
        assertTrue(html.contains("<td align=\"right\"><strong>3</strong></td>"), "the violation count is flagged");
    }

    @Test
    void unpinnedAndOversubscribedResultsAreLabelled() {
        ConfigOutcome o = Outcomes.of("srcu", 4, "0", 1e7, 0);
        o = Outcomes.with(o, "pinPolicy", "none");
        o = Outcomes.with(o, "oversubscribed", true);
        String v = Analysis.of(List.of(o)).rows().get(0).verdict();
        assertTrue(v.contains("UNPINNED") && v.contains("OVERSUBSCRIBED"), v);
        assertEquals("valid", Analysis.of(List.of(Outcomes.of("srcu", 1, "0", 1e7, 0))).rows().get(0).verdict());
    }

    @Test
    void rankingOrdersValidResultsByThroughput() {
        Analysis.Row rwlock = Analysis.of(outcomes).rows().stream().filter(r -> r.outcome().spec().churn().equals("0")
                && r.outcome().spec().readers() == 1 && r.outcome().spec().backend().equals("rwlock")).findFirst().get();
        assertEquals(3, rwlock.rank()); // unsync and srcu tie ahead, rfc excluded
        Analysis.Row rfc = Analysis.of(outcomes).rows().stream().filter(r -> r.outcome().spec().backend().equals(
                "seqcount-rcu-rfc")).findFirst().get();
        assertEquals(null, rfc.rank());
    }

    @Test
    void summaryLinksEveryPlotAndTheFilesExist() throws Exception {
        String md = Files.readString(dir.resolve("summary.md"));
        Matcher m = Pattern.compile("\\]\\((plots/[^)]+)\\)").matcher(md);
        int n = 0;
        while (m.find()) {
            assertTrue(Files.exists(dir.resolve(m.group(1))), m.group(1));
            n++;
        }
        assertTrue(n >= 6, "png and svg per plot, got " + n);
    }
}
