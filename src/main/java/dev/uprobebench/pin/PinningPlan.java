package dev.uprobebench.pin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which logical CPU each reader and writer thread goes to: readers first, then writers, one thread
 * per CPU from the policy's list ({@link CpuTopology#primaries()}, then for {@code smt} the
 * siblings). More threads than the policy allows is an error naming the limit; {@code none}
 * places nothing and allows any count.
 */
public record PinningPlan(PinPolicy policy, int[] readerCpus, int[] writerCpus) {

    /** The plan for {@code readers} + {@code writers} threads. */
    public static PinningPlan plan(CpuTopology topology, PinPolicy policy, int readers, int writers) {
        if (readers < 0 || writers < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0");
        }
        if (policy == PinPolicy.NONE) {
            return new PinningPlan(policy, new int[0], new int[0]);
        }
        int limit = policy.capacity(topology);
        int threads = readers + writers;
        if (threads > limit) {
            throw new IllegalArgumentException(String.format(
                    "%d reader(s) + %d writer(s) = %d threads, but pinning=%s allows at most %d on this machine (%s); "
                            + "use fewer threads, pinning=smt (%d logical CPUs) or pinning=none (unpinned, labelled so)",
                    readers, writers, threads, policy.cliName(), limit, topology.describe(), topology.logicalCpus()));
        }
        List<LogicalCpu> order = new ArrayList<>(topology.primaries());
        if (policy == PinPolicy.SMT) {
            order.addAll(topology.secondaries());
        }
        int[] r = new int[readers];
        int[] w = new int[writers];
        for (int i = 0; i < readers; i++) {
            r[i] = order.get(i).id();
        }
        for (int i = 0; i < writers; i++) {
            w[i] = order.get(readers + i).id();
        }
        return new PinningPlan(policy, r, w);
    }

    public boolean pinned() {
        return policy != PinPolicy.NONE;
    }

    /** The CPU for thread {@code index} of {@code role}, or -1 when unpinned. */
    public int cpuFor(String role, int index) {
        int[] cpus = "writer".equals(role) ? writerCpus : readerCpus;
        return pinned() && index < cpus.length ? cpus[index] : -1;
    }

    /** A system-property form: {@code physical;r=0,2;w=4}. */
    public String encode() {
        return policy.cliName() + ";r=" + join(readerCpus) + ";w=" + join(writerCpus);
    }

    public static PinningPlan decode(String text) {
        String[] parts = text.split(";", -1);
        if (parts.length != 3 || !parts[1].startsWith("r=") || !parts[2].startsWith("w=")) {
            throw new IllegalArgumentException("malformed pinning plan '" + text + "'");
        }
        return new PinningPlan(PinPolicy.byName(parts[0]), split(parts[1].substring(2)), split(parts[2].substring(2)));
    }

    private static String join(int[] cpus) {
        return Arrays.stream(cpus).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static int[] split(String s) {
        return s.isEmpty() ? new int[0] : Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    @Override
    public String toString() {
        return encode();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PinningPlan p && p.encode().equals(encode());
    }

    @Override
    public int hashCode() {
        return encode().hashCode();
    }
}
