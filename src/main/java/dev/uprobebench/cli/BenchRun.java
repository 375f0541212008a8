package dev.uprobebench.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import dev.uprobebench.bench.TrialFiles;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.report.ConfigOutcome;
import dev.uprobebench.report.JmhResults;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs a profile: every configuration through JMH (throughput, then latency when on), each in its
 * own forked JVMs, and writes the report directory as each one finishes, so that an interrupted or
 * failed run keeps what it finished and says what is missing.
 */
public final class BenchRun {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    private static final String BENCH = "dev.uprobebench.bench.ChurnBenchmark.";
    /** JVM start, JIT and setup per JMH run, for the time estimate. */
    private static final long RUN_OVERHEAD_MILLIS = 3500;

    private final Profile profile;
    private final Path home;
    private final Path reportsRoot;
    private final PrintStream out;
    private final FlameGraphs flames;
    /** Notes shown in the summary; profiling may add to them during the run. */
    private final List<String> runNotes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Path dir;
    private final List<ConfigOutcome> outcomes = new ArrayList<>();
    private final List<BenchConfig> configs = new ArrayList<>();
    private Summary.Header header;
    private Map<String, Object> env;
    /** Every finished run's JMH results, in configuration order (jmh-results.json). */
    private final JsonArray jmhResults = new JsonArray();
    /** The configuration running now, whose finished runs an interruption still keeps. */
    private volatile BenchConfig running;
    private volatile boolean finished;

    public BenchRun(Profile profile, Path home, Path reportsRoot, PrintStream out) {
        this.profile = profile;
        this.home = home;
        this.reportsRoot = reportsRoot;
        this.out = out;
        this.flames = new FlameGraphs(profile, out);
    }

    /** The report directory (after {@link #execute()} started). */
    public Path dir() {
        return dir;
    }

    /** Runs everything; returns the exit code: 0 clean, 3 invariant violations, 1 a run failed. */
    public int execute() {
        CpuTopology topology = CpuTopology.read();
        ConfigPlanner.Expansion expansion = ConfigPlanner.expand(profile, topology);
        configs.addAll(expansion.configs());
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
            ConfigOutcome o = outcomeOf(c);
            o.oversubscribed = c.readers() + c.writers() > topology.logicalCpus();
            outcomes.add(o);
        }
        env = Environment.collect(topology, doctor, home);
        env.put("pinningPolicy", profile.get("pinning"));
        List<String> warnings = doctor.stream().filter(f -> f.level().equals("warn"))
                .map(f -> f.check() + ": " + f.seen()).collect(Collectors.toList());
        runNotes.addAll(expansion.notes());
        flames.prepare();
        runNotes.addAll(flames.notes());
        env.put("profiler", flames.enabled() ? "async-profiler 4.5, event " + flames.event()
                : profile.bool("profiling") ? "off: " + String.join("; ", flames.notes()) : "not requested");
        header = new Summary.Header(profile.name(), profile.question(), stamp, env.get("cpuModel") + ", "
                + topology.describe() + ", " + env.get("kernel"), String.valueOf(env.get("jvm")),
                pinningText(), warnings, runNotes, "running");
        write("profile.properties", profile.toProperties());
        writeResults(); // environment.json too, and again whenever a pinning map comes in
        Thread hook = new Thread(this::onInterrupt, "report-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);

        out.printf(Locale.ROOT, "profile %s: %d configurations on %s, pinning=%s%n", profile.name(), configs.size(),
                topology.describe(), profile.get("pinning"));
        warnings.forEach(w -> out.println("warning: " + w + " (see ./run-bench.sh doctor)"));
        try {
            return runAll(hook);
        } catch (RuntimeException e) {
            stopped(hook, e);
            throw e;
        }
    }

    /** A failure that ends the run (a full disk, say): mark what did not run, keep what did. */
    private void stopped(Thread hook, RuntimeException e) {
        finished = true;
        String why = rootMessage(e);
        for (ConfigOutcome o : outcomes) {
            if (ConfigOutcome.PENDING.equals(o.status)) {
                o.status = ConfigOutcome.INTERRUPTED;
                o.message = "the run stopped before this configuration: " + why;
            }
        }
        header = withState("stopped: " + why);
        keepRunning();
        try {
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
        long estimatedDone = 0;
        int failures = 0;
        for (int i = 0; i < configs.size(); i++) {
            BenchConfig c = configs.get(i);
            ConfigOutcome o = outcomes.get(i);
            long remaining = estimateMillis(configs.size() - i);
            double calibration = estimatedDone > 0 ? (System.currentTimeMillis() - started) / (double) estimatedDone : 1;
            out.printf(Locale.ROOT, "[%d/%d] %s (about %s left)%n", i + 1, configs.size(), c.describe(),
                    duration((long) (remaining * calibration)));
            running = c;
            runConfig(c, o);
            addJmhResults(c);
            running = null;
            estimatedDone += estimateMillis(1);
            if (!ConfigOutcome.OK.equals(o.status)) {
                failures++;
                out.println("  FAILED: " + o.message);
            } else {
                out.printf(Locale.ROOT, "  hits %s/s, writer ops %s/s, %s%n", Summary.rate(o.hitsPerSec),
                        o.writers == 0 ? "-" : Summary.rate(o.writerOpsPerSec), Summary.verdict(o).replace("**", ""));
            }
            writeResults();
        }
        flames.writeDiffs(dir, outcomes);
        finished = true;
        header = withState(failures == 0 ? "complete" : "complete with " + failures + " failed configuration(s)");
        out.println("drawing plots ...");
        writeResults(true);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
        long violations = outcomes.stream().mapToLong(o -> o.violations).sum();
        out.println("summary: " + dir.resolve("summary.md"));
        out.println("page: " + dir.resolve("index.html"));
        out.println("report: " + dir);
        if (failures > 0) {
            return 1;
        }
        return violations > 0 ? 3 : 0;
    }

    private String pinningText() {
        String p = profile.get("pinning");
        switch (p) {
            case "none":
                return "none: threads were NOT pinned; every result is labelled UNPINNED";
            case "smt":
                return "smt: one thread per logical CPU, physical cores first, then SMT siblings";
            default:
                return "physical: one thread per physical core, readers first, then writers; SMT siblings idle";
        }
    }

    private Summary.Header withState(String state) {
        Summary.Header h = header;
        return new Summary.Header(h.profile(), h.question(), h.started(), h.machine(), h.jvm(), h.pinning(),
                h.warnings(), h.notes(), state);
    }

    private void onInterrupt() {
        if (finished) {
            return;
        }
        for (ConfigOutcome o : outcomes) {
            if (ConfigOutcome.PENDING.equals(o.status)) {
                o.status = ConfigOutcome.INTERRUPTED;
                o.message = "the run was interrupted before this configuration finished";
            }
        }
        header = withState("interrupted");
        keepRunning();
        try {
            writeResults(true);
            System.err.println("interrupted: what finished is in " + dir);
        } catch (RuntimeException e) {
            System.err.println("interrupted, and the report could not be completed: " + e.getMessage());
        }
    }

    private ConfigOutcome outcomeOf(BenchConfig c) {
        ConfigOutcome o = new ConfigOutcome();
        o.id = c.id();
        o.backendKey = c.backendKey();
        o.configKey = c.configKey();
        o.label = c.label();
        o.scenario = c.scenario();
        o.backend = c.backend().cliName();
        o.rcuFlavour = c.rcuFlavour();
        o.readers = c.readers();
        o.writers = c.writers();
        o.churn = c.churn();
        o.stable = c.stable();
        o.distribution = c.distribution();
        o.handlerWork = c.handlerWork();
        o.pinPolicy = c.pins().policy().cliName();
        o.negativeControl = !c.backend().safe();
        return o;
    }

    private long estimateMillis(int configCount) {
        return estimateMillis(profile, configCount);
    }

    /** Rough wall time of {@code configCount} configurations of {@code profile}. */
    static long estimateMillis(Profile profile, int configCount) {
        long perRun = RUN_OVERHEAD_MILLIS + profile.intValue("forks")
                * (profile.intValue("warmup-iterations") * profile.millis("warmup-time")
                + profile.intValue("measurement-iterations") * profile.millis("measurement-time"));
        int runs = profile.bool("latency") ? 2 : 1;
        return configCount * runs * perRun;
    }

    static String duration(long millis) {
        long s = TimeUnit.MILLISECONDS.toSeconds(millis);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private void runConfig(BenchConfig c, ConfigOutcome o) {
        try {
            runThroughput(c, o);
            if (profile.bool("latency")) {
                runMode(c, o, "latency", false);
            }
            TrialCollector.collect(dir, c, o);
            if (flames.enabled()) {
                try {
                    flames.convert(dir, c, o);
                } catch (IOException | RuntimeException e) {
                    o.problems.add("flame graph conversion failed: " + rootMessage(e));
                }
            }
            o.status = ConfigOutcome.OK;
        } catch (RunnerException | RuntimeException e) {
            o.status = ConfigOutcome.FAILED;
            o.message = rootMessage(e);
            try {
                TrialCollector.collect(dir, c, o); // keep what the trials recorded before the failure
            } catch (IOException | RuntimeException ignored) {
                o.problems.add("could not read the partial trial records: " + ignored.getMessage());
            }
        } catch (IOException e) {
            o.status = ConfigOutcome.FAILED;
            o.message = "cannot write or read results: " + e.getMessage();
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (t == e ? "" : t.getClass().getSimpleName() + ": ") + (m == null ? t.toString() : m.split("\n")[0]);
    }

    /** The throughput run, profiled when profiling is on; a profiler that breaks it is dropped. */
    private void runThroughput(BenchConfig c, ConfigOutcome o) throws RunnerException {
        if (!flames.enabled()) {
            runMode(c, o, "throughput", false);
            return;
        }
        try {
            runMode(c, o, "throughput", true);
        } catch (RunnerException | RuntimeException e) {
            runMode(c, o, "throughput", false); // again without the profiler; if this fails too, so be it
            runNotes.add(flames.disable(rootMessage(e)));
            out.println("  " + runNotes.get(runNotes.size() - 1));
        }
    }

    private void runMode(BenchConfig c, ConfigOutcome o, String mode, boolean profiled) throws RunnerException {
        Path raw = dir.resolve("raw").resolve(c.id()).resolve(mode);
        List<String> jvmArgs = new ArrayList<>();
        for (String a : profile.get("jvm-args").split("\\s+")) {
            if (!a.isEmpty()) {
                jvmArgs.add(a);
            }
        }
        jvmArgs.add("-D" + TrialFiles.OUT_PROPERTY + "=" + raw.toAbsolutePath());
        jvmArgs.add("-D" + TrialFiles.PIN_PROPERTY + "=" + c.pins().encode());
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + BENCH.replace(".", "\\.") + mode + "$")
                .threadGroups(c.readers(), c.writers())
                .param("backend", c.backend().cliName())
                .param("stable", Integer.toString(c.stable()))
                .param("churnKeys", profile.get("churn-keys"))
                .param("churnRate", c.churn())
                .param("churnReadFraction", c.writers() == 0 ? "0" : profile.get("churn-read-fraction"))
                .param("distribution", c.distribution())
                .param("zipfExponent", profile.get("zipf-exponent"))
                .param("handlerWork", Long.toString(c.handlerWork()))
                .param("syncEvery", profile.get("sync-every"))
                .param("rcuFlavour", c.rcuFlavour().equals("-") ? "qsbr" : c.rcuFlavour())
                .warmupIterations(profile.intValue("warmup-iterations"))
                .warmupTime(TimeValue.milliseconds(profile.millis("warmup-time")))
                .measurementIterations(profile.intValue("measurement-iterations"))
                .measurementTime(TimeValue.milliseconds(profile.millis("measurement-time")))
                .forks(profile.intValue("forks"))
                .jvmArgsAppend(jvmArgs.toArray(new String[0]))
                .resultFormat(ResultFormatType.JSON)
                .result(dir.resolve("jmh").resolve(c.id() + "-" + mode + ".json").toString())
                .output(dir.resolve("jmh").resolve(c.id() + "-" + mode + ".log").toString())
                .shouldFailOnError(true);
        if (profile.bool("gc-profiler") && mode.equals("throughput")) {
            b.addProfiler(GCProfiler.class);
        }
        if (profiled) {
            flames.attach(b, dir, c);
        }
        new Runner(b.build()).run();
    }

    /** Keeps the finished runs of the configuration that an interruption or failure cut off. */
    private void keepRunning() {
        BenchConfig c = running;
        if (c != null) {
            running = null;
            addJmhResults(c);
        }
    }

    /** Adds a configuration's finished JMH results to what jmh-results.json holds. */
    private synchronized void addJmhResults(BenchConfig c) {
        for (String mode : List.of("throughput", "latency")) {
            Path f = dir.resolve("jmh").resolve(c.id() + "-" + mode + ".json");
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

    /** As {@link #writeResults()}, and with plots and index.html (at the end, and on interrupt). */
    private synchronized void writeResults(boolean withPlots) {
        write("jmh-results.json", GSON.toJson(jmhResults));
        write("invariants.json", GSON.toJson(outcomes));
        Map<String, Object> pins = new java.util.LinkedHashMap<>();
        for (ConfigOutcome o : outcomes) {
            if (!o.pinMap.isEmpty()) {
                pins.put(o.id, o.pinMap);
            }
        }
        env.put("pinningMaps", pins);
        write("environment.json", GSON.toJson(env));
        ReportPages.write(dir, header, outcomes, withPlots);
    }

    private void write(String name, String text) {
        ReportPages.writeAtomically(dir.resolve(name), text);
    }
}
