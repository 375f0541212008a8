package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.HostKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor reads a fake /sys and /proc: what it warns about, and what it lets pass. */
class DoctorTest {
    @TempDir
    Path root;

    private void file(String path, String text) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text + "\n");
    }

    private Map<String, Doctor.Finding> examine(boolean superuser) {
        List<Doctor.Finding> f = new Doctor(root, superuser).examine();
        return f.stream().collect(Collectors.toMap(Doctor.Finding::check, x -> x));
    }

    @Test
    void anUntunedVirtualMachineGetsWarningsWithFixes() throws IOException {
        file("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave");
        file("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance");
        file("sys/devices/system/cpu/cpufreq/boost", "1");
        file("sys/devices/system/cpu/smt/active", "1");
        file("sys/devices/system/cpu/isolated", "");
        file("proc/cmdline", "root=/dev/sda1 quiet");
        file("proc/sys/kernel/perf_event_paranoid", "3");
        file("sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never");
        file("proc/loadavg", "64.00 50.00 40.00 3/100 1234");
        file("proc/cpuinfo", "flags\t\t: fpu vme hypervisor");
        Map<String, Doctor.Finding> f = examine(false);
        assertEquals("warn", f.get("frequency governor").level());
        assertTrue(f.get("frequency governor").fix().contains("performance"));
        assertEquals("warn", f.get("turbo/boost").level());
        assertEquals("info", f.get("SMT").level());
        assertEquals("warn", f.get("isolated cores").level());
        assertTrue(f.get("isolated cores").fix().contains("isolcpus"));
        assertEquals("warn", f.get("perf_event_paranoid").level());
        assertTrue(f.get("perf_event_paranoid").fix().contains("itimer"));
        assertEquals("info", f.get("transparent hugepages").level());
        assertEquals("warn", f.get("other load").level());
        assertEquals("warn", f.get("virtualization").level());
    }

    @Test
    void aTunedMachinePasses() throws IOException {
        file("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance");
        file("sys/devices/system/cpu/cpufreq/boost", "0");
        file("sys/devices/system/cpu/smt/active", "0");
        file("sys/devices/system/cpu/isolated", "2-15");
        file("proc/cmdline", "isolcpus=2-15 nohz_full=2-15");
        file("proc/sys/kernel/perf_event_paranoid", "1");
        file("sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never");
        file("proc/loadavg", "0.00 0.00 0.00 1/100 1234");
        file("proc/cpuinfo", "flags\t\t: fpu vme");
        Map<String, Doctor.Finding> f = examine(false);
        for (String check : List.of("frequency governor", "turbo/boost", "SMT", "isolated cores",
                "perf_event_paranoid", "transparent hugepages", "other load", "JVM")) {
            assertEquals("ok", f.get(check).level(), check + ": " + f.get(check).format());
        }
        assertTrue(!f.containsKey("virtualization"));
    }

    @Test
    void paranoidTwoStillAllowsUserSpaceSamplingAndRootIsFine() throws IOException {
        file("proc/sys/kernel/perf_event_paranoid", "2");
        assertTrue(examine(false).get("perf_event_paranoid").seen().contains("user space only"));
        assertEquals("ok", examine(true).get("perf_event_paranoid").level());
    }

    @Test
    void realUprobesThatCannotBeUsedAreAWarningWithTheReasonAndWhatItMeans() {
        Doctor.Finding f = Doctor.hostUprobes(HostKernel.Capability.unusable("no uprobe PMU: /sys/x/type is missing"));
        assertEquals("warn", f.level());
        assertTrue(f.seen().contains("no uprobe PMU"), f.format());
        assertTrue(f.fix().contains("kernel rows are skipped"), f.format());
    }

    @Test
    void usableRealUprobesShowTheNop5PathAndEachTrapCost() {
        Doctor.Finding f = Doctor.hostUprobes(new HostKernel.Capability(true,
                "real uprobes usable (uprobe PMU type 8, privileged, nop5 optimised)", "optimised",
                List.of(new HostKernel.TrapCost("nop5", 1500, 1400, 1700, 2.1, 5, 20_000),
                        new HostKernel.TrapCost("int3", 6500, 6300, 6900, 2.0, 5, 5_000))));
        assertEquals("ok", f.level());
        assertTrue(f.seen().contains("nop5 optimised"), f.format());
        assertTrue(f.seen().contains("nop5 1500 ns/hit (1400..1700 over 5 batches of 20000"), f.format());
        assertTrue(f.seen().contains("int3 6500 ns/hit"), f.format());
    }
}
