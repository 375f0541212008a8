package dev.uprobebench.pin;

import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;
import net.openhft.affinity.Affinity;

/**
 * Pins the calling thread with OpenHFT's Java-Thread-Affinity and reads the result back: a pin is
 * recorded as what the kernel reports afterwards, not as what was asked for.
 */
public final class ThreadPinner {
    private ThreadPinner() {
    }

    /** Where one benchmark thread ran, as read back after pinning. */
    public record PinRecord(String thread, String role, int index, int requestedCpu, List<Integer> affinity,
            int cpuNow, int core, int pkg, boolean verified, String note) {
    }

    /**
     * Pins the calling thread to {@code cpu} (-1: leave it unpinned) and reads its affinity back.
     */
    public static PinRecord pinCurrentThread(String role, int index, int cpu, CpuTopology topology) {
        String note = "";
        if (cpu >= 0) {
            try {
                Affinity.setAffinity(cpu);
            } catch (RuntimeException | LinkageError e) {
                note = "setAffinity failed: " + e;
            }
        }
        List<Integer> mask;
        int now;
        try {
            BitSet bits = Affinity.getAffinity();
            mask = bits.stream().boxed().collect(Collectors.toList());
            now = Affinity.getCpu();
        } catch (RuntimeException | LinkageError e) {
            mask = List.of();
            now = -1;
            note = (note.isEmpty() ? "" : note + "; ") + "affinity read-back failed: " + e;
        }
        boolean verified = cpu >= 0 && mask.size() == 1 && mask.get(0) == cpu;
        if (cpu >= 0 && !verified && note.isEmpty()) {
            note = "read back " + mask + " instead of [" + cpu + "]";
        }
        int shown = cpu >= 0 ? cpu : now;
        int core = -1;
        int pkg = -1;
        if (shown >= 0) {
            try {
                LogicalCpu c = topology.cpu(shown);
                core = c.core();
                pkg = c.pkg();
            } catch (IllegalArgumentException e) {
                note = (note.isEmpty() ? "" : note + "; ") + e.getMessage();
            }
        }
        return new PinRecord(Thread.currentThread().getName(), role, index, cpu, mask, now, core, pkg, verified, note);
    }
}
