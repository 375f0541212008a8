package dev.uprobebench.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import dev.uprobebench.bench.TrialFiles;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.report.ConfigOutcome;
import dev.uprobebench.report.Format;
import dev.uprobebench.report.ConfigSpec;
import dev.uprobebench.report.Estimate;
import dev.uprobebench.report.ForkRecord;
import dev.uprobebench.report.OutcomeJson;
import dev.uprobebench.report.Status;
import dev.uprobebench.report.JmhResults;
import dev.uprobebench.report.ReportFiles;
import dev.uprobebench.report.ReportPages;
import dev.uprobebench.report.Summary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;

/**
 * Runs a profile's {@link RunPlan}: round after round, one forked JVM of every configuration in
 * the round's shuffled order (throughput, plus latency in the first rounds), through JMH's API,
 * and writes the report directory after every fork, so that an interrupted or failed run keeps
 * every finished fork, says how many rounds were complete, and says what is missing.
 */
public final class BenchRun {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final Profile profile;
    private final Path home;
    private final Path reportsRoot;
    private final PrintStream out;
    private final FlameGraphs flames;
    private final ForkRunner forks;
    private final java.util.function.Supplier<dev.uprobebench.registry.HostKernel.Capability> host;
    /** Forks run through JMH (not a test's stand-in): only then does the run take the machine's lock. */
    private final boolean realForks;
    private MachineLock machineLock;
    /** The forks' shared class-data archive, or null (test forks, no jar). */
    private ClassArchive classArchive;
    /** Notes shown in the summary; profiling may add to them during the run. */
    private final List<String> runNotes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Path dir;
    private final List<ConfigOutcome> outcomes = new ArrayList<>();
    private final List<BenchConfig> configs = new ArrayList<>();
    private RunPlan plan;
    /** Rounds in which every configuration ran. */
    private volatile int completeRounds;
    /** Set at a round's end: the next write includes jmh-results.json. */
    private boolean roundJustEnded = true;
    /** Rounds run after the fixed ones for configurations short of the asked precision. */
    private volatile int extraRounds;
    /** What the report says of the asked precision, once the precision rounds are over. */
    private volatile String precisionResult;
    private Summary.Header header;
    private Map<String, Object> env;
    /** Every finished run's JMH results, in configuration order (jmh-results.json). */
    private final JsonArray jmhResults = new JsonArray();
    /** The configuration running now, whose finished runs an interruption still keeps. */
    private volatile BenchConfig running;
    /** Set once, under this object's lock, by {@link #claimEnd()}. */
    private boolean finished;
    /** The exit code of a run whose end the shutdown hook claimed (128 + SIGINT). */
    static final int INTERRUPTED = 130;

    public BenchRun(Profile profile, Path home, Path reportsRoot, PrintStream out) {
        this(profile, home, reportsRoot, out, null);
    }

    /** With {@code forks} in place of JMH (tests); null runs JMH. */
    BenchRun(Profile profile, Path home, Path reportsRoot, PrintStream out, ForkRunner forks) {
        this(profile, home, reportsRoot, out, forks, null);
    }

    /** As above, with the host's capability for real uprobes given (tests); null asks the host. */
    BenchRun(Profile profile, Path home, Path reportsRoot, PrintStream out, ForkRunner forks,
            java.util.function.Supplier<dev.uprobebench.registry.HostKernel.Capability> host) {
        this.host = host;
        this.profile = profile;
        this.home = home;
        this.reportsRoot = reportsRoot;
        this.out = out;
        this.flames = new FlameGraphs(profile, out);
        this.forks = forks != null ? forks : this::jmhFork;
        this.realForks = forks == null;
    }

    /** The report directory (after {@link #execute()} started). */
    public Path dir() {
        return dir;
    }

    /** Runs everything; returns the exit code: 0 clean, 3 invariant violations, 1 a run failed. */
    public int execute() {
        CpuTopology topology = CpuTopology.read();
        plan = host == null ? RunPlan.of(profile, topology)
                : RunPlan.of(ConfigPlanner.expand(profile, topology, host), profile, host);
        configs.addAll(plan.configs());
        List<Doctor.Finding> doctor = Doctor.forThisMachine().examine();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        dir = reportsRoot.resolve(stamp + "-" + profile.name());
        try {
            Files.createDirectories(dir.resolve("jmh"));
            Files.createDirectories(dir.resolve("latency"));
            Files.createDirectories(dir.resolve("raw"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create report directory " + dir + ": " + e.getMessage(), e);
        }
        for (BenchConfig c : configs) {
            outcomes.add(ConfigOutcome.pending(specOf(c, c.threads() > topology.logicalCpus())));
        }
        for (ConfigPlanner.Skipped k : plan.skipped()) { // after the planned ones: indices stay the configs'
            outcomes.add(ConfigOutcome.pending(specOf(k.config(), false)).withStatus(Status.SKIPPED, k.reason()));
        }
        env = Environment.collect(topology, doctor, home);
        env.put("pinningPolicy", profile.settings().pinning().cliName());
        List<String> warnings = doctor.stream().filter(f -> f.level().equals("warn"))
                .map(f -> f.check() + ": " + f.seen()).collect(Collectors.toList());
        if (realForks) {
            machineLock = MachineLock.take(Path.of(System.getProperty("java.io.tmpdir"), "uprobe-bench.lock"),
                    "pid " + ProcessHandle.current().pid() + ", profile " + profile.name() + ", started " + stamp);
            if (machineLock.otherRun() != null) {
                warnings.add("another benchmark run: " + machineLock.otherRun() + " was running on this machine when "
                        + "this one started; both pin threads to the same cores, so neither's numbers are clean");
            }
        }
        runNotes.addAll(plan.notes());
        if (realForks) {
            classArchive = ClassArchive.forHome(home);
            if (classArchive != null) {
                runNotes.add("forks share a class-data archive of the harness's classes (dynamic AppCDS, classes "
                        + "only, no method profiles: the forks stay independent), " + classArchive.file().getFileName()
                        + (classArchive.current() ? "" : ", made by the run's first fork as it exits"));
            }
        }
        flames.prepare();
        runNotes.addAll(flames.notes());
        env.put("profiler", flames.enabled() ? "async-profiler 4.5, event " + flames.event()
                : profile.settings().profiling() ? "off: " + String.join("; ", flames.notes()) : "not requested");
        header = new Summary.Header(profile.name(), profile.question(), stamp, env.get("cpuModel") + ", "
                + topology.describe() + ", " + env.get("kernel"), String.valueOf(env.get("jvm")),
                pinningText(), "", warnings, runNotes, "running");
        header = header.withRounds(roundsText());
        env.put("rounds", plan.rounds());
        env.put("latencyRounds", plan.latencyRounds());
        env.put("seed", plan.seed());
        env.put("reportFormat", ConfigOutcome.REPORT_FORMAT);
        write("profile.properties", profile.toProperties());
        writeResults(); // environment.json too, and again whenever a pinning map comes in
        Thread hook = new Thread(this::onInterrupt, "report-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);

        out.printf(Locale.ROOT, "profile %s: %d configurations x %d rounds on %s, pinning=%s, seed %d%n",
                profile.name(), configs.size(), plan.rounds(), topology.describe(), profile.settings().pinning().cliName(),
                plan.seed());
        warnings.forEach(w -> out.println("warning: " + w + " (see ./run-bench.sh doctor)"));
        try {
            return runAll(hook);
        } catch (RuntimeException e) {
            stopped(hook, e);
            throw e;
        } finally {
            if (machineLock != null) {
                machineLock.close();
            }
        }
    }

    /** A failure that ends the run (a full disk, say): mark what did not run, keep what did. */
    private synchronized void stopped(Thread hook, RuntimeException e) {
        if (!claimEnd()) {
            return; // interrupted first: the report already says so
        }
        markPending("the run stopped before this configuration: " + rootMessage(e));
        header = header.withState("stopped after " + completeRounds + " of " + plan.rounds() + " complete rounds: "
                + rootMessage(e)).withRounds(roundsText());
        keepRunning();
        try {
            roundJustEnded = true; // what finished, jmh-results.json included
            writeResults();
        } catch (RuntimeException again) {
            // the same failure, most likely; the caller reports it
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
    }

    private int runAll(Thread hook) {
        long started = System.currentTimeMillis();
        int rounds = plan.rounds();
        Progress progress = new Progress(started, rounds * configs.size());
        List<List<Integer>> schedule = plan.schedule();
        for (int round = 1; round <= rounds; round++) {
            runRound(round, rounds, schedule.get(round - 1), progress);
            completeRounds = round;
            header = header.withRounds(roundsText());
            synchronized (this) {
                roundJustEnded = true;
            }
        }
        ProfileSettings.Precision precision = profile.settings().precision();
        if (precision.on()) {
            precisionRounds(precision, progress);
        }
        List<ConfigOutcome> withDiffs = flames.writeDiffs(dir, List.copyOf(outcomes));
        synchronized (this) {
            for (int i = 0; i < withDiffs.size(); i++) {
                outcomes.set(i, withDiffs.get(i));
            }
        }
        long failures = outcomes.stream().filter(o -> o.status() == Status.FAILED).count();
        synchronized (this) {
            if (!claimEnd()) {
                out.println("interrupted: the report in " + dir + " says so");
                return INTERRUPTED;
            }
            header = header.withState(failures == 0 ? "complete" : "complete with " + failures + " failed configuration(s)");
            out.println("drawing plots ...");
            writeResults(true);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
        long violations = outcomes.stream().mapToLong(o -> o.totals().violations()).sum();
        out.printf(Locale.ROOT, "wall time %s%n", duration(System.currentTimeMillis() - started));
        out.println("summary: " + dir.resolve("summary.md"));
        out.println("page: " + dir.resolve("index.html"));
        out.println("report: " + dir);
        if (failures > 0) {
            return 1;
        }
        return violations > 0 ? 3 : 0;
    }

    /** Forks done and to do, for the "about ... left" line. */
    private static final class Progress {
        final long started;
        int total;
        int done;

        Progress(long started, int total) {
            this.started = started;
            this.total = total;
        }
    }

    /** One round: a fork of each configuration in {@code order} (a failed one is not run again). */
    private void runRound(int round, int rounds, List<Integer> order, Progress progress) {
        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            BenchConfig c = configs.get(i);
            if (outcomes.get(i).status() == Status.FAILED) {
                progress.done++;
                continue; // a configuration that failed once is not run again
            }
            long elapsed = System.currentTimeMillis() - progress.started;
            long left = progress.done == 0 ? plan.estimateMillis(progress.total - progress.done)
                    : elapsed * (progress.total - progress.done) / progress.done;
            out.printf(Locale.ROOT, "[round %d/%d, %d/%d] %s (about %s left)%n", round, rounds, k + 1,
                    order.size(), c.describe(), duration(left));
            running = c;
            ConfigOutcome o = runFork(c, outcomes.get(i), round);
            synchronized (this) {
                outcomes.set(i, o);
            }
            addJmhResults(c, round);
            running = null;
            progress.done++;
            if (o.status() == Status.FAILED) {
                out.println("  FAILED: " + o.message());
            } else {
                ForkRecord last = o.forks().get(o.forks().size() - 1);
                out.printf(Locale.ROOT, "  hits %s/s, writer ops %s/s, %s%n", Format.rate(last.hitsPerSec()),
                        c.writers() == 0 ? "-" : Format.rate(last.writerOpsPerSec()),
                        o.qualifiers().isEmpty() ? "valid" : String.join("; ", o.qualifiers()));
            }
            writeResults();
        }
    }

    /**
     * Precision-driven rounds: after the fixed ones, a round of every configuration whose 95%
     * hit-throughput interval is still wider than the target either side, in a shuffled order
     * (seeded from the run's seed and the round), until none is, the cap on rounds is reached or
     * the time budget is spent. The report says which configurations did not reach the target and
     * why (the cap, the time, a failure).
     */
    private void precisionRounds(ProfileSettings.Precision precision, Progress progress) {
        String stop = null;
        int round = plan.rounds();
        List<Integer> wide;
        while (true) {
            wide = wide(precision.target());
            if (wide.isEmpty()) {
                break;
            }
            if (round >= precision.maxRounds()) {
                stop = "the cap of max-rounds=" + precision.maxRounds();
                break;
            }
            long elapsed = System.currentTimeMillis() - progress.started;
            if (precision.maxTimeMillis() > 0 && elapsed >= precision.maxTimeMillis()) {
                stop = "the time budget max-time=" + profile.get("max-time") + " (" + duration(elapsed) + " spent)";
                break;
            }
            round++;
            java.util.Collections.shuffle(wide, new java.util.Random(plan.seed() * 31 + round));
            progress.total += wide.size();
            out.printf(Locale.ROOT, "precision ±%s: round %d for %d configuration(s) still wider%n",
                    Format.percent(precision.target()), round, wide.size());
            runRound(round, precision.maxRounds(), wide, progress);
            extraRounds = round - plan.rounds();
            header = header.withRounds(roundsText());
        }
        precisionResult = precisionText(precision, stop, wide); // what was still wide when the rounds stopped
        runNotes.add(precisionResult);
        header = header.withRounds(roundsText());
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("target", precision.target());
        p.put("maxRounds", precision.maxRounds());
        p.put("maxTimeMillis", precision.maxTimeMillis());
        p.put("extraRounds", extraRounds);
        p.put("notMet", wide.stream().map(i -> configs.get(i).id()).toList());
        p.put("stoppedBy", stop == null ? "met" : stop);
        env.put("precision", p);
    }

    /** The configurations (not failed) whose interval is wider than {@code target} either side, or has none. */
    private List<Integer> wide(double target) {
        List<Integer> wide = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            ConfigOutcome o = outcomes.get(i);
            if (o.status() == Status.FAILED) {
                continue;
            }
            Estimate e = Estimate.of(o.forkHitsPerSec());
            if (!(e.relativeHalfWidth() <= target)) {
                wide.add(i);
            }
        }
        return wide;
    }

    /** What the report says of the precision asked for: met, or which configurations did not and why. */
    private String precisionText(ProfileSettings.Precision precision, String stop, List<Integer> notMet) {
        long failed = outcomes.subList(0, configs.size()).stream().filter(o -> o.status() == Status.FAILED).count();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "precision ±%s asked for every hit-throughput "
                + "interval: %d extra round(s) after the first %d; ", Format.percent(precision.target()), extraRounds,
                plan.rounds()));
        if (notMet.isEmpty()) {
            sb.append("every configuration").append(failed > 0 ? " that did not fail" : "").append(" met it");
        } else {
            sb.append(notMet.size()).append(" of ").append(configs.size()).append(" did not, stopped by ").append(stop)
                    .append(": ");
            for (int k = 0; k < notMet.size(); k++) {
                ConfigOutcome o = outcomes.get(notMet.get(k));
                Estimate e = Estimate.of(o.forkHitsPerSec());
                sb.append(k == 0 ? "" : ", ").append(o.id()).append(String.format(Locale.ROOT, " (±%s after %d forks)",
                        Double.isFinite(e.relativeHalfWidth()) ? Format.percent(e.relativeHalfWidth()) : "?", e.n()));
            }
        }
        if (failed > 0) {
            sb.append("; ").append(failed).append(" failed configuration(s) were not run again");
        }
        return sb.toString();
    }

    /** "3 of 3 complete, seed 42; order shuffled per round; latency in round 1" */
    private String roundsText() {
        ProfileSettings.Precision p = profile.settings().precision();
        return String.format(Locale.ROOT, "%d of %d complete (one fork of every configuration per round, order "
                + "shuffled per round, seed %d); hit latency measured in the first %d round(s)%s%s", completeRounds,
                plan.rounds(), plan.seed(), plan.latencyRounds(),
                flames.enabled() ? "; flame graphs from round 1" : "",
                !p.on() ? "" : String.format(Locale.ROOT, "; then %d precision round(s) (target ±%s, at most %d rounds%s)"
                        + "%s", extraRounds, Format.percent(p.target()), p.maxRounds(), p.maxTimeMillis() > 0
                        ? ", at most " + profile.get("max-time") : "", precisionResult == null ? ", running" : ""));
    }

    private String pinningText() {
        String p = profile.settings().pinning().cliName();
        switch (p) {
            case "none":
                return "none: threads were NOT pinned; every result is labelled UNPINNED";
            case "smt":
                return "smt: one thread per logical CPU, physical cores first, then SMT siblings";
            default:
                return "physical: one thread per physical core, readers first, then writers; SMT siblings idle";
        }
    }

    /**
     * Ends the run for the caller: true once, for the first of the main thread (complete, or
     * stopped by a failure) and the shutdown hook (interrupted). Whoever loses writes nothing, so
     * a finished report is never rewritten as interrupted, nor an interrupted one as complete.
     */
    private synchronized boolean claimEnd() {
        if (finished) {
            return false;
        }
        finished = true;
        return true;
    }

    /** What the shutdown hook does when the run is interrupted: mark, keep, write. */
    synchronized void onInterrupt() {
        if (!claimEnd()) {
            return;
        }
        markPending("the run was interrupted before this configuration finished a fork");
        header = header.withState("interrupted after " + completeRounds + " of " + plan.rounds()
                + " complete rounds; every finished fork is kept").withRounds(roundsText());
        keepRunning();
        try {
            writeResults(true);
            System.err.println("interrupted: what finished is in " + dir);
        } catch (RuntimeException e) {
            System.err.println("interrupted, and the report could not be completed: " + e.getMessage());
        }
    }

    /** Marks every configuration that has not finished a fork as interrupted, saying why. */
    private void markPending(String why) {
        outcomes.replaceAll(o -> o.status() == Status.PENDING ? o.withStatus(Status.INTERRUPTED, why) : o);
    }

    /** What the report calls configuration {@code c}. */
    static ConfigSpec specOf(BenchConfig c, boolean oversubscribed) {
        boolean uret = c.hasUretprobes();
        return new ConfigSpec(c.id(), c.backendKey(), c.configKey(), c.label(), c.scenario(), c.backend().cliName(),
                c.rcuFlavour() == null ? null : c.rcuFlavour().cliName(), c.readers(), c.writers(), c.churn(),
                c.stable(), c.distribution(), c.handlerWork(), c.vma().label(), c.mmWriters(), c.mmChurn(),
                uret ? c.uret() : null, uret ? c.uretDuration() : null, uret ? c.riAlloc() : null,
                c.pins().policy().cliName(), oversubscribed, !c.backend().safe());
    }

    static String duration(long millis) {
        long s = TimeUnit.MILLISECONDS.toSeconds(millis);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /**
     * One round of a configuration: one throughput fork, and one latency fork in the latency
     * rounds; returns the configuration's result with the fork (or the failure) in it.
     */
    private ConfigOutcome runFork(BenchConfig c, ConfigOutcome before, int round) {
        ConfigOutcome o = before;
        try {
            Scored scored = runThroughput(c, round);
            ForkRunner.ForkScore r = scored.score();
            o = o.withFork(new ForkRecord(round, r.hitsPerSec(), c.writers() == 0 ? 0 : r.writerOpsPerSec(),
                    r.hitsJmhError(), r.missesPerIteration(), r.retriesPerIteration(), r.allocBytesPerOp(),
                    scored.profiled()));
            if (round <= plan.latencyRounds()) {
                forks.run(dir, c, "latency", round, false);
            }
            o = o.withTotals(TrialCollector.collect(dir, c));
            if (round == 1 && flames.enabled()) {
                try {
                    o = flames.render(dir, c, o);
                    String kernel = c.isKernel() ? flames.kernelFrames(dir, o) : null;
                    if (kernel != null) {
                        runNotes.add(kernel);
                    }
                } catch (IOException | RuntimeException e) {
                    o = o.withProblem("flame graph conversion failed: " + rootMessage(e));
                }
            }
            return o.withStatus(Status.OK, null);
        } catch (RunnerException | RuntimeException e) {
            o = o.withStatus(Status.FAILED, "round " + round + ": " + rootMessage(e));
            try {
                return o.withTotals(TrialCollector.collect(dir, c)); // what the trials recorded before the failure
            } catch (IOException | RuntimeException again) {
                return o.withProblem("could not read the partial trial records: " + again.getMessage());
            }
        } catch (IOException e) {
            return o.withStatus(Status.FAILED, "cannot write or read results: " + e.getMessage());
        }
    }

    private static double score(RunResult r, String label) {
        Result<?> res = r.getSecondaryResults().get(label);
        if (res == null || !Double.isFinite(res.getScore())) {
            throw new IllegalStateException("JMH returned no '" + label + "' score for " + r.getParams().getBenchmark());
        }
        return res.getScore();
    }

    private static double error(RunResult r, String label) {
        Result<?> res = r.getSecondaryResults().get(label);
        return res == null ? Double.NaN : res.getScoreError();
    }

    private static Double optional(RunResult r, String label) {
        Result<?> res = r.getSecondaryResults().get(label);
        return res == null || !Double.isFinite(res.getScore()) ? null : res.getScore();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (t == e ? "" : t.getClass().getSimpleName() + ": ") + (m == null ? t.toString() : m.split("\n")[0]);
    }

    /** A throughput fork's score, and whether a profiler ran in it (then it is not in the estimate). */
    private record Scored(ForkRunner.ForkScore score, boolean profiled) {
    }

    /** The throughput fork, profiled in round 1 when profiling is on; a profiler that breaks it is dropped. */
    private Scored runThroughput(BenchConfig c, int round) throws RunnerException {
        if (round != 1 || !flames.enabled()) {
            return new Scored(forks.run(dir, c, "throughput", round, false), false);
        }
        try {
            return new Scored(forks.run(dir, c, "throughput", round, true), true);
        } catch (RunnerException | RuntimeException e) {
            ForkRunner.ForkScore r = forks.run(dir, c, "throughput", round, false); // again without the profiler
            runNotes.add(flames.disable(rootMessage(e)));
            out.println("  " + runNotes.get(runNotes.size() - 1));
            return new Scored(r, false);
        }
    }

    /** One fork of {@code mode} for {@code c} through JMH's API, with the options the plan gives. */
    private ForkRunner.ForkScore jmhFork(Path dir, BenchConfig c, String mode, int round, boolean profiled)
            throws RunnerException {
        Path raw = dir.resolve("raw").resolve(c.id()).resolve(mode);
        String file = c.id() + "-" + mode + "-r" + round;
        ChainedOptionsBuilder b = plan.options(c, mode, raw, classArchive == null ? List.of()
                : classArchive.argsForNextFork())
                .resultFormat(ResultFormatType.JSON)
                .result(dir.resolve("jmh").resolve(file + ".json").toString())
                .output(dir.resolve("jmh").resolve(file + ".log").toString());
        if (profiled) {
            flames.attach(b, dir, c);
        }
        Collection<RunResult> results;
        try {
            results = new Runner(b.build()).run();
        } catch (RunnerException e) {
            // JMH says "Benchmark error"; the fork's own output says why.
            String why = ForkLog.failure(dir.resolve("jmh").resolve(file + ".log"));
            if (why == null) {
                throw e;
            }
            RunnerException named = new RunnerException(why);
            named.addSuppressed(e);
            throw named;
        }
        if (results.size() != 1) {
            String why = ForkLog.failure(dir.resolve("jmh").resolve(file + ".log"));
            throw new IllegalStateException(why != null ? why
                    : "JMH returned " + results.size() + " results for one fork of " + file);
        }
        RunResult r = results.iterator().next();
        if (mode.equals("latency")) {
            return new ForkRunner.ForkScore(Double.NaN, Double.NaN, Double.NaN, null, null, null);
        }
        String[] labels = RunPlan.scoreLabels(c);
        return new ForkRunner.ForkScore(score(r, labels[0]), c.writers() == 0 ? 0 : score(r, labels[1]),
                error(r, labels[0]), optional(r, "misses"), optional(r, "retries"), optional(r, "gc.alloc.rate.norm"));
    }

    /** Keeps the finished runs of the configuration that an interruption or failure cut off. */
    private void keepRunning() {
        BenchConfig c = running;
        if (c != null) {
            running = null;
            addJmhResults(c, completeRounds + 1);
        }
    }

    /** Adds a configuration's finished JMH results of one round to what jmh-results.json holds. */
    private synchronized void addJmhResults(BenchConfig c, int round) {
        for (String mode : List.of("throughput", "latency")) {
            Path f = dir.resolve("jmh").resolve(c.id() + "-" + mode + "-r" + round + ".json");
            try {
                if (Files.exists(f) && Files.size(f) > 0) {
                    JmhResults.read(f).forEach(jmhResults::add);
                }
            } catch (IOException | RuntimeException e) {
                // a run cut off mid-write leaves no valid JSON; the summary lists it as missing
            }
        }
    }

    /** Rewrites jmh-results.json, invariants.json and summary.md from what has finished. */
    private void writeResults() {
        writeResults(false);
    }

    /**
     * As {@link #writeResults()}, and with plots (at the end, and on interrupt). jmh-results.json,
     * every fork's JMH results in one file, grows with the run, so it is written at the end, on
     * interrupt and once per round, not after every fork (each fork's own JMH file is in jmh/ as
     * soon as it finishes).
     */
    private synchronized void writeResults(boolean withPlots) {
        if (withPlots || roundJustEnded) {
            write("jmh-results.json", GSON.toJson(jmhResults));
            roundJustEnded = false;
        }
        write("invariants.json", OutcomeJson.write(outcomes));
        Map<String, Object> pins = new java.util.LinkedHashMap<>();
        for (ConfigOutcome o : outcomes) {
            if (!o.totals().pinMap().isEmpty()) {
                pins.put(o.id(), o.totals().pinMap());
            }
        }
        env.put("pinningMaps", pins);
        write("environment.json", GSON.toJson(env));
        ReportPages.write(dir, header, List.copyOf(outcomes), withPlots);
    }

    private void write(String name, String text) {
        ReportFiles.writeAtomically(dir.resolve(name), text);
    }
}
