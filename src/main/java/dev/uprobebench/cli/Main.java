package dev.uprobebench.cli;

import dev.uprobebench.check.TortureConfig;
import dev.uprobebench.check.TortureDriver;
import dev.uprobebench.check.TortureResult;
import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HostKernel;
import dev.uprobebench.report.Comparison;
import dev.uprobebench.report.ComparisonPage;
import dev.uprobebench.report.EDivisive;
import dev.uprobebench.report.Fleet;
import dev.uprobebench.report.History;
import dev.uprobebench.report.ReportComparison;
import dev.uprobebench.run.BenchRun;
import dev.uprobebench.run.Doctor;
import dev.uprobebench.run.Profile;
import dev.uprobebench.run.RunPlan;
import dev.uprobebench.run.UsageException;
import dev.uprobebench.sync.RcuFlavour;
import dev.uprobebench.uret.Lifetime;
import dev.uprobebench.uret.ReturnProbeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line behind {@code run-bench.sh}, on picocli: every command is a thin shell over a
 * library call ({@link BenchRun}, {@link RunPlan}, {@link Doctor}, {@link TortureDriver},
 * {@link ReportComparison}).
 *
 * <pre>
 *   run-bench.sh [PROFILE] [--set key=value]... [--out DIR] [--dry-run]   run a profile (default: quick)
 *   run-bench.sh list | doctor | keys | help
 *   run-bench.sh torture BACKEND [--seconds N] [--readers R] [--writers W] [--rcu-flavour F] [--key-layout K]
 *       [--vma V] [--mm-writers M] [--uretprobe L [--uret-duration D] [--uret-timeout T]]
 *   run-bench.sh compare REPORT_A REPORT_B [--noise-threshold PERCENT] [--fail-on-slower PERCENT [--allow-missing]]
 *   run-bench.sh fleet REPORT REPORT...   one profile's reports from several machines on one page
 *   run-bench.sh history REPORT|DIR...    one server's runs over time, with change points
 * </pre>
 *
 * Exit codes: 0 success; 1 internal failure (what finished is kept); 2 usage error (one line
 * naming the problem and the valid choices); 3 invariant violations found; 4 {@code compare
 * --fail-on-slower}: a configuration got a "slower" verdict beyond the given slowdown; 5 {@code compare
 * --fail-on-slower}: the gate could not judge every configuration of A (invalid or failed on a side,
 * or missing in B), so it fails closed ({@code --allow-missing} lets configurations missing in B pass).
 */
@Command(name = "run-bench.sh", description = "Runs a profile (default: quick), or one of the commands below.",
        subcommands = {Main.ListCommand.class, Main.DoctorCommand.class, Main.KeysCommand.class,
                Main.TortureCommand.class, Main.CompareCommand.class, Main.FleetCommand.class, Main.HistoryCommand.class, Main.RunCommand.class, Main.HelpCommand.class})
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int VIOLATIONS = 3;
    public static final int SLOWER = 4;
    /** The gate could not judge every configuration of A: it fails closed. */
    public static final int GATE_INCOMPLETE = 5;
    static final String DEFAULT_PROFILE = "quick";

    /** The streams a command writes to (the tests pass their own). */
    private final PrintStream out;

    @CommandLine.Mixin
    private ProfileArgs profileArgs = new ProfileArgs();

    Main(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Where probe-target files for the host kernel's uprobes are written: under the project's
     * {@code target/}, which, unlike {@code /tmp} on many servers, is not mounted noexec.
     */
    static Path hostScratch() {
        try {
            return Files.createDirectories(home().resolve("target").resolve("host"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the probe-target directory: " + e.getMessage(), e);
        }
    }

    /** The project's home: where {@code profiles/} lives ({@code uprobe.home}, else the working directory). */
    static Path home() {
        return Path.of(System.getProperty("uprobe.home", ".")).toAbsolutePath().normalize();
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(out), new Factory(out));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + firstLine(e.getMessage()) + validChoices(e.getCommandLine()));
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof UsageException || e instanceof ReportComparison.BadReportException) {
                err.println("error: " + e.getMessage());
                return USAGE;
            }
            if (e instanceof UncheckedIOException) {
                err.println("error: " + e.getMessage());
                return FAILURE;
            }
            err.println("internal error: " + e);
            e.printStackTrace(err);
            return FAILURE;
        });
        return cl.execute(args);
    }

    private static String firstLine(String m) {
        return m == null ? "" : m.split("\n")[0];
    }

    /** "; valid: --a, --b" for the command that refused its arguments (picocli's messages name only the problem). */
    private static String validChoices(CommandLine c) {
        List<String> names = c.getCommandSpec().options().stream().map(o -> o.longestName()
                + (o.arity().max() > 0 ? " " + o.paramLabel() : "")).collect(Collectors.toList());
        if (c.getCommandSpec().parent() == null) {
            names.add("or a command: " + String.join(", ", c.getSubcommands().keySet()));
        }
        return names.isEmpty() ? "" : "; valid: " + String.join(", ", names);
    }

    @Override
    public Integer call() {
        return profileArgs.run(out);
    }

    /** Builds commands with the output stream (picocli builds subcommands itself). */
    private static final class Factory implements CommandLine.IFactory {
        private final PrintStream out;

        Factory(PrintStream out) {
            this.out = out;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (Output.class.isAssignableFrom(cls)) {
                K k = CommandLine.defaultFactory().create(cls);
                ((Output) k).out = out;
                return k;
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    /** A subcommand that prints. */
    abstract static class Output {
        PrintStream out;
    }

    /** The profile, its overrides, where reports go, and whether to only print the plan. */
    static final class ProfileArgs {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PROFILE",
                description = "a name under profiles/ (default: quick) or a path to a .properties file")
        String profile = DEFAULT_PROFILE;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a profile key (see: keys)")
        List<String> sets = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR", description = "where report directories go (default: reports/)")
        Path reports;

        @Option(names = "--dry-run", description = "print the plan: every fork's JMH options, each round's order, the time")
        boolean dryRun;

        int run(PrintStream out) {
            Profile p = Profile.load(profile, home(), sets);
            if (dryRun) {
                CpuTopology topology = CpuTopology.read();
                RunPlan.of(p, topology).describe(topology).forEach(out::println);
                return OK;
            }
            Path root = reports == null ? home().resolve("reports") : reports.toAbsolutePath();
            return new BenchRun(p, home(), root, out).execute();
        }
    }

    @Command(name = "run", description = "run a profile (the same as giving the profile alone)")
    static final class RunCommand extends Output implements Callable<Integer> {
        @CommandLine.Mixin
        ProfileArgs args = new ProfileArgs();

        @Override
        public Integer call() {
            return args.run(out);
        }
    }

    @Command(name = "list", description = "back-ends and profiles, with the question each profile answers")
    static final class ListCommand extends Output implements Callable<Integer> {
        @Override
        public Integer call() {
            out.println("back-ends:");
            for (Backend b : Backend.values()) {
                if (b.role() == Backend.Role.REFERENCE) {
                    // The real thing, measured beside the model: the host's version, and whether it runs here.
                    out.printf("  %-18s %-6s reference: the host kernel's own uprobes (Linux %s, %s), through "
                            + "perf_event_open; %s; named on purpose (backends=...,kernel), not in 'safe'%n",
                            b.cliName(), "real", System.getProperty("os.version"), System.getProperty("os.arch"),
                            HostKernel.load().check(hostScratch(), false).summary());
                    continue;
                }
                out.printf("  %-18s %-6s [%s] %s%n", b.cliName(), b.safe() ? "safe" : "UNSAFE", b.lineage(),
                        b.description());
            }
            out.println("profiles:");
            for (String name : Profile.available(home())) {
                String q;
                try {
                    q = Profile.questionOf(Files.readString(home().resolve("profiles").resolve(name + ".properties")));
                } catch (IOException e) {
                    q = "(unreadable: " + e.getMessage() + ")";
                }
                out.printf("  %-14s %s%s%n", name, q, name.equals(DEFAULT_PROFILE) ? " [default]" : "");
            }
            return OK;
        }
    }

    @Command(name = "doctor", description = "is this machine fit to benchmark on? what to fix")
    static final class DoctorCommand extends Output implements Callable<Integer> {
        @Override
        public Integer call() {
            List<Doctor.Finding> findings = new ArrayList<>(Doctor.forThisMachine().examine());
            findings.add(Doctor.hostUprobes(HostKernel.load().check(hostScratch(), true)));
            Doctor.print(findings, CpuTopology.read(), out);
            return OK;
        }
    }

    @Command(name = "keys", description = "every profile key, its default and what it accepts")
    static final class KeysCommand extends Output implements Callable<Integer> {
        @Override
        public Integer call() {
            out.println("profile keys (set in profiles/*.properties or with --set key=value):");
            Profile.describeKeys(out::println);
            return OK;
        }
    }

    @Command(name = "help", description = "this text")
    static final class HelpCommand extends Output implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            out.print(spec.parent().commandLine().getUsageMessage());
            return OK;
        }
    }

    @Command(name = "torture", description = "the invariant checker's torture driver: exit 0 when clean, 3 when any "
            + "invariant was violated")
    static final class TortureCommand extends Output implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "BACKEND", description = "a back-end (see: list)")
        String backend;

        @Option(names = "--seconds", paramLabel = "N", description = "how long (>= 1, default 5)")
        int seconds = 5;

        @Option(names = "--readers", paramLabel = "R", description = "reader threads (>= 0, default 2)")
        int readers = 2;

        @Option(names = "--writers", paramLabel = "W", description = "writer threads (>= 0, default 1; 0 for unsync)")
        Integer writers;

        @Option(names = "--rcu-flavour", paramLabel = "F", description = "qsbr (default) or memb")
        String flavourName = RcuFlavour.QSBR.cliName();

        @Option(names = "--vma", paramLabel = "V", description = "how readers find their VMA: none (default), mmap-lock, "
                + "speculative")
        String vmaName = VmaLookup.NONE.label();

        @Option(names = "--mm-writers", paramLabel = "M", description = "address-space writer threads (>= 0; default 1 "
                + "with a VMA lookup, 0 without)")
        Integer mmWriters;

        @Option(names = "--key-layout", paramLabel = "K", description = "where churn keys sit: separate (default; an "
                + "inode of their own) or interleaved (between stable keys, so the writers' rotations move the nodes "
                + "readers look for)")
        String keyLayoutName = KeyLayout.SEPARATE.label();

        @Option(names = "--uretprobe", paramLabel = "L", description = "return probes on every uprobe, with this "
                + "lifetime: refcount, hprobe, srcu-updown (seqcount-rcu only)")
        String uretName;

        @Option(names = "--uret-duration", paramLabel = "D", description = "function duration: hits (e.g. 16) or a time "
                + "(e.g. 200us); default 16")
        String uretDuration = "16";

        @Option(names = "--uret-timeout", paramLabel = "T", description = "lease timeout (the per-task timer; default "
                + "1ms here, so that leases expire during a torture run; the kernel's is 100ms)")
        String uretTimeout = "1ms";

        @Override
        public Integer call() {
            Backend b;
            try {
                b = Backend.byName(backend);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            RcuFlavour flavour;
            try {
                flavour = RcuFlavour.byName(flavourName);
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad value '" + flavourName + "' for --rcu-flavour; valid: " + RcuFlavour.names());
            }
            VmaLookup vma;
            try {
                vma = VmaLookup.byName(vmaName);
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad value '" + vmaName + "' for --vma; valid: " + VmaLookup.names());
            }
            KeyLayout layout;
            try {
                layout = KeyLayout.byName(keyLayoutName);
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad value '" + keyLayoutName + "' for --key-layout; valid: " + KeyLayout.names());
            }
            int m = mmWriters == null ? (vma == VmaLookup.NONE ? 0 : 1) : mmWriters;
            atLeast("--mm-writers", m, 0);
            if (m > 0 && vma == VmaLookup.NONE) {
                throw new UsageException("--mm-writers " + m + " needs an address space: use --vma mmap-lock or "
                        + "--vma speculative");
            }
            int w = writers == null ? (b.allowsChurn() ? 1 : 0) : writers;
            atLeast("--seconds", seconds, 1);
            atLeast("--readers", readers, 0);
            atLeast("--writers", w, 0);
            if (w > 0 && !b.allowsChurn()) {
                throw new UsageException("back-end '" + b.cliName() + "' allows no writers while readers run (it is the "
                        + "unsynchronized ceiling); use --writers 0");
            }
            if (readers + w == 0) {
                throw new UsageException("need at least one reader or writer");
            }
            TortureConfig cfg = TortureConfig.defaults().withThreads(readers, w).withMillis(seconds * 1000L)
                    .withVma(vma, m);
            if (layout == KeyLayout.INTERLEAVED) {
                cfg = cfg.withInterleavedKeys();
            }
            if (uretName != null) {
                cfg = cfg.withUretprobes(uretprobeConfig(b));
            }
            out.printf("torture %s (%s): %d readers, %d writers, %d s, %s keys%s%n", b.cliName(), flavour.cliName(),
                    readers, w, seconds, layout.label(), vma == VmaLookup.NONE ? "" : ", VMA lookup " + vma.label() + ", "
                            + m + " address-space writer" + (m == 1 ? "" : "s"));
            TortureResult r = TortureDriver.run(b, cfg, flavour);
            out.println(r.format());
            return r.clean() ? OK : VIOLATIONS;
        }

        private ReturnProbeConfig uretprobeConfig(Backend b) {
            Lifetime l;
            try {
                l = Lifetime.byName(uretName);
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad value '" + uretName + "' for --uretprobe; valid: " + Lifetime.names());
            }
            if (b != Backend.SEQCOUNT_RCU) {
                throw new UsageException("--uretprobe runs on the mainline lookup; back-end '" + b.cliName()
                        + "' has none; valid: seqcount-rcu");
            }
            try {
                return ReturnProbeConfig.of(l).withDuration(uretDuration).withTimeout(uretTimeout);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }

        private static void atLeast(String option, int v, int min) {
            if (v < min) {
                throw new UsageException("bad value '" + v + "' for " + option + "; valid: a whole number >= " + min);
            }
        }
    }

    @Command(name = "history", description = "one server's runs over time: each configuration's estimate with its "
            + "interval across the reports in time order, and the change points E-divisive means finds in it")
    static final class HistoryCommand extends Output implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "REPORT", description = "report directories, or directories that "
                + "hold them (e.g. reports/); two or more reports in all, ordered by the time in their names")
        List<String> reports;

        @Option(names = "--alpha", paramLabel = "P", description = "significance of a change point's permutation "
                + "test (default 0.01)")
        String alpha;

        @Override
        public Integer call() {
            double a = 0.01;
            if (alpha != null) {
                try {
                    a = Double.parseDouble(alpha);
                } catch (NumberFormatException e) {
                    a = Double.NaN;
                }
                if (!(a >= 0.001 && a <= 0.2)) {
                    throw new UsageException("bad value '" + alpha + "' for --alpha; valid: a number in [0.001, 0.2], "
                            + "e.g. 0.01");
                }
            }
            History.write(reports, home().resolve("reports"), EDivisive.standard().withAlpha(a), out);
            return OK;
        }
    }

    @Command(name = "fleet", description = "one profile's reports from several machines on one page: each "
            + "machine's result with its interval, per-core throughput, speed-up curves, the machines side by side")
    static final class FleetCommand extends Output implements Callable<Integer> {
        @Parameters(arity = "2..*", paramLabel = "REPORT", description = "two or more report directories of one profile")
        List<String> reports;

        @Override
        public Integer call() {
            Fleet.write(reports, home().resolve("reports"), out);
            return OK;
        }
    }

    @Command(name = "compare", description = "run B against run A: ratios with 95%% intervals, verdicts, forest plot, "
            + "diff flame graphs")
    static final class CompareCommand extends Output implements Callable<Integer> {
        @Parameters(arity = "2", paramLabel = "REPORT", description = "two report directories: A, then B")
        List<String> reports;

        @Option(names = "--noise-threshold", paramLabel = "PERCENT",
                description = "a change smaller than this is never a verdict (default 5)")
        String threshold;

        @Option(names = "--fail-on-slower", paramLabel = "PERCENT",
                description = "exit 4 when a valid configuration got a \"slower\" verdict and lost at least this "
                        + "much hit throughput at 95%% confidence (its whole interval at or below 1 - PERCENT/100); exit "
                        + "5 when a configuration of A is invalid, failed or missing in B (for CI gates)")
        String failOnSlower;

        @Option(names = "--allow-missing", description = "with --fail-on-slower: configurations of A that B does not "
                + "have pass the gate (they fail it otherwise)")
        boolean allowMissing;

        @Override
        public Integer call() {
            double t = Comparison.DEFAULT_NOISE_THRESHOLD;
            if (threshold != null) {
                t = percent(threshold, "--noise-threshold");
            }
            double gate = failOnSlower == null ? Double.NaN : percent(failOnSlower, "--fail-on-slower");
            List<ComparisonPage.Row> rows = ReportComparison.compare(reports.get(0), reports.get(1),
                    home().resolve("reports"), t, out);
            if (Double.isNaN(gate)) {
                return OK;
            }
            List<ComparisonPage.Row> slower = regressions(rows, gate);
            rows.stream().filter(r -> r.valid() && r.hits().kind().sign() < 0 && !slower.contains(r))
                    .forEach(r -> out.printf(java.util.Locale.ROOT, "gate: not failed on %s (%s, B/A %s): not shown "
                            + "slower by %s%% or more at 95%% confidence%n", r.id(), r.verdict(), r.hits().format(),
                            failOnSlower));
            if (!slower.isEmpty()) {
                out.println("gate: FAILED, slower by " + failOnSlower + "% or more at 95% confidence: " + slower.stream()
                        .map(r -> r.id() + " (B/A " + r.hits().format() + ")")
                        .collect(java.util.stream.Collectors.joining(", ")));
                return SLOWER;
            }
            // Fail closed: a configuration the gate could not judge is not a pass.
            List<String> unjudged = new java.util.ArrayList<>();
            for (ComparisonPage.Row r : rows) {
                if (!r.valid()) {
                    unjudged.add(r.id() + " (" + (r.a().valid() ? "B" : "A") + ": "
                            + (r.a().valid() ? describe(r.b()) : describe(r.a())) + ")");
                }
            }
            if (!allowMissing) {
                ReportComparison.onlyInA(reports.get(0), reports.get(1)).forEach(id -> unjudged.add(id
                        + " (missing in B)"));
            }
            if (!unjudged.isEmpty()) {
                out.println("gate: FAILED closed, " + unjudged.size() + " configuration(s) of A could not be judged: "
                        + String.join(", ", unjudged) + (allowMissing ? "" : "; --allow-missing lets those missing "
                        + "in B pass"));
                return GATE_INCOMPLETE;
            }
            out.println("gate: no configuration slower by " + failOnSlower + "% or more");
            return OK;
        }

        private static String describe(dev.uprobebench.report.ConfigOutcome o) {
            return o.status() != dev.uprobebench.report.Status.OK ? o.status().json()
                    : o.qualifiers().isEmpty() ? "not valid" : o.qualifiers().get(0);
        }

        /**
         * Valid rows whose verdict is "slower" (the whole interval below the noise band) and whose
         * interval lies at or below {@code 1 - gate}: slower by at least the gate, at 95% confidence.
         * A "slower, maybe within noise" row is printed, not failed.
         */
        static List<ComparisonPage.Row> regressions(List<ComparisonPage.Row> rows, double gate) {
            List<ComparisonPage.Row> slower = new java.util.ArrayList<>();
            for (ComparisonPage.Row r : rows) {
                if (r.valid() && r.hits().kind() == Comparison.Verdict.SLOWER && r.hits().high() <= 1 - gate) {
                    slower.add(r);
                }
            }
            return slower;
        }

        private static double percent(String v, String option) {
            try {
                double p = Double.parseDouble(v.endsWith("%") ? v.substring(0, v.length() - 1) : v);
                if (p >= 0 && p < 100) {
                    return p / 100;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new UsageException("bad value '" + v + "' for " + option + "; valid: a percentage in [0, 100), "
                    + "e.g. 5");
        }
    }
}
