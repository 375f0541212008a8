package dev.uprobebench.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether real uprobes can be used on this host, tried rather than guessed: the architecture, the
 * uprobe PMU, the privilege perf needs, and then a probe of each trap kind registered, hit and
 * counted exactly. Whether the kernel optimised the nop5 probe is measured too: after its hits the
 * process has a {@code [uprobes-trampoline]} mapping (Linux 6.18+ on x86-64), or it does not and
 * nop5 probes trap like int3 ones.
 *
 * @param usable     the trial succeeded: probes register, count exactly and unregister
 * @param reason     why not, in one line, when not usable; empty otherwise
 * @param arch       {@code os.arch}
 * @param kernel     {@code os.version}
 * @param pmuType    the uprobe PMU's perf type, or -1 without one
 * @param paranoid   {@code perf_event_paranoid}, or {@code null} when unreadable
 * @param privileged root (uid 0), CAP_PERFMON or CAP_SYS_ADMIN in the effective set
 * @param nop5Path   {@code optimised} (trampoline seen), {@code trapped} (no trampoline), or
 *                   {@code unknown} when the trial did not get that far
 */
public record HostCapability(boolean usable, String reason, String arch, String kernel, int pmuType,
        Integer paranoid, boolean privileged, String nop5Path) {
    /** Hits of each trap kind in the trial. */
    static final int TRIAL_HITS = 1000;
    static final String TRAMPOLINE = "[uprobes-trampoline]";
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;

    /**
     * Whether the host claims everything needed (x86-64, the PMU, privilege): where it does, a
     * trial that fails is a defect to report, not a missing feature to skip.
     */
    public boolean shouldBeUsable() {
        return Syscalls.isX86_64() && pmuType >= 0 && privileged;
    }

    /** One line: usable with the nop5 path, or why not. */
    public String summary() {
        if (usable) {
            return String.format(Locale.ROOT, "real uprobes usable (uprobe PMU type %d, %s, nop5 %s)", pmuType,
                    privileged ? "privileged" : "perf_event_paranoid " + paranoid, nop5Path);
        }
        return "real uprobes not usable: " + reason;
    }

    /** Tries it, with the probe-target file in {@code dir}. */
    public static HostCapability check(Path dir) {
        String arch = Syscalls.arch();
        String kernel = System.getProperty("os.version");
        Integer paranoid = readInt(Path.of("/proc/sys/kernel/perf_event_paranoid")).orElse(null);
        boolean privileged = hasPerfPrivilege();
        if (!Syscalls.isX86_64()) {
            return new HostCapability(false, "the probe targets are x86-64 machine code and this host is " + arch,
                    arch, kernel, -1, paranoid, privileged, "unknown");
        }
        UprobePmu pmu;
        try {
            pmu = UprobePmu.ofThisHost();
        } catch (IOException e) {
            return new HostCapability(false, e.getMessage(), arch, kernel, -1, paranoid, privileged, "unknown");
        }
        try (ProbeTargets targets = ProbeTargets.create(dir, List.of(ProbeTargets.Trap.NOP5, ProbeTargets.Trap.INT3))) {
            for (ProbeTargets.Function f : targets.functions()) {
                long counted = countHits(pmu, f, TRIAL_HITS);
                if (counted != TRIAL_HITS) {
                    return new HostCapability(false, String.format(Locale.ROOT,
                            "a %s probe counted %d of %d hits", f.trap().key(), counted, TRIAL_HITS),
                            arch, kernel, pmu.type(), paranoid, privileged, "unknown");
                }
            }
            String nop5 = trampolineMapped() ? "optimised" : "trapped";
            return new HostCapability(true, "", arch, kernel, pmu.type(), paranoid, privileged, nop5);
        } catch (HostCallException e) {
            String why = e.getMessage();
            if (!privileged && (e.errno() == 1 || e.errno() == 13)) {
                why += "; needs root or CAP_PERFMON (perf_event_paranoid is " + paranoid + ")";
            }
            return new HostCapability(false, why, arch, kernel, pmu.type(), paranoid, privileged, "unknown");
        } catch (IOException | RuntimeException e) {
            return new HostCapability(false, String.valueOf(e.getMessage()), arch, kernel, pmu.type(), paranoid,
                    privileged, "unknown");
        }
    }

    /** Registers a probe on {@code f}, calls it {@code n} times from native code, and unregisters it. */
    static long countHits(UprobePmu pmu, ProbeTargets.Function f, long n) {
        try (UprobeEvent e = UprobeEvent.forThisThread(pmu, f.file(), f.offset(), false)) {
            e.enable();
            f.callMany(n);
            e.disable();
            return e.count();
        }
    }

    /** Whether this process has the uprobe trampoline mapped: the kernel optimised a nop5 probe. */
    public static boolean trampolineMapped() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains(TRAMPOLINE);
        } catch (IOException e) {
            return false;
        }
    }

    static boolean hasPerfPrivilege() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    if (line.split("\\s+")[2].equals("0")) {
                        return true;
                    }
                } else if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    if ((caps & (1L << CAP_PERFMON | 1L << CAP_SYS_ADMIN)) != 0) {
                        return true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private static Optional<Integer> readInt(Path p) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(p).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
