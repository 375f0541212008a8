package dev.uprobebench.run;

import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.registry.HostKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The machine's fitness for benchmarking: frequency governor and boost, SMT, isolated cores,
 * {@code perf_event_paranoid}, transparent huge pages, other load, virtualization and the JVM.
 * It warns and says what to fix; it never refuses to run. Paths are relative to a root so that
 * tests can point it at a fake {@code /sys} and {@code /proc}.
 */
public final class Doctor {
    /** One finding: {@code ok}, {@code info} or {@code warn}, what was seen, and what to do. */
    public record Finding(String level, String check, String seen, String fix) {
        public String format() {
            return String.format(Locale.ROOT, "%-4s %-22s %s%s", level.toUpperCase(Locale.ROOT), check, seen,
                    fix.isEmpty() ? "" : " -> " + fix);
        }
    }

    private final Path root;
    private final boolean superuser;

    /** Reads {@code sys/} and {@code proc/} under {@code root}; {@code superuser}: running as root. */
    public Doctor(Path root, boolean superuser) {
        this.root = root;
        this.superuser = superuser;
    }

    public static Doctor forThisMachine() {
        return new Doctor(Path.of("/"), "root".equals(System.getProperty("user.name")));
    }

    private String read(String path) {
        try {
            return Files.readString(root.resolve(path.substring(1))).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public List<Finding> examine() {
        List<Finding> f = new ArrayList<>();
        governor(f);
        boost(f);
        smt(f);
        isolation(f);
        paranoid(f);
        thp(f);
        load(f);
        virtualization(f);
        jvm(f);
        return f;
    }

    private void governor(List<Finding> f) {
        List<String> governors;
        try (Stream<Path> s = Files.list(root.resolve("sys/devices/system/cpu"))) {
            governors = s.filter(p -> p.getFileName().toString().matches("cpu\\d+"))
                    .map(p -> p.resolve("cpufreq/scaling_governor")).filter(Files::exists)
                    .map(p -> {
                        try {
                            return Files.readString(p).trim();
                        } catch (IOException e) {
                            return "?";
                        }
                    }).distinct().collect(Collectors.toList());
        } catch (IOException e) {
            governors = List.of();
        }
        if (governors.isEmpty()) {
            f.add(new Finding("info", "frequency governor", "no cpufreq interface (a VM or a fixed-frequency CPU)",
                    "frequency cannot be checked from here"));
        } else if (governors.equals(List.of("performance"))) {
            f.add(new Finding("ok", "frequency governor", "performance on every CPU", ""));
        } else {
            f.add(new Finding("warn", "frequency governor", "governors " + governors,
                    "cpupower frequency-set -g performance"));
        }
    }

    private void boost(List<Finding> f) {
        String boost = read("/sys/devices/system/cpu/cpufreq/boost");
        String noTurbo = read("/sys/devices/system/cpu/intel_pstate/no_turbo");
        if ("1".equals(boost) || "0".equals(noTurbo)) {
            f.add(new Finding("warn", "turbo/boost", "on: the clock follows temperature and load",
                    "echo 0 > /sys/devices/system/cpu/cpufreq/boost (or 1 > intel_pstate/no_turbo)"));
        } else if (boost == null && noTurbo == null) {
            f.add(new Finding("info", "turbo/boost", "no boost control exposed", ""));
        } else {
            f.add(new Finding("ok", "turbo/boost", "off", ""));
        }
    }

    private void smt(List<Finding> f) {
        String active = read("/sys/devices/system/cpu/smt/active");
        if ("1".equals(active)) {
            f.add(new Finding("info", "SMT", "on: pinning=physical leaves siblings idle, but the OS may use them",
                    "echo off > /sys/devices/system/cpu/smt/control for the quietest cores"));
        } else {
            f.add(new Finding("ok", "SMT", active == null ? "no SMT control (treated as off)" : "off", ""));
        }
    }

    private void isolation(List<Finding> f) {
        String isolated = read("/sys/devices/system/cpu/isolated");
        String cmdline = read("/proc/cmdline");
        boolean nohz = cmdline != null && cmdline.contains("nohz_full=");
        if (isolated == null || isolated.isEmpty()) {
            f.add(new Finding("warn", "isolated cores", "none (isolcpus unset" + (nohz ? "" : ", nohz_full unset") + ")",
                    "boot with isolcpus=<cpus> nohz_full=<cpus> and pin benchmark threads there"));
        } else {
            f.add(new Finding("ok", "isolated cores", isolated + (nohz ? " (nohz_full set)" : ""), ""));
        }
    }

    private void paranoid(List<Finding> f) {
        String p = read("/proc/sys/kernel/perf_event_paranoid");
        if (p == null) {
            f.add(new Finding("info", "perf_event_paranoid", "unreadable", "flame graphs will try itimer"));
            return;
        }
        int v = Integer.parseInt(p.trim());
        if (v <= 1 || superuser) {
            f.add(new Finding("ok", "perf_event_paranoid", p + (superuser && v > 1 ? " (running as root)" : ""), ""));
        } else if (v == 2) {
            f.add(new Finding("warn", "perf_event_paranoid", p + ": async-profiler's cpu event samples user space only "
                    + "(no kernel frames in flame graphs)", "sysctl kernel.perf_event_paranoid=1"));
        } else {
            f.add(new Finding("warn", "perf_event_paranoid", p + ": perf events are denied to this user",
                    "sysctl kernel.perf_event_paranoid=1 (flame graphs fall back to itimer)"));
        }
    }

    private void thp(List<Finding> f) {
        String t = read("/sys/kernel/mm/transparent_hugepage/enabled");
        if (t == null) {
            f.add(new Finding("info", "transparent hugepages", "unknown", ""));
        } else if (t.contains("[always]")) {
            f.add(new Finding("info", "transparent hugepages", "always: khugepaged may compact during runs",
                    "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled"));
        } else if (t.contains("[never]")) {
            f.add(new Finding("info", "transparent hugepages", "never: the forks' heaps (-XX:+UseTransparentHugePages) "
                    + "get 4 KiB pages, so pre-touching takes about 2 s a GiB a fork and the model's TLB reach is "
                    + "smaller than the kernel's direct map", "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled"));
        } else {
            f.add(new Finding("ok", "transparent hugepages", t + " (the forks' heaps ask for huge pages)", ""));
        }
    }

    private void load(List<Finding> f) {
        String l = read("/proc/loadavg");
        if (l == null) {
            return;
        }
        double one = Double.parseDouble(l.split("\\s+")[0]);
        int cpus = Runtime.getRuntime().availableProcessors();
        if (one > 0.25 * cpus) {
            f.add(new Finding("warn", "other load", String.format(Locale.ROOT, "load average %.2f on %d CPUs", one, cpus),
                    "stop other work; benchmark threads share cores with it"));
        } else {
            f.add(new Finding("ok", "other load", String.format(Locale.ROOT, "load average %.2f on %d CPUs", one, cpus),
                    ""));
        }
    }

    private void virtualization(List<Finding> f) {
        String cpuinfo = read("/proc/cpuinfo");
        if (cpuinfo != null && cpuinfo.contains(" hypervisor")) {
            f.add(new Finding("warn", "virtualization", "running under a hypervisor: vCPUs move between host cores "
                    + "and steal time distorts results", "use bare metal for published numbers"));
        }
    }

    private void jvm(List<Finding> f) {
        Runtime.Version v = Runtime.version();
        String name = System.getProperty("java.vm.name") + " " + v;
        if (v.feature() < 25) {
            f.add(new Finding("warn", "JVM", name, "Java 25 or later is required (java.lang.foreign, for the host "
                    + "kernel's uprobes): ./run-bench.sh finds one"));
        } else {
            f.add(new Finding("ok", "JVM", name, ""));
        }
    }

    /**
     * Whether real uprobes can be used here ({@code kernel} rows), from a trial of the host layer:
     * the nop5 path and the trap costs it measured, or why not and what that means for a run.
     */
    public static Finding hostUprobes(HostKernel.Capability c) {
        if (!c.usable()) {
            return new Finding("warn", "real uprobes", c.summary(),
                    "kernel rows are skipped with this reason (they need x86-64, the uprobe PMU, and root or CAP_PERFMON)");
        }
        String costs = c.trapCosts().stream().map(HostKernel.TrapCost::format).collect(Collectors.joining("; "));
        return new Finding("ok", "real uprobes", c.summary() + (costs.isEmpty() ? "" : "; trap cost " + costs), "");
    }

    /** Prints the findings, then the topology. */
    public static void print(List<Finding> findings, CpuTopology topology, java.io.PrintStream out) {
        for (Finding x : findings) {
            out.println(x.format());
        }
        out.println("topology: " + topology.describe());
    }
}
