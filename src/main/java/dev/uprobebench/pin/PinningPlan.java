package dev.uprobebench.pin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which logical CPU each reader, writer and address-space writer thread goes to: readers first,
 * then writers, then address-space writers, one thread per CPU from the policy's list
 * ({@link CpuTopology#primaries()}, then for {@code smt} the siblings). More threads than the
 * policy allows is an error naming the limit; {@code none} places nothing and allows any count.
 */
public record PinningPlan(PinPolicy policy, int[] readerCpus, int[] writerCpus, int[] mmWriterCpus) {
    /** The role names threads are pinned by. */
    public static final String READER = "reader";
    public static final String WRITER = "writer";
    public static final String MM_WRITER = "mm-writer";

    /** The plan for {@code readers} + {@code writers} threads. */
    public static PinningPlan plan(CpuTopology topology, PinPolicy policy, int readers, int writers) {
        return plan(topology, policy, readers, writers, 0);
    }

    /** The plan for {@code readers} + {@code writers} + {@code mmWriters} threads. */
    public static PinningPlan plan(CpuTopology topology, PinPolicy policy, int readers, int writers, int mmWriters) {
        if (readers < 0 || writers < 0 || mmWriters < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0");
        }
        if (policy == PinPolicy.NONE) {
            return new PinningPlan(policy, new int[0], new int[0], new int[0]);
        }
        int limit = policy.capacity(topology);
        int threads = readers + writers + mmWriters;
        if (threads > limit) {
            throw new IllegalArgumentException(String.format(
                    "%d reader(s) + %d writer(s)%s = %d threads, but pinning=%s allows at most %d on this machine (%s); "
                            + "use fewer threads, pinning=smt (%d logical CPUs) or pinning=none (unpinned, labelled so)",
                    readers, writers, mmWriters == 0 ? "" : " + " + mmWriters + " address-space writer(s)", threads,
                    policy.cliName(), limit, topology.describe(), topology.logicalCpus()));
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
        int[] m = new int[mmWriters];
        for (int i = 0; i < mmWriters; i++) {
            m[i] = order.get(readers + writers + i).id();
        }
        return new PinningPlan(policy, r, w, m);
    }

    public boolean pinned() {
        return policy != PinPolicy.NONE;
    }

    /** The CPU for thread {@code index} of {@code role}, or -1 when unpinned. */
    public int cpuFor(String role, int index) {
        int[] cpus = switch (role) {
            case WRITER -> writerCpus;
            case MM_WRITER -> mmWriterCpus;
            default -> readerCpus;
        };
        return pinned() && index < cpus.length ? cpus[index] : -1;
    }

    /**
     * A system-property form: {@code physical;r=0,2;w=4}, with {@code ;m=6} when there are
     * address-space writers.
     */
    public String encode() {
        return policy.cliName() + ";r=" + join(readerCpus) + ";w=" + join(writerCpus)
                + (mmWriterCpus.length == 0 ? "" : ";m=" + join(mmWriterCpus));
    }

    public static PinningPlan decode(String text) {
        String[] parts = text.split(";", -1);
        if (parts.length < 3 || parts.length > 4 || !parts[1].startsWith("r=") || !parts[2].startsWith("w=")
                || (parts.length == 4 && !parts[3].startsWith("m="))) {
            throw new IllegalArgumentException("malformed pinning plan '" + text + "'");
        }
        return new PinningPlan(PinPolicy.byName(parts[0]), split(parts[1].substring(2)), split(parts[2].substring(2)),
                parts.length == 4 ? split(parts[3].substring(2)) : new int[0]);
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
