package dev.uprobebench.registry;

import dev.uprobebench.registry.backend.NullRegistry;
import dev.uprobebench.registry.backend.PercpuRefRegistry;
import dev.uprobebench.registry.backend.PercpuRwsemRegistry;
import dev.uprobebench.registry.backend.RwlockRegistry;
import dev.uprobebench.registry.backend.SeqcountRcuRegistry;
import dev.uprobebench.registry.backend.SeqcountRcuRfcRegistry;
import dev.uprobebench.registry.backend.SrcuRegistry;
import dev.uprobebench.registry.backend.UnsyncRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The table of back-ends (refscale's {@code ref_scale_ops}, Caffeine's {@code CacheType}): each
 * constant has its command-line name, its role in the report (ceiling, baseline, design under
 * study, or the deliberate negative control), whether it allows writers while readers run, whether
 * the RCU flavour is an axis of it, the published series it is held against, a one-line
 * description, and a factory. Benchmarks take the name as a parameter, the command line lists the table, and the
 * correctness tests iterate over it.
 */
public enum Backend {
    UNSYNC("unsync", Role.CEILING, false, false, null,
            "no synchronization at all: the cost of tree search and handlers alone (the ceiling; no churn)",
            UnsyncRegistry::new),
    RWLOCK("rwlock", Role.BASELINE, true, false, "rwlock",
            "v6.10 uprobes_treelock: queued reader-writer spinlock around the search, refcount on every hit",
            RwlockRegistry::new),
    PERCPU_RWSEM("percpu-rwsem", Role.DESIGN, true, true, null,
            "Nakryiko v2: per-CPU RW semaphore (rcu_sync) around the search, refcount on every hit; writers pay a grace period",
            PercpuRwsemRegistry::new),
    PERCPU_REF("percpu-ref", Role.DESIGN, true, true, null,
            "lockless seqcount-checked search under RCU, then a per-CPU percpu_ref held through the handlers",
            PercpuRefRegistry::new),
    SRCU("srcu", Role.DESIGN, true, false, "SRCU",
            "mainline 6.12: SRCU read section around a seqcount-checked lockless search, no refcount, call_srcu free",
            SrcuRegistry::new),
    SEQCOUNT_RCU("seqcount-rcu", Role.DESIGN, true, true, "RCU Tasks Trace",
            "mainline 6.13+: find_uprobe_rcu() under RCU Tasks Trace with seqcount retry, no refcount; put work erases, "
                    + "then call_srcu and call_rcu_tasks_trace in turn free",
            SeqcountRcuRegistry::new),
    SEQCOUNT_RCU_RFC("seqcount-rcu-rfc", Role.NEGATIVE_CONTROL, true, true, null,
            "NEGATIVE CONTROL: Zijlstra's RFC as posted, unconditional get_uprobe() resurrects dying uprobes",
            SeqcountRcuRfcRegistry::new),
    NULL("null", Role.FLOOR, false, false, null,
            "null baseline: the harness's own per-hit work (key choice, checks, handlers), a dense array for the tree, "
                    + "no synchronization (no churn)",
            NullRegistry::new),
    KERNEL("kernel", Role.REFERENCE, true, false, null,
            "the host kernel's own uprobes (perf_event_open on the uprobe PMU): real trap, registry and handler path, "
                    + "run by KernelBenchmark through the host layer; needs x86-64, root or CAP_PERFMON, and Java 25",
            null);

    /** What a back-end is to the report: ratios are taken against the ceiling and the baseline. */
    public enum Role {
        /** The unsynchronized ceiling: every design's share of it is its synchronization tax. */
        CEILING,
        /** The v6.10 design the others are measured against ("x rwlock"). */
        BASELINE,
        /** A synchronization design under study. */
        DESIGN,
        /** Unsafe by design: the checker must catch it; never ranked, never in a shipped profile. */
        NEGATIVE_CONTROL,
        /** The null baseline: the harness's own per-hit cost, below every design; not ranked. */
        FLOOR,
        /**
         * The host kernel itself, measured beside the model (ground truth, not a model): no
         * {@link UprobeRegistry} of ours, never ranked with the designs, named only on purpose
         * ({@code backends=...,kernel}), and skipped with a reason where the machine cannot run it.
         */
        REFERENCE
    }

    private final String cliName;
    private final Role role;
    private final boolean allowsChurn;
    private final boolean usesRcuFlavour;
    private final String publishedSeries;
    private final String description;
    private final Function<RegistryConfig, UprobeRegistry> factory;

    Backend(String cliName, Role role, boolean allowsChurn, boolean usesRcuFlavour, String publishedSeries,
            String description, Function<RegistryConfig, UprobeRegistry> factory) {
        this.cliName = cliName;
        this.role = role;
        this.allowsChurn = allowsChurn;
        this.usesRcuFlavour = usesRcuFlavour;
        this.publishedSeries = publishedSeries;
        this.description = description;
        this.factory = factory;
    }

    public Role role() {
        return role;
    }

    /**
     * The series of the published {@code trig-uprobe-nop} figures (DESIGN.md section 1) this
     * back-end is held against, or null.
     */
    public String publishedSeries() {
        return publishedSeries;
    }

    /** The back-end with this role (the ceiling, the baseline). */
    public static Backend withRole(Role role) {
        for (Backend b : values()) {
            if (b.role == role) {
                return b;
            }
        }
        throw new IllegalArgumentException("no back-end has role " + role);
    }

    public String cliName() {
        return cliName;
    }

    /** False for the negative control, which must never appear in a default profile. */
    public boolean safe() {
        return role != Role.NEGATIVE_CONTROL;
    }

    /** True when the back-end runs on {@code Rcu}, so that the RCU flavour changes what it measures. */
    public boolean usesRcuFlavour() {
        return usesRcuFlavour;
    }

    /** False when writers must not run while readers do (the unsynchronized ceiling). */
    public boolean allowsChurn() {
        return allowsChurn;
    }

    public String description() {
        return description;
    }

    /** A model registry of this design; the {@link Role#REFERENCE} has none (it is the host's). */
    public UprobeRegistry create(RegistryConfig config) {
        if (factory == null) {
            throw new UnsupportedOperationException("back-end '" + cliName + "' is the host kernel, not a model: "
                    + "it runs through HostKernel (KernelBenchmark), never as a registry");
        }
        return factory.apply(config);
    }

    /**
     * The design mainline Linux ran at {@code major.minor} (DESIGN.md section 1's lineage as
     * merged): {@code uprobes_treelock} up to 6.11, SRCU with the seqcount-checked lockless lookup in
     * 6.12, RCU Tasks Trace from 6.13 (the hit path's later changes, the speculative VMA lookup of
     * 6.14 and the nop5 syscall of 6.18, are not registry designs). The percpu-rwsem and percpu-ref
     * designs were proposed (2024) and never merged: no version maps to them.
     */
    public static Backend mainlineAt(int major, int minor) {
        if (major < 6 || (major == 6 && minor < 12)) {
            return RWLOCK;
        }
        return major == 6 && minor == 12 ? SRCU : SEQCOUNT_RCU;
    }

    /** {@link #mainlineAt} for a kernel release string ({@code 6.18.44-fc}), or null when it cannot be read. */
    public static Backend mainlineOf(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)").matcher(release == null ? ""
                : release);
        return m.find() ? mainlineAt(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
    }

    /**
     * What the kernel did with this design (DESIGN.md section 1's lineage): the version that merged
     * it, or "proposed (year), not merged", or what it is when it is not a kernel design.
     */
    public String lineage() {
        switch (this) {
            case RWLOCK:
                return "merged: uprobes_treelock up to 6.11";
            case SRCU:
                return "merged: 6.12";
            case SEQCOUNT_RCU:
                return "merged: 6.13 and later";
            case PERCPU_RWSEM:
            case PERCPU_REF:
                return "proposed (2024), not merged";
            case SEQCOUNT_RCU_RFC:
                return "proposed (2024, RFC), not merged: unsafe as posted";
            case KERNEL:
                return "the host kernel itself";
            case UNSYNC:
                return "not a kernel design: the ceiling";
            default:
                return "not a kernel design: the harness's floor";
        }
    }

    /** True for the model back-ends (every one but the host kernel's reference). */
    public boolean modelled() {
        return role != Role.REFERENCE;
    }

    /** The model back-ends, in table order: what correctness tests and model profiles iterate over. */
    public static List<Backend> models() {
        return Arrays.stream(values()).filter(Backend::modelled).collect(Collectors.toList());
    }

    /** The back-end with this command-line name; the error names every valid one. */
    public static Backend byName(String name) {
        for (Backend b : values()) {
            if (b.cliName.equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown back-end '" + name + "'; valid: " + names());
    }

    /** Every command-line name, comma-separated, in table order. */
    public static String names() {
        return Arrays.stream(values()).map(Backend::cliName).collect(Collectors.joining(", "));
    }

    /**
     * The safe model back-ends, in table order: what {@code backends=safe} means. The host
     * kernel is safe but not among them: it needs a capability the machine may lack, so a profile
     * names it on purpose.
     */
    public static List<Backend> safeOnes() {
        return Arrays.stream(values()).filter(b -> b.safe() && b.modelled()).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return cliName;
    }
}
