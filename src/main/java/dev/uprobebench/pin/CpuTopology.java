package dev.uprobebench.pin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The machine's CPU topology read from sysfs ({@code /sys/devices/system/cpu}): online logical
 * CPUs, their physical core and package, and their SMT siblings. Tests point it at a fake tree.
 */
public final class CpuTopology {
    public static final Path SYSFS = Path.of("/sys/devices/system/cpu");

    private final List<LogicalCpu> cpus;

    public CpuTopology(List<LogicalCpu> cpus) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("no online CPU found");
        }
        this.cpus = List.copyOf(cpus);
    }

    /** Reads this machine's topology. */
    public static CpuTopology read() {
        return read(SYSFS);
    }

    /** Reads the topology under {@code root} (a {@code /sys/devices/system/cpu} tree). */
    public static CpuTopology read(Path root) {
        try {
            List<Integer> online = parseList(Files.readString(root.resolve("online")).trim());
            List<LogicalCpu> cpus = new ArrayList<>();
            for (int id : online) {
                Path topo = root.resolve("cpu" + id).resolve("topology");
                int core = readInt(topo.resolve("core_id"), id);
                int pkg = readInt(topo.resolve("physical_package_id"), 0);
                Path siblingsFile = topo.resolve("thread_siblings_list");
                List<Integer> siblings = Files.exists(siblingsFile)
                        ? parseList(Files.readString(siblingsFile).trim())
                        : List.of(id);
                siblings = siblings.stream().filter(online::contains).sorted().collect(Collectors.toList());
                cpus.add(new LogicalCpu(id, core, pkg, siblings));
            }
            return new CpuTopology(cpus);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU topology under " + root + ": " + e.getMessage(), e);
        }
    }

    private static int readInt(Path p, int fallback) throws IOException {
        return Files.exists(p) ? Integer.parseInt(Files.readString(p).trim()) : fallback;
    }

    /** Parses a sysfs CPU list such as {@code 0-3,8,10-11}. */
    public static List<Integer> parseList(String text) {
        List<Integer> ids = new ArrayList<>();
        if (text.isEmpty()) {
            return ids;
        }
        for (String part : text.split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
            for (int i = from; i <= to; i++) {
                ids.add(i);
            }
        }
        return ids;
    }

    public List<LogicalCpu> cpus() {
        return cpus;
    }

    public LogicalCpu cpu(int id) {
        return cpus.stream().filter(c -> c.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("CPU " + id + " is not online"));
    }

    /** One logical CPU per physical core, ordered by package, then core. */
    public List<LogicalCpu> primaries() {
        return cpus.stream().filter(LogicalCpu::isPrimaryThread).sorted(ORDER).collect(Collectors.toList());
    }

    /** The SMT siblings left over by {@link #primaries()}, in the same order. */
    public List<LogicalCpu> secondaries() {
        return cpus.stream().filter(c -> !c.isPrimaryThread()).sorted(ORDER).collect(Collectors.toList());
    }

    private static final Comparator<LogicalCpu> ORDER =
            Comparator.comparingInt(LogicalCpu::pkg).thenComparingInt(LogicalCpu::core).thenComparingInt(LogicalCpu::id);

    public int physicalCores() {
        return primaries().size();
    }

    public int logicalCpus() {
        return cpus.size();
    }

    public int packages() {
        return (int) cpus.stream().mapToInt(LogicalCpu::pkg).distinct().count();
    }

    public boolean smt() {
        return logicalCpus() > physicalCores();
    }

    public String describe() {
        return String.format(Locale.ROOT, "%d package(s), %d physical cores, %d logical CPUs%s", packages(),
                physicalCores(), logicalCpus(), smt() ? " (SMT on)" : "");
    }
}
