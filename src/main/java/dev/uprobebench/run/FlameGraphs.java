package dev.uprobebench.run;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.report.ConfigOutcome;
import dev.uprobebench.report.ConfigSpec;
import dev.uprobebench.report.FlameConverter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import one.profiler.AsyncProfiler;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;

/**
 * CPU flame graphs with async-profiler, and differential flame graphs against the baseline
 * ({@code rwlock}) with its converter ({@link FlameConverter}).
 *
 * <ul>
 *   <li>The native library ships inside the {@code tools.profiler:async-profiler} jar; it is
 *       extracted for this platform at run time (JMH's {@code -prof async} only loads a path).</li>
 *   <li>The event is chosen by starting the profiler once in this JVM: {@code cpu} (perf events)
 *       where the kernel allows it, else {@code itimer}; a profiler that cannot start at all turns
 *       profiling off for the run, and the report says why. The numbers stand either way.</li>
 *   <li>JMH's async-profiler integration records the measurement iterations only (not warm-up)
 *       to JFR, with lock contention as a secondary event; the converter turns it into
 *       {@code flamegraphs/<backend>-<config>.html}, the collapsed stacks, a lock profile where
 *       there were lock events, and {@code flamegraphs/diff-<backend>-vs-rwlock-<config>.html}.</li>
 * </ul>
 */
final class FlameGraphs {
    private static final String LIB = "libasyncProfiler.so";

    private final boolean wanted;
    private final String requestedEvent;
    private final PrintStream out;
    private final List<String> notes = new ArrayList<>();
    private Path library;
    private String event;

    FlameGraphs(Profile profile, PrintStream out) {
        this.wanted = profile.settings().profiling();
        this.requestedEvent = profile.settings().profilerEvent();
        this.out = out;
    }

    boolean enabled() {
        return library != null && event != null;
    }

    String event() {
        return event;
    }

    List<String> notes() {
        return notes;
    }

    /** Extracts the library and picks the event; on failure, profiling is off and a note says why. */
    void prepare() {
        if (!wanted) {
            return;
        }
        String platform = platform();
        if (platform == null) {
            notes.add("profiling off: async-profiler ships no library for " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch"));
            return;
        }
        try (InputStream in = FlameGraphs.class.getResourceAsStream("/" + platform + "/" + LIB)) {
            if (in == null) {
                notes.add("profiling off: " + platform + "/" + LIB + " is not in the async-profiler jar on the classpath");
                return;
            }
            Path dir = Files.createTempDirectory("uprobe-bench-async-profiler");
            library = dir.resolve(LIB);
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            library.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
        } catch (IOException e) {
            notes.add("profiling off: cannot extract " + LIB + ": " + e.getMessage());
            library = null;
            return;
        }
        List<String> candidates = requestedEvent.equals("auto") ? List.of("cpu", "itimer") : List.of(requestedEvent);
        List<String> refusals = new ArrayList<>();
        for (String ev : candidates) {
            String refusal = probe(ev);
            if (refusal == null) {
                event = ev;
                break;
            }
            refusals.add(ev + ": " + refusal);
        }
        if (event == null) {
            notes.add("profiling off: async-profiler could not start here (" + String.join("; ", refusals)
                    + "); the numbers stand without flame graphs");
        } else if (!refusals.isEmpty()) {
            notes.add("flame graphs sample event '" + event + "' because " + String.join("; ", refusals)
                    + " (perf_event_paranoid or container limits)");
        } else {
            notes.add("flame graphs sample event '" + event + "' (async-profiler, measurement iterations only)");
        }
        out.println("profiling: " + notes.get(notes.size() - 1));
    }

    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (os.contains("linux")) {
            return arch.equals("amd64") || arch.equals("x86_64") ? "linux-x64"
                    : arch.equals("aarch64") ? "linux-arm64" : null;
        }
        return os.contains("mac") ? "macos" : null;
    }

    /**
     * Starts and stops the profiler with {@code ev} in a child JVM (as the benchmark forks will);
     * null when it worked, else why not. Not in this JVM: once loaded here, the library would not
     * bind to JMH's own profiler class, which loads it again by path.
     */
    private String probe(String ev) {
        String javaCmd = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(javaCmd, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), library.toString(), ev).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "the probe did not finish within 60 s";
            }
            if (p.exitValue() == 0) {
                return null;
            }
            String last = output.isEmpty() ? "exit " + p.exitValue() : output.lines().reduce((x, y) -> y).orElse("");
            return last;
        } catch (IOException e) {
            return "cannot start a JVM to probe it: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The child JVM of {@link #probe}: {@code Probe LIBRARY EVENT}; exit 0 when the profiler ran. */
    public static final class Probe {
        private Probe() {
        }

        public static void main(String[] args) {
            try {
                AsyncProfiler p = AsyncProfiler.getInstance(args[0]);
                p.execute("start,event=" + args[1] + ",interval=10ms");
                p.execute("stop");
                System.exit(0);
            } catch (IOException | RuntimeException | LinkageError e) {
                String m = e.getMessage();
                System.out.println(m == null ? e.toString() : m.split("\n")[0]);
                System.exit(1);
            }
        }
    }

    /** Adds the profiler to a JMH run, writing JFR under {@code flamegraphs/raw/<id>}. */
    void attach(ChainedOptionsBuilder b, Path reportDir, BenchConfig c) {
        if (!enabled()) {
            return;
        }
        Path raw = reportDir.resolve("flamegraphs").resolve("raw").resolve(c.id());
        b.addProfiler(org.openjdk.jmh.profile.AsyncProfiler.class,
                "libPath=" + library + ";output=jfr;event=" + event + ";lock=10us;dir=" + raw.toAbsolutePath());
    }

    /** A run failed with the profiler and passed without: profiling goes off; returns the note. */
    String disable(String why) {
        event = null;
        String note = "profiling turned off: a run failed with async-profiler attached (" + why
                + ") and passed without it; the numbers stand without flame graphs";
        notes.add(note);
        return note;
    }

    /**
     * Converts a configuration's JFR into its flame graph, collapsed stacks and lock profile;
     * returns {@code o} with the files (or with the problem).
     */
    ConfigOutcome render(Path reportDir, BenchConfig c, ConfigOutcome o) throws IOException {
        Path raw = reportDir.resolve("flamegraphs").resolve("raw").resolve(c.id());
        if (!Files.isDirectory(raw)) {
            return o;
        }
        Optional<Path> jfr;
        try (Stream<Path> s = Files.walk(raw)) {
            jfr = s.filter(p -> p.toString().endsWith(".jfr")).findFirst();
        }
        if (jfr.isEmpty()) {
            return o.withProblem("profiling ran but wrote no JFR file under " + reportDir.relativize(raw));
        }
        Path dir = reportDir.resolve("flamegraphs");
        String base = c.backendKey() + "-" + c.configKey();
        String title = c.label() + ", " + c.describe().substring(c.label().length()).trim() + ", " + event;
        FlameConverter.convert("--cpu", "--title", "CPU: " + title, jfr.get().toString(), dir.resolve(base + ".html").toString());
        FlameConverter.convert("--cpu", "-o", "collapsed", jfr.get().toString(), dir.resolve(base + ".collapsed").toString());
        List<String> files = new ArrayList<>(List.of("flamegraphs/" + base + ".html", "flamegraphs/" + base + ".collapsed"));
        Path lockCollapsed = dir.resolve(base + "-lock.collapsed");
        FlameConverter.convert("--lock", "-o", "collapsed", jfr.get().toString(), lockCollapsed.toString());
        if (Files.exists(lockCollapsed) && Files.size(lockCollapsed) > 0) {
            FlameConverter.convert("--lock", "--title", "Lock contention: " + title, jfr.get().toString(),
                    dir.resolve(base + "-lock.html").toString());
            files.add("flamegraphs/" + base + "-lock.html");
        } else {
            Files.deleteIfExists(lockCollapsed);
        }
        return o.withFlamegraphs(files);
    }

    /** The kernel's uprobe path as its frames are named in 6.x: the trap, the 6.18 syscall, the lookup, the consumer. */
    static final List<String> KERNEL_FRAMES = List.of("asm_exc_int3", "handle_swbp", "uprobe_notify_resume",
            "__x64_sys_uprobe", "find_active_uprobe", "uprobe_dispatcher");

    /**
     * What a kernel row's flame graph shows of the kernel's uprobe path: the share of samples with
     * one of {@link #KERNEL_FRAMES} and which, or, when there are none, why (the sampling event,
     * privilege, {@code kptr_restrict}); null when the configuration has no collapsed stacks.
     */
    String kernelFrames(Path reportDir, ConfigOutcome o) throws IOException {
        String collapsed = FlameConverter.collapsedOf(o);
        if (collapsed == null) {
            return null;
        }
        return kernelFrames(o.spec().label(), Files.readAllLines(reportDir.resolve(collapsed)), event,
                readFirstLine(Path.of("/proc/sys/kernel/kptr_restrict")), isRoot());
    }

    /** {@link #kernelFrames(Path, ConfigOutcome)} on collapsed stacks ({@code frame;frame;... count}). */
    static String kernelFrames(String label, List<String> stacks, String event, String kptrRestrict, boolean root) {
        long total = 0;
        long withKernel = 0;
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (String line : stacks) {
            int sp = line.lastIndexOf(' ');
            if (sp < 0) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(line.substring(sp + 1).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            total += n;
            boolean any = false;
            for (String f : KERNEL_FRAMES) {
                if (line.contains(f)) {
                    seen.add(f);
                    any = true;
                }
            }
            if (any) {
                withKernel += n;
            }
        }
        if (withKernel > 0) {
            return String.format(java.util.Locale.ROOT, "%s: the kernel's uprobe path is in %d of %d samples of its "
                    + "flame graph (%s)", label, withKernel, total, String.join(", ", seen));
        }
        List<String> why = new ArrayList<>();
        if (!"cpu".equals(event)) {
            why.add("the sampling event is " + event + ", not cpu (perf events)");
        }
        if (!root) {
            why.add("not root");
        }
        if (kptrRestrict != null && !kptrRestrict.equals("0")) {
            why.add("kernel.kptr_restrict=" + kptrRestrict + " hides kernel symbols");
        }
        return label + ": no frame of the kernel's uprobe path in its flame graph (" + total + " samples)"
                + (why.isEmpty() ? "" : ": " + String.join("; ", why));
    }

    private static String readFirstLine(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code diff-<backend>-vs-rwlock-<config>.html} for every profiled back-end with a baseline
     * twin; returns the outcomes with the files (or the problems) added.
     */
    List<ConfigOutcome> writeDiffs(Path reportDir, List<ConfigOutcome> outcomes) {
        String baseline = Backend.withRole(Backend.Role.BASELINE).cliName();
        List<ConfigOutcome> after = new ArrayList<>();
        for (ConfigOutcome o : outcomes) {
            after.add(withDiff(reportDir, outcomes, baseline, o));
        }
        return after;
    }

    private static ConfigOutcome withDiff(Path reportDir, List<ConfigOutcome> outcomes, String baseline,
            ConfigOutcome o) {
        String collapsed = FlameConverter.collapsedOf(o);
        ConfigSpec spec = o.spec();
        if (collapsed == null || baseline.equals(spec.backend())) {
            return o;
        }
        ConfigOutcome base = outcomes.stream().filter(b -> baseline.equals(b.spec().backend())
                && b.spec().readers() == spec.readers() && b.spec().scenario().equals(spec.scenario())
                && FlameConverter.collapsedOf(b) != null).findFirst().orElse(null);
        if (base == null) {
            return o;
        }
        String name = "flamegraphs/diff-" + spec.backendKey() + "-vs-" + baseline + "-" + spec.configKey() + ".html";
        try {
            FlameConverter.convert("--diff", "--title", "CPU: " + spec.label() + " vs " + baseline + " (frames show "
                    + spec.label() + "; red grew, blue shrank)", reportDir.resolve(FlameConverter.collapsedOf(base))
                    .toString(), reportDir.resolve(collapsed).toString(), reportDir.resolve(name).toString());
            return o.withFlamegraphs(List.of(name));
        } catch (IOException | RuntimeException e) {
            return o.withProblem("differential flame graph against " + baseline + " failed: " + e.getMessage());
        }
    }
}
