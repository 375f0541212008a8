package dev.uprobebench.cli;

import dev.uprobebench.check.TortureConfig;
import dev.uprobebench.check.TortureDriver;
import dev.uprobebench.check.TortureResult;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.registry.Backend;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line behind {@code run-bench.sh}.
 *
 * <pre>
 *   run-bench.sh [PROFILE] [--set key=value]... [--out DIR]   run a profile (default: quick)
 *   run-bench.sh PROFILE --dry-run                             what it would run here, and for how long
 *   run-bench.sh list                                          back-ends and profiles
 *   run-bench.sh torture BACKEND [--seconds N] [--readers R] [--writers W] [--rcu-flavour F]
 *   run-bench.sh doctor                                        machine fitness for benchmarking
 *   run-bench.sh compare REPORT_A REPORT_B                     ratios B/A with confidence intervals
 *   run-bench.sh keys                                          every profile key, its default and values
 * </pre>
 *
 * Exit codes: 0 success; 1 internal failure (what finished is kept); 2 usage error; 3 invariant
 * violations found.
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int VIOLATIONS = 3;
    static final String DEFAULT_PROFILE = "quick";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The project's home: where {@code profiles/} lives ({@code uprobe.home}, else the working directory). */
    static Path home() {
        return Path.of(System.getProperty("uprobe.home", ".")).toAbsolutePath().normalize();
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                return runProfile(DEFAULT_PROFILE, List.of(), out);
            }
            switch (args[0]) {
                case "list":
                    return list(out);
                case "doctor":
                    Doctor.print(Doctor.forThisMachine().examine(), CpuTopology.read(), out);
                    return OK;
                case "keys":
                    out.println("profile keys (set in profiles/*.properties or with --set key=value):");
                    Profile.describeKeys(out::println);
                    return OK;
                case "torture":
                    return torture(args, out);
                case "compare":
                    return CompareCommand.run(args, home().resolve("reports"), out);
                case "help":
                case "--help":
                case "-h":
                    usage(out);
                    return OK;
                case "run":
                    return runProfile(args.length > 1 && !args[1].startsWith("--") ? args[1] : DEFAULT_PROFILE,
                            List.of(args).subList(args.length > 1 && !args[1].startsWith("--") ? 2 : 1, args.length), out);
                default:
                    if (args[0].startsWith("--")) {
                        return runProfile(DEFAULT_PROFILE, List.of(args), out);
                    }
                    return runProfile(args[0], List.of(args).subList(1, args.length), out);
            }
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return FAILURE;
        } catch (RuntimeException e) {
            err.println("internal error: " + e);
            e.printStackTrace(err);
            return FAILURE;
        }
    }

    static void usage(PrintStream out) {
        out.println("usage: ./run-bench.sh [PROFILE] [--set key=value]... [--out DIR] [--dry-run]");
        out.println("       ./run-bench.sh list | doctor | keys");
        out.println("       ./run-bench.sh torture BACKEND [--seconds N] [--readers R] [--writers W] [--rcu-flavour F]");
        out.println("       ./run-bench.sh compare REPORT_A REPORT_B");
        out.println("PROFILE is a name under profiles/ (default: quick) or a path to a .properties file.");
    }

    private static int runProfile(String name, List<String> rest, PrintStream out) {
        List<String> sets = new ArrayList<>();
        Path reports = home().resolve("reports");
        boolean dryRun = false;
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("--dry-run")) {
                dryRun = true;
            } else if (a.equals("--set") || a.equals("--out")) {
                if (i + 1 >= rest.size()) {
                    throw new UsageException(a + " needs a value");
                }
                if (a.equals("--set")) {
                    sets.add(rest.get(++i));
                } else {
                    reports = Path.of(rest.get(++i)).toAbsolutePath();
                }
            } else if (a.startsWith("--set=")) {
                sets.add(a.substring("--set=".length()));
            } else {
                throw new UsageException("unexpected argument '" + a + "'; valid: --set key=value, --out DIR, --dry-run");
            }
        }
        Profile p = Profile.load(name, home(), sets);
        if (dryRun) {
            return dryRun(p, out);
        }
        return new BenchRun(p, home(), reports, out).execute();
    }

    /** Prints the plan: what a profile would run here, in which order, and for how long. */
    private static int dryRun(Profile p, PrintStream out) {
        CpuTopology topology = CpuTopology.read();
        RunPlan.of(p, topology).describe(topology).forEach(out::println);
        return OK;
    }

    private static int list(PrintStream out) {
        out.println("back-ends:");
        for (Backend b : Backend.values()) {
            out.printf("  %-18s %-6s %s%n", b.cliName(), b.safe() ? "safe" : "UNSAFE", b.description());
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

    private static int torture(String[] args, PrintStream out) {
        if (args.length < 2 || args[1].startsWith("--")) {
            throw new UsageException("torture needs a back-end; valid: " + Backend.names());
        }
        Backend b;
        try {
            b = Backend.byName(args[1]);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int seconds = 5;
        int readers = 2;
        int writers = b.allowsChurn() ? 1 : 0;
        String flavour = "qsbr";
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new UsageException(a + " needs a value; valid options: --seconds, --readers, --writers, --rcu-flavour");
            }
            String v = args[++i];
            switch (a) {
                case "--seconds":
                    seconds = number(a, v, 1);
                    break;
                case "--readers":
                    readers = number(a, v, 0);
                    break;
                case "--writers":
                    writers = number(a, v, 0);
                    break;
                case "--rcu-flavour":
                    if (!v.equals("qsbr") && !v.equals("memb")) {
                        throw new UsageException("bad value '" + v + "' for --rcu-flavour; valid: qsbr, memb");
                    }
                    flavour = v;
                    break;
                default:
                    throw new UsageException("unknown option '" + a
                            + "'; valid: --seconds N, --readers R, --writers W, --rcu-flavour qsbr|memb");
            }
        }
        if (writers > 0 && !b.allowsChurn()) {
            throw new UsageException("back-end '" + b.cliName() + "' allows no writers while readers run (it is the "
                    + "unsynchronized ceiling); use --writers 0");
        }
        if (readers + writers == 0) {
            throw new UsageException("need at least one reader or writer");
        }
        TortureConfig cfg = TortureConfig.defaults().withThreads(readers, writers).withMillis(seconds * 1000L);
        out.printf("torture %s (%s): %d readers, %d writers, %d s%n", b.cliName(), flavour, readers, writers, seconds);
        TortureResult r = TortureDriver.run(b, cfg, flavour);
        out.println(r.format());
        return r.clean() ? OK : VIOLATIONS;
    }

    private static int number(String option, String v, int min) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("bad value '" + v + "' for " + option + "; valid: a whole number >= " + min);
    }
}
