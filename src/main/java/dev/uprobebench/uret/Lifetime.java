package dev.uprobebench.uret;

import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.ReturnProbeSupport;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What keeps a uprobe alive between a return probe's entry and its return: an axis of the workload. */
public enum Lifetime {
    /** Linux 6.12: {@code try_get_uprobe()} at entry, {@code put_uprobe()} at return. */
    REFCOUNT("refcount", "6.12: a reference taken at entry and dropped at return"),
    /** Linux 6.13: "uprobes: SRCU-protect uretprobe lifetime (with timeout)". */
    HPROBE("hprobe", "6.13: an SRCU lease on uretprobes_srcu, expired by a per-task timer"),
    /** P. McKenney's SRCU-fast-updown (2025) under hprobe's state machine. */
    SRCU_UPDOWN("srcu-updown", "hprobe's lease on an SRCU-fast-updown domain: no read-side fence");

    private final String label;
    private final String description;

    Lifetime(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** True when entries hold an SRCU lease that the timer expires. */
    public boolean leases() {
        return this != REFCOUNT;
    }

    public static Lifetime byName(String name) {
        for (Lifetime l : values()) {
            if (l.label.equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown return-probe lifetime '" + name + "'; valid: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Lifetime::label).collect(Collectors.joining(", "));
    }

    UretprobeLifetime create(ReturnProbeSupport registry, InvariantCounters invariants, LeaseHooks hooks) {
        switch (this) {
            case REFCOUNT:
                return new RefcountLifetime(registry, invariants);
            case HPROBE:
                return new HprobeLifetime(registry, invariants, hooks);
            default:
                return new SrcuUpdownLifetime(registry, invariants, hooks);
        }
    }
}
