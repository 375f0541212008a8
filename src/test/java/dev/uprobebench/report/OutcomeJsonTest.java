package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeJsonTest {
    /** Written, read back and written again, a run's results are the same file. */
    @Test
    void resultsSurviveTheFileUnchanged() {
        List<ConfigOutcome> l = new ArrayList<>(Outcomes.sample());
        l.add(Outcomes.of("srcu", 4, "max", 1e6, 0).withStatus(Status.FAILED, "round 2: the fork died")
                .withProblem("flame graph conversion failed: x"));
        l.add(ConfigOutcome.pending(Outcomes.of("rwlock", 8, "0", 1, 0).spec()).withStatus(Status.SKIPPED,
                "no uprobe PMU"));
        String once = OutcomeJson.write(l);
        List<ConfigOutcome> back = OutcomeJson.read(once);
        assertEquals(once, OutcomeJson.write(back));
        assertEquals(l.get(0).spec(), back.get(0).spec());
        assertEquals(l.get(0).forkHitsPerSec(), back.get(0).forkHitsPerSec());
        assertEquals(Status.FAILED, back.get(l.size() - 2).status());
        assertEquals(List.of("flame graph conversion failed: x"), back.get(l.size() - 2).problems());
        assertEquals(Status.SKIPPED, back.get(l.size() - 1).status());
        assertNull(back.get(l.size() - 1).hitsPerSec(), "a configuration without forks has no mean");
    }

    /** The keys of report format 2, flat, as users' scripts and older reports have them. */
    @Test
    void theFileKeepsTheKeysOfItsFormat() {
        JsonObject j = JsonParser.parseString(OutcomeJson.write(List.of(Outcomes.of("srcu", 1, "max", 1e6, 2))))
                .getAsJsonArray().get(0).getAsJsonObject();
        for (String k : List.of("id", "backendKey", "configKey", "label", "scenario", "backend", "readers", "writers",
                "status", "hitsPerSec", "writerOpsPerSec", "forkRounds", "forkHitsPerSec", "forkWriterOpsPerSec",
                "forkJmhErrors", "latency", "curves", "invariants", "violations", "trials", "pinMap",
                "pinsVerified", "problems", "flamegraphs")) {
            assertTrue(j.has(k), k + " missing from " + j.keySet());
        }
        assertEquals("ok", j.get("status").getAsString());
        assertEquals(2, j.get("violations").getAsLong());
        assertEquals(List.of("id", "backendKey", "configKey"), new ArrayList<>(j.keySet()).subList(0, 3));
    }

    @Test
    void anUnknownStatusIsNamedWithTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutcomeJson.read(
                "[{\"id\":\"x\",\"status\":\"OK\"}]"));
        assertTrue(e.getMessage().contains("'OK'") && e.getMessage().contains("ok, failed"), e.getMessage());
    }

    /** A fork with the profiler attached is kept and shown, but never in the estimate (issue 21 item 7). */
    @Test
    void aProfiledForkIsKeptApartFromTheScore() {
        ConfigOutcome o = Outcomes.withForks("srcu", 1, 10, 10, 10);
        java.util.List<ForkRecord> forks = new ArrayList<>(o.forks());
        forks.set(0, new ForkRecord(1, 5, 0, 0, null, null, null, true)); // round 1, profiled: half the speed
        ConfigOutcome p = o.withForks(forks);
        assertEquals(10.0, p.hitsPerSec(), 1e-12);
        assertEquals(List.of(2, 3), p.forkRounds());
        assertEquals(1, p.profiledForks().size());
        ConfigOutcome back = OutcomeJson.read(OutcomeJson.write(List.of(p))).get(0);
        assertEquals(p.forkHitsPerSec(), back.forkHitsPerSec());
        assertEquals(5.0, back.profiledForks().get(0).hitsPerSec(), 1e-12);
        String md = Summary.render(new Summary.Header("t", "q", "s", "m", "j", "physical", "1 of 1", List.of(),
                List.of(), "complete"), Analysis.of(List.of(p)), java.util.Map.of(), List.of(), f -> false);
        assertTrue(md.contains("scored apart and are in no estimate") && md.contains("5.0 hits/s in round 1"), md);
    }
}
