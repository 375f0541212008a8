package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.bench.TrialFiles;
import dev.uprobebench.bench.TrialRecord;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.report.ConfigOutcome;
import dev.uprobebench.report.OutcomeJson;
import dev.uprobebench.report.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round loop of {@link BenchRun} with a fake {@link ForkRunner} in place of JMH: the order it
 * runs, what it keeps when a fork fails, and what an interruption leaves behind.
 */
class RoundLoopTest {
    @TempDir
    Path reports;

    private static final String PROFILE = "backends=rwlock,srcu,seqcount-rcu\nreaders=1\nchurn=0\nrounds=3\n"
            + "latency-rounds=1\nseed=7\npinning=physical\n";

    /** One fork the fake runner was asked for. */
    private record Call(String id, String mode, int round) {
    }

    private final List<Call> calls = new ArrayList<>();

    private Profile profile() {
        return Profile.parse("loop", PROFILE, List.of());
    }

    private static ForkRunner.ForkScore score(int round) {
        return new ForkRunner.ForkScore(1e6 * round, 0, 1e4, null, null, null);
    }

    private BenchRun run(ForkRunner fake) {
        return new BenchRun(profile(), Path.of("."), reports, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), fake);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<ConfigOutcome> outcomes(Path dir) {
        return OutcomeJson.read(read(dir.resolve("invariants.json")));
    }

    @Test
    void everyRoundRunsEveryConfigurationOnceInThePlannedOrder() {
        BenchRun run = run((dir, c, mode, round, profiled) -> {
            calls.add(new Call(c.id(), mode, round));
            return score(round);
        });
        assertEquals(0, run.execute());
        RunPlan plan = RunPlan.of(profile(), CpuTopology.read());
        List<Call> expected = new ArrayList<>();
        List<List<Integer>> schedule = plan.schedule();
        for (int r = 0; r < schedule.size(); r++) {
            for (int i : schedule.get(r)) {
                String id = plan.configs().get(i).id();
                expected.add(new Call(id, "throughput", r + 1));
                if (r == 0) {
                    expected.add(new Call(id, "latency", 1));
                }
            }
        }
        assertEquals(expected, calls);
        for (ConfigOutcome o : outcomes(run.dir())) {
            assertEquals(List.of(1, 2, 3), o.forkRounds(), o.id());
            assertEquals(List.of(1e6, 2e6, 3e6), o.forkHitsPerSec(), o.id());
            assertEquals(Status.OK, o.status(), o.id());
        }
    }

    @Test
    void aForkThatFailsMarksItsConfigurationKeepsItsEarlierForksAndIsNotRunAgain() throws IOException {
        BenchRun run = run((dir, c, mode, round, profiled) -> {
            calls.add(new Call(c.id(), mode, round));
            if (c.backend().cliName().equals("srcu") && round == 2) {
                throw new IllegalStateException("the fork died");
            }
            return score(round);
        });
        assertEquals(1, run.execute(), "a failed configuration is a failed run");
        ConfigOutcome srcu = outcomes(run.dir()).stream().filter(o -> o.spec().backend().equals("srcu")).findFirst().orElseThrow();
        assertEquals(Status.FAILED, srcu.status());
        assertEquals("round 2: the fork died", srcu.message());
        assertEquals(List.of(1), srcu.forkRounds(), "its round-1 fork is kept");
        assertTrue(calls.stream().noneMatch(k -> k.id().equals(srcu.id()) && k.round() == 3), "not run in round 3");
        for (ConfigOutcome o : outcomes(run.dir())) {
            if (!o.spec().backend().equals("srcu")) {
                assertEquals(List.of(1, 2, 3), o.forkRounds(), o.id());
            }
        }
        String md = Files.readString(run.dir().resolve("summary.md"));
        assertTrue(md.contains("## Missing") && md.contains("`" + srcu.id() + "`: failed: round 2: the fork died"), md);
    }

    @Test
    void anInterruptionKeepsEveryFinishedForkAndSaysHowManyRoundsWereComplete() throws IOException {
        List<String> atInterrupt = new ArrayList<>();
        BenchRun[] self = new BenchRun[1];
        self[0] = run((dir, c, mode, round, profiled) -> {
            calls.add(new Call(c.id(), mode, round));
            if (round == 2 && calls.stream().filter(k -> k.round() == 2).count() == 2) {
                self[0].onInterrupt(); // what the shutdown hook does on Ctrl-C, with the second fork of round 2 running
                atInterrupt.add(read(dir.resolve("summary.md")));
                atInterrupt.add(read(dir.resolve("invariants.json")));
            }
            return score(round);
        });
        self[0].execute();
        String md = atInterrupt.get(0);
        assertTrue(md.contains("interrupted after 1 of 3 complete rounds; every finished fork is kept"), md);
        assertTrue(md.contains("- rounds: 1 of 3 complete"), md);
        List<ConfigOutcome> kept = OutcomeJson.read(atInterrupt.get(1));
        int forks = kept.stream().mapToInt(o -> o.forkRounds().size()).sum();
        assertEquals(3 + 1, forks, "round 1 whole, and the first fork of round 2");
        assertTrue(kept.stream().allMatch(o -> o.forkRounds().get(0) == 1 && o.status() == Status.OK));
    }

    @Test
    void aForksTeardownProblemIsListedOnceHoweverManyRoundsCollectItAgain() {
        BenchRun run = run((dir, c, mode, round, profiled) -> {
            Path raw = dir.resolve("raw").resolve(c.id()).resolve(mode);
            TrialRecord r = new TrialRecord();
            r.pid = 1000 + round;
            r.problems.add("teardown took too long");
            try {
                Files.createDirectories(raw);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TrialFiles.write(raw, r);
            return score(round);
        });
        assertEquals(0, run.execute());
        for (ConfigOutcome o : outcomes(run.dir())) {
            assertEquals(List.of("throughput fork 1001: teardown took too long",
                    "throughput fork 1002: teardown took too long", "throughput fork 1003: teardown took too long",
                    "latency fork 1001: teardown took too long"), o.problems(), o.id());
        }
    }

    @Test
    void anInterruptionDuringTheLastForkIsNotRewrittenAsCompleteWhenTheLoopEnds() {
        int forks = RunPlan.of(profile(), CpuTopology.read()).configs().size() * 3 + 3; // and 3 latency forks
        BenchRun[] self = new BenchRun[1];
        self[0] = run((dir, c, mode, round, profiled) -> {
            calls.add(new Call(c.id(), mode, round));
            if (calls.size() == forks) {
                self[0].onInterrupt(); // the shutdown hook, while the main thread is still in its last fork
            }
            return score(round);
        });
        assertEquals(BenchRun.INTERRUPTED, self[0].execute());
        assertEquals(forks, calls.size());
        String md = read(self[0].dir().resolve("summary.md"));
        assertTrue(md.contains("interrupted after 2 of 3 complete rounds"), md);
        assertTrue(!md.contains("- state: **complete"), md);
    }

    /**
     * A kernel row the machine cannot run is never run and never dropped: it is in invariants.json
     * as skipped with the reason, and on the page among what is missing; the models run as planned.
     */
    @Test
    void kernelRowsThatCannotRunHereAreListedAsSkippedWithTheReason() {
        Profile p = Profile.parse("loop", PROFILE.replace("backends=rwlock,srcu,seqcount-rcu", "backends=srcu,kernel"),
                List.of());
        BenchRun run = new BenchRun(p, Path.of("."), reports, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), (dir, c, mode, round, profiled) -> {
                    calls.add(new Call(c.id(), mode, round));
                    return score(round);
                }, () -> dev.uprobebench.registry.HostKernel.Capability.unusable("not root"));
        assertEquals(0, run.execute());
        assertTrue(calls.stream().noneMatch(k -> k.id().startsWith("kernel")), calls.toString());
        List<ConfigOutcome> all = outcomes(run.dir());
        ConfigOutcome kernel = all.stream().filter(o -> o.spec().backend().equals("kernel")).findFirst().orElseThrow();
        assertEquals(Status.SKIPPED, kernel.status());
        assertEquals("real uprobes not usable: not root", kernel.message());
        assertTrue(all.stream().filter(o -> o.spec().backend().equals("srcu")).allMatch(o -> o.status() == Status.OK));
        String md = read(run.dir().resolve("summary.md"));
        assertTrue(md.contains("`" + kernel.id() + "`: skipped: real uprobes not usable: not root"), md);
    }

    private BenchRun runWith(String extra, ForkRunner fake) {
        return new BenchRun(Profile.parse("loop", PROFILE + extra, List.of()), Path.of("."), reports,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), fake);
    }

    /**
     * {@code precision}: after the fixed rounds, only the configurations whose interval is still
     * wider than the target get more rounds; a tight one stops at the fixed three; a noisy one
     * keeps going until it meets the target.
     */
    @Test
    void precisionAddsRoundsOnlyForConfigurationsWhoseIntervalIsStillWide() {
        // srcu's forks alternate ±20% for six rounds, then settle: wide until enough tight forks accrue
        BenchRun run = runWith("precision=5\nmax-rounds=40\n", (dir, c, mode, round, profiled) -> {
            calls.add(new Call(c.id(), mode, round));
            boolean noisy = c.backend().cliName().equals("srcu") && round <= 6;
            return new ForkRunner.ForkScore(noisy ? 1e6 * (round % 2 == 0 ? 1.2 : 0.8) : 1e6 * (1 + 0.001 * round), 0,
                    1e4, null, null, null);
        });
        assertEquals(0, run.execute());
        List<ConfigOutcome> all = outcomes(run.dir());
        ConfigOutcome srcu = all.stream().filter(o -> o.spec().backend().equals("srcu")).findFirst().orElseThrow();
        int srcuForks = srcu.forkRounds().size();
        assertTrue(srcuForks > 3 && srcuForks < 40, "srcu ran until it met ±5%: " + srcu.forkRounds());
        dev.uprobebench.report.Estimate e = dev.uprobebench.report.Estimate.of(srcu.forkHitsPerSec());
        assertTrue(e.relativeHalfWidth() <= 0.05, "met: " + e.relativeHalfWidth());
        dev.uprobebench.report.Estimate before = dev.uprobebench.report.Estimate.of(srcu.forkHitsPerSec()
                .subList(0, srcuForks - 1));
        assertTrue(before.relativeHalfWidth() > 0.05, "one round fewer would not have met it");
        for (ConfigOutcome o : all) {
            if (!o.spec().backend().equals("srcu")) {
                assertEquals(List.of(1, 2, 3), o.forkRounds(), o.id() + " met it in the fixed rounds");
            }
        }
        String md = read(run.dir().resolve("summary.md"));
        assertTrue(md.contains("precision ±5% asked for every hit-throughput interval: " + (srcuForks - 3)
                + " extra round(s) after the first 3; every configuration met it"), md);
    }

    /** The cap ends the precision rounds; the report names who did not meet the target, its width and why. */
    @Test
    void aConfigurationThatCannotMeetThePrecisionIsNamedWithItsWidthAndTheCap() {
        BenchRun run = runWith("precision=2\nmax-rounds=5\n", (dir, c, mode, round, profiled) -> {
            calls.add(new Call(c.id(), mode, round));
            boolean noisy = c.backend().cliName().equals("rwlock");
            return new ForkRunner.ForkScore(noisy ? 1e6 * (round % 2 == 0 ? 1.5 : 0.5) : 1e6, 0, 1e4, null, null, null);
        });
        assertEquals(0, run.execute());
        ConfigOutcome rwlock = outcomes(run.dir()).stream().filter(o -> o.spec().backend().equals("rwlock")).findFirst()
                .orElseThrow();
        assertEquals(List.of(1, 2, 3, 4, 5), rwlock.forkRounds());
        String md = read(run.dir().resolve("summary.md"));
        assertTrue(md.matches("(?s).*1 of 3 did not, stopped by the cap of max-rounds=5: " + rwlock.id()
                + " \\(±\\d+(\\.\\d)?% after 5 forks\\).*"), md);
        com.google.gson.JsonObject env = com.google.gson.JsonParser.parseString(read(run.dir().resolve(
                "environment.json"))).getAsJsonObject().getAsJsonObject("precision");
        assertEquals(2, env.get("extraRounds").getAsInt());
        assertEquals(rwlock.id(), env.getAsJsonArray("notMet").get(0).getAsString());
    }

    /** A spent time budget starts no precision round; the fixed rounds always run. */
    @Test
    void aSpentTimeBudgetStartsNoPrecisionRound() {
        BenchRun run = runWith("precision=2\nmax-time=1s\n", (dir, c, mode, round, profiled) -> {
            calls.add(new Call(c.id(), mode, round));
            if (round == 3) {
                try {
                    Thread.sleep(400); // three of these: the budget of 1 s is gone after the fixed rounds
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new ForkRunner.ForkScore(1e6 * (round % 2 == 0 ? 1.5 : 0.5), 0, 1e4, null, null, null);
        });
        assertEquals(0, run.execute());
        assertTrue(calls.stream().allMatch(k -> k.round() <= 3), "no round after the third: " + calls);
        String md = read(run.dir().resolve("summary.md"));
        assertTrue(md.contains("3 of 3 did not, stopped by the time budget max-time=1s"), md);
    }

    @Test
    void badPrecisionSettingsAreRefusedNamingWhatIsValid() {
        for (String bad : List.of("precision=0", "precision=60", "precision=five", "max-time=10", "max-time=-5m",
                "max-rounds=2\nprecision=5")) {
            UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                    () -> Profile.parse("loop", PROFILE + bad + "\n", List.of()).settings(), bad);
            assertTrue(e.getMessage().startsWith("bad value") && e.getMessage().contains("; valid: "), e.getMessage());
        }
        assertEquals(0.025, Profile.parse("loop", PROFILE + "precision=2.5%\n", List.of()).settings().precision()
                .target(), 1e-12);
        assertEquals(7_200_000L, Profile.parse("loop", PROFILE + "max-time=2h\n", List.of()).settings().precision()
                .maxTimeMillis());
    }
}
