package dev.uprobebench.pin;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How benchmark threads are placed on CPUs. */
public enum PinPolicy {
    /** One thread per physical core; SMT siblings are left idle. The default. */
    PHYSICAL("physical"),
    /** Every physical core first, then their SMT siblings. */
    SMT("smt"),
    /** No pinning: the scheduler places threads; results are labelled unpinned. */
    NONE("none");

    private final String cliName;

    PinPolicy(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static PinPolicy byName(String name) {
        for (PinPolicy p : values()) {
            if (p.cliName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pinning policy '" + name + "'; valid: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(PinPolicy::cliName).collect(Collectors.joining(", "));
    }

    /** Threads this policy can place on {@code topology} without sharing a CPU. */
    public int capacity(CpuTopology topology) {
        return this == PHYSICAL ? topology.physicalCores() : topology.logicalCpus();
    }

    @Override
    public String toString() {
        return cliName;
    }
}
