package dev.uprobebench.pin;

import java.util.List;

/**
 * One logical CPU as sysfs describes it.
 *
 * @param id the CPU number ({@code cpuN})
 * @param core {@code topology/core_id}
 * @param pkg {@code topology/physical_package_id} (the socket)
 * @param siblings {@code topology/thread_siblings_list}: the logical CPUs of the same physical
 *     core, this one included
 */
public record LogicalCpu(int id, int core, int pkg, List<Integer> siblings) {
    /** The lowest-numbered sibling stands for the physical core. */
    public boolean isPrimaryThread() {
        return siblings.isEmpty() || siblings.get(0) == id;
    }
}
