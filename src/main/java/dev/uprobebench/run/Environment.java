package dev.uprobebench.run;

import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.pin.LogicalCpu;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a report records about the machine, the JVM and the harness ({@code environment.json}). */
public final class Environment {
    private Environment() {
    }

    public static Map<String, Object> collect(CpuTopology topology, List<Doctor.Finding> doctor, Path home) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpuModel", cpuModel());
        m.put("topologySummary", topology.describe());
        List<Map<String, Object>> cpus = new ArrayList<>();
        for (LogicalCpu c : topology.cpus()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("cpu", c.id());
            x.put("core", c.core());
            x.put("package", c.pkg());
            x.put("siblings", c.siblings());
            cpus.add(x);
        }
        m.put("topology", cpus);
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("hostname", hostname());
        m.put("jvm", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + Runtime.version());
        m.put("javaHome", System.getProperty("java.home"));
        m.put("launcherJvmFlags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("governor", governor());
        m.put("gitCommit", git(home));
        List<Map<String, String>> findings = new ArrayList<>();
        for (Doctor.Finding f : doctor) {
            Map<String, String> x = new LinkedHashMap<>();
            x.put("level", f.level());
            x.put("check", f.check());
            x.put("seen", f.seen());
            x.put("fix", f.fix());
            findings.add(x);
        }
        m.put("doctor", findings);
        return m;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // below
        }
        return "unknown";
    }

    static String governor() {
        try {
            return Files.readString(Path.of("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).trim();
        } catch (IOException e) {
            return "none (no cpufreq interface)";
        }
    }

    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The harness's git commit (with "-dirty" for uncommitted changes), or "unknown". */
    static String git(Path home) {
        try {
            String head = run(home, "git", "rev-parse", "HEAD");
            if (head == null) {
                return "unknown (not a git checkout)";
            }
            String dirty = run(home, "git", "status", "--porcelain", "--untracked-files=no");
            return head + (dirty != null && !dirty.isEmpty() ? "-dirty" : "");
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
