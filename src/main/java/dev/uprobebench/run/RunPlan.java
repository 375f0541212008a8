package dev.uprobebench.run;

import dev.uprobebench.bench.TrapCost;
import dev.uprobebench.bench.TrialFiles;
import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.registry.HostKernel;
import dev.uprobebench.sync.RcuFlavour;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Everything a run will do, decided before it starts: the configurations (with their pinning),
 * the rounds, the seed of the per-round shuffles, and every JMH option of every fork. Printing it
 * ({@code --dry-run}) prints exactly what will run.
 *
 * <p>A round runs one fork of every configuration, in an order shuffled per round (Google
 * Benchmark's random interleaving; ReBench, asv), so that drift of the machine falls on every
 * back-end alike and ratios can be paired by round.
 *
 * @param configs the configurations, in the order the plan numbers them
 * @param notes   what the profile asked for that does not run here, and why
 * @param skipped configurations planned but not run here, with the reason (listed in every report)
 * @param trapNanos the model's per-hit trap work: the profile's {@code trap-cost}, or, for {@code host-...},
 *     the hit cost measured on this host when the plan was made
 */
public record RunPlan(Profile profile, List<BenchConfig> configs, List<String> notes,
        List<ConfigPlanner.Skipped> skipped, long trapNanos) {
    static final String BENCH = "dev.uprobebench.bench.ChurnBenchmark.";
    static final String KERNEL_BENCH = "dev.uprobebench.bench.KernelBenchmark.";
    /**
     * JVM start, JMH's set-up, the benchmark's own set-up and teardown per fork, for the time
     * estimate: measured 1.3 s a fork on a 2-core KVM machine (quick: 2.57 s a fork, of which 1.0 s
     * iterations and about 0.3 s pre-touching 256 MiB).
     */
    private static final long FORK_OVERHEAD_MILLIS = 1300;
    /** Pre-touching the heap ({@code -XX:+AlwaysPreTouch}) in 4 KiB pages: measured 4.1 to 5.4 s for 2 GiB there. */
    private static final double PRETOUCH_MILLIS_PER_MIB = 2.3;
    /** The same in transparent huge pages ({@code -XX:+UseTransparentHugePages}): 0.16 s for 2 GiB. */
    private static final double PRETOUCH_HUGE_MILLIS_PER_MIB = 0.1;

    public static RunPlan of(Profile p, CpuTopology topology) {
        return of(ConfigPlanner.expand(p, topology), p, ConfigPlanner.HOST);
    }

    /** The plan of an expansion already made (tests give the host's capability themselves). */
    static RunPlan of(ConfigPlanner.Expansion e, Profile p) {
        return of(e, p, ConfigPlanner.HOST);
    }

    /** As above, measuring a {@code trap-cost=host-...} with {@code host} (asked only then). */
    static RunPlan of(ConfigPlanner.Expansion e, Profile p, Supplier<HostKernel.Capability> host) {
        HeapBudget.check(e.configs(), p.settings(), HeapBudget.physicalMemory());
        List<String> notes = new ArrayList<>(e.notes());
        long trap = p.settings().trapNanos();
        String kind = p.settings().hostTrap();
        if (kind != null) {
            HostKernel.Capability c = host.get();
            HostKernel.TrapCost measured = c.trapCosts().stream().filter(t -> t.trap().equals(kind)).findFirst()
                    .orElse(null);
            if (measured != null) {
                trap = Math.max(1, Math.round(measured.medianNs()));
                notes.add("trap-cost=host-" + kind + ": " + trap + " ns per hit, this host's measured " + kind
                        + " uprobe hit (probed call minus unprobed: " + measured.format() + ")");
            } else {
                trap = TrapCost.parse(kind);
                notes.add("trap-cost=host-" + kind + ": " + c.summary() + "; fell back to the synthetic " + kind
                        + " (" + trap + " ns)");
            }
        }
        if (e.configs().stream().anyMatch(BenchConfig::isKernel)) {
            HostKernel.Capability c = host.get();
            notes.add(c.trapCosts().isEmpty() ? "host trap cost: not measured (" + c.summary() + ")"
                    : "host trap cost per hit, probed call minus the same call unprobed, from a native loop: "
                            + c.trapCosts().stream().map(HostKernel.TrapCost::format)
                                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        return new RunPlan(p, List.copyOf(e.configs()), List.copyOf(notes), List.copyOf(e.skipped()), trap);
    }

    /**
     * The JMH secondary results that carry a fork's hits/s and writer operations/s: the model's
     * {@code hit} and {@code write} methods, the kernel's {@code hits} and {@code registryWrites}
     * counters (a batch of calls per invocation; a register and an unregister per churn operation).
     */
    public static String[] scoreLabels(BenchConfig c) {
        return c.isKernel() ? new String[] {"hits", "registryWrites"} : new String[] {"hit", "write"};
    }

    /** Forks per configuration, one per round. */
    public int rounds() {
        return profile.settings().rounds();
    }

    /** The first rounds that also run the latency benchmark (every hit timed). */
    public int latencyRounds() {
        return profile.settings().latencyRounds();
    }

    /** Seed of the shuffles; the same seed gives the same order. */
    public long seed() {
        return profile.settings().seed();
    }

    /** The configuration indices of each round, in the order they will run. */
    public List<List<Integer>> schedule() {
        Random r = new Random(seed());
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < rounds(); i++) {
            out.add(order(configs.size(), r));
        }
        return out;
    }

    /** The next round's order: 0 .. n-1 shuffled by {@code r}. */
    private static List<Integer> order(int n, Random r) {
        List<Integer> o = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            o.add(i);
        }
        Collections.shuffle(o, r);
        return o;
    }

    /** The benchmark's {@code @Param} values for a configuration. */
    public Map<String, String> params(BenchConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        if (c.isKernel()) {
            m.put("trap", c.kernel().trap());
            m.put("probe", c.kernel().probe());
            m.put("attach", c.kernel().attach());
            m.put("stable", Integer.toString(c.stable()));
            m.put("churnRate", c.writers() == 0 ? "max" : c.churn());
            return m;
        }
        m.put("backend", c.backend().cliName());
        m.put("stable", Integer.toString(c.stable()));
        ProfileSettings s = profile.settings();
        m.put("churnKeys", Integer.toString(s.churnKeys()));
        m.put("churnRate", c.churn());
        m.put("churnReadFraction", c.writers() == 0 ? "0" : Double.toString(s.churnReadFraction()));
        m.put("distribution", c.distribution());
        m.put("zipfExponent", Double.toString(s.zipfExponent()));
        m.put("handlerWork", Long.toString(c.handlerWork()));
        m.put("syncEvery", Integer.toString(s.syncEvery()));
        m.put("rcuFlavour", (c.rcuFlavour() == null ? RcuFlavour.QSBR : c.rcuFlavour()).cliName());
        m.put("vmaLookup", c.vma().label());
        m.put("mmChurnRate", c.mmChurn());
        m.put("trapNanos", Long.toString(trapNanos));
        if (s.keyLayout() != KeyLayout.SEPARATE) { // only then: older reports' parameter sets stay as they were
            m.put("keyLayout", s.keyLayout().label());
        }
        if (c.hasUretprobes()) { // only then: older reports' parameter sets stay as they were
            m.put("uretprobe", c.uret());
            m.put("uretDuration", c.uretDuration());
            m.put("uretShare", Double.toString(s.uretShare()));
            m.put("uretDepth", Integer.toString(s.uretDepth()));
            m.put("uretTimeout", s.uretTimeout());
            m.put("riAlloc", c.riAlloc());
        }
        return m;
    }

    /** The forked JVM's arguments for a configuration whose trial records go to {@code raw}. */
    public List<String> jvmArgs(BenchConfig c, Path raw) {
        List<String> a = new ArrayList<>(profile.settings().jvmArgs());
        a.add("-D" + TrialFiles.OUT_PROPERTY + "=" + raw.toAbsolutePath());
        a.add("-D" + TrialFiles.PIN_PROPERTY + "=" + c.pins().encode());
        a.addAll(forkRuntimeArgs(Runtime.version().feature()));
        return a;
    }

    /**
     * What a fork on a Java {@code feature} runtime (the one running this, as JMH forks it) needs
     * beside the profile's arguments: from 24 on, JMH 1.37's use of {@code sun.misc.Unsafe}
     * (field offsets) prints a deprecation warning into every fork's log unless allowed; the option
     * does not exist before 23, where a fork would refuse it; and from 22, native access for the
     * pinning library (JNA) and the host layer.
     */
    static List<String> forkRuntimeArgs(int feature) {
        // From 22 (FFM final) a native library loaded without --enable-native-access prints a warning
        // into the fork's log: OpenHFT affinity loads JNA in every fork, the host layer its downcalls.
        List<String> a = new ArrayList<>();
        if (feature >= 22) {
            a.add("--enable-native-access=ALL-UNNAMED");
        }
        if (feature >= 24) {
            a.add("--sun-misc-unsafe-memory-access=allow");
        }
        return List.copyOf(a);
    }

    /** JMH's options for one fork of {@code mode} ({@code throughput} or {@code latency}). */
    public ChainedOptionsBuilder options(BenchConfig c, String mode, Path raw) {
        return options(c, mode, raw, List.of());
    }

    /** As above, with {@code extra} JVM arguments for this fork (the class-data archive's). */
    public ChainedOptionsBuilder options(BenchConfig c, String mode, Path raw, List<String> extra) {
        List<String> args = new ArrayList<>(jvmArgs(c, raw));
        args.addAll(extra);
        ProfileSettings s = profile.settings();
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + (c.isKernel() ? KERNEL_BENCH : BENCH).replace(".", "\\.") + mode + "$")
                .threadGroups(threadGroups(c))
                .warmupIterations(s.warmupIterations())
                .warmupTime(TimeValue.milliseconds(s.warmupMillis()))
                .measurementIterations(s.measurementIterations())
                .measurementTime(TimeValue.milliseconds(s.measurementMillis()))
                .forks(1)
                .jvmArgsAppend(args.toArray(new String[0]))
                .shouldFailOnError(true);
        params(c).forEach(b::param);
        if (s.gcProfiler() && mode.equals("throughput")) {
            b.addProfiler(GCProfiler.class);
        }
        return b;
    }

    /** JMH's {@code -tg}: readers, writers, and the model's address-space writers (the kernel has two groups). */
    static int[] threadGroups(BenchConfig c) {
        return c.isKernel() ? new int[] {c.readers(), c.writers()} : new int[] {c.readers(), c.writers(), c.mmWriters()};
    }

    /** The forks this plan runs: one throughput fork per configuration and round, plus latency forks. */
    public int forks() {
        return configs.size() * (rounds() + latencyRounds());
    }

    /** Rough wall time of {@code forks} forks. */
    public long estimateMillis(int forkCount) {
        ProfileSettings s = profile.settings();
        long perFork = FORK_OVERHEAD_MILLIS + pretouchMillis() + s.warmupIterations() * s.warmupMillis()
                + s.measurementIterations() * s.measurementMillis();
        return forkCount * perFork * (rounds() + latencyRounds()) / Math.max(1, rounds());
    }

    /** What pre-touching the initial heap adds to a fork, from {@code -Xms} when pre-touch is on. */
    private long pretouchMillis() {
        String args = String.join(" ", profile.settings().jvmArgs());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-Xms(\\d+)([gGmMkK]?)").matcher(args);
        if (!args.contains("-XX:+AlwaysPreTouch") || !m.find()) {
            return 0;
        }
        double mib = Long.parseLong(m.group(1));
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "g":
                mib *= 1024;
                break;
            case "k":
                mib /= 1024;
                break;
            case "m":
                break;
            default:
                mib /= 1024 * 1024;
                break;
        }
        return (long) (mib * (args.contains("-XX:+UseTransparentHugePages") ? PRETOUCH_HUGE_MILLIS_PER_MIB
                : PRETOUCH_MILLIS_PER_MIB));
    }

    /** The plan as {@code --dry-run} prints it. */
    public List<String> describe(CpuTopology topology) {
        List<String> l = new ArrayList<>();
        l.add(String.format(Locale.ROOT, "profile %s on %s: %d configurations x %d rounds (+ latency in %d), %d "
                + "forks, about %s", profile.name(), topology.describe(), configs.size(), rounds(), latencyRounds(),
                forks(), BenchRun.duration(estimateMillis(configs.size() * rounds()))));
        ProfileSettings s = profile.settings();
        ProfileSettings.Precision pr = s.precision();
        if (pr.on()) {
            long worst = estimateMillis(configs.size() * pr.maxRounds()) - estimateMillis(configs.size() * rounds());
            l.add(String.format(Locale.ROOT, "precision ±%s: after %d rounds, more rounds for each configuration whose "
                    + "95%% hit-throughput interval is wider, up to %d rounds%s (at most about %s more)",
                    dev.uprobebench.report.Format.percent(pr.target()), rounds(), pr.maxRounds(),
                    pr.maxTimeMillis() > 0 ? ", none started after " + profile.get("max-time") : "",
                    BenchRun.duration(pr.maxTimeMillis() > 0 ? Math.min(worst, pr.maxTimeMillis()) : worst)));
        }
        l.add(String.format(Locale.ROOT, "every fork: -wi %d -w %dms -i %d -r %dms -f 1; jvm %s", s.warmupIterations(),
                s.warmupMillis(), s.measurementIterations(), s.measurementMillis(), String.join(" ", s.jvmArgs())));
        for (int i = 0; i < configs.size(); i++) {
            BenchConfig c = configs.get(i);
            StringBuilder p = new StringBuilder();
            params(c).forEach((k, v) -> p.append(" -p ").append(k).append('=').append(v));
            String tg = java.util.Arrays.stream(threadGroups(c)).mapToObj(Integer::toString)
                    .collect(java.util.stream.Collectors.joining(","));
            l.add(String.format(Locale.ROOT, "  [%d] %s%s: -tg %s%s -jvmArgsAppend '-D%s=%s'", i, c.id(),
                    c.isKernel() ? " (KernelBenchmark)" : "", tg, p, TrialFiles.PIN_PROPERTY, c.pins().encode()));
        }
        for (ConfigPlanner.Skipped k : skipped) {
            l.add("  skipped " + k.config().id() + ": " + k.reason());
        }
        List<List<Integer>> order = schedule();
        for (int r = 0; r < order.size(); r++) {
            l.add(String.format(Locale.ROOT, "round %d%s: %s", r + 1, r < latencyRounds() ? " (with latency)" : "",
                    order.get(r)));
        }
        l.add("seed " + seed() + (profile.get("seed").equals("random") ? " (drawn now; --set seed=" + seed()
                + " repeats this order)" : ""));
        notes.forEach(n -> l.add("note: " + n));
        l.add("lineage: " + configs.stream().map(BenchConfig::backend).distinct()
                .map(b -> b.cliName() + " " + b.lineage()).collect(java.util.stream.Collectors.joining("; ")));
        return l;
    }
}
